/**
 * A watchdog for a sensor that went quiet: Cowrie stopped, the log moved, the flow upstream
 * broke. A honeypot on the Internet is never silent for long, so no event for `silenceMs` of
 * wall-clock time is itself worth an alert. It raises one alert per silence (not one per
 * check), and a recovery alert when events come back.
 *
 * Wall clock, not event time: a silence is precisely the absence of events to take a time from.
 *
 * ```ts
 * const watch = new SensorSilenceWatch(300_000, 0);
 * watch.heard(1000, "sensor-1");                                   // on every event
 * assert.equal(watch.check(400_000)?.type, "sensor-silence");      // on a timer: the silence alert,
 * assert.equal(watch.check(500_000), undefined);                   // once
 * assert.equal(watch.heard(600_000, "sensor-1")?.resolved, true);  // and the recovery
 * ```
 */
import { createHash } from "node:crypto";
import { ALERT_SCHEMA_VERSION, type Alert } from "./alert-policy";
import type { Severity } from "../domain/severities";
import { SENSOR_SILENCE } from "../domain/alert-types";

/** An alert of type `sensor-silence`: `resolved` false when the sensor went quiet, true when it came back. */
export interface SensorSilenceAlert extends Omit<Alert, "type" | "line"> {
  type: typeof SENSOR_SILENCE;
  resolved: boolean;
  /** On a recovery: the id of the silence alert it resolves. */
  resolves?: string;
}

const SILENT_SEVERITY: Severity = "high";
const RECOVERED_SEVERITY: Severity = "low";

export class SensorSilenceWatch {
  private lastHeardMs: number;
  private sensor = "";
  /** The alert raised for the current silence, while it lasts. */
  private silence: SensorSilenceAlert | undefined;

  /** `silenceMs` 0 turns the watch off; `startMs` counts as the last event until one arrives. */
  constructor(readonly silenceMs: number, startMs: number) {
    if (!(silenceMs >= 0)) throw new RangeError(`the silence time must be 0 (off) or more, not ${silenceMs}`);
    this.lastHeardMs = startMs;
  }

  /** An event arrived at `nowMs`; returns the recovery alert when the sensor had been reported silent. */
  heard(nowMs: number, sensor: string): SensorSilenceAlert | undefined {
    const silence = this.silence;
    const silentSinceMs = this.lastHeardMs;
    this.lastHeardMs = Math.max(this.lastHeardMs, nowMs);
    if (sensor) this.sensor = sensor;
    if (!silence) return undefined;
    this.silence = undefined;
    const seconds = Math.round((nowMs - silentSinceMs) / 1000);
    return {
      ...silence, id: idOf(`${silence.id}|resolved`), time: iso(nowMs), severity: RECOVERED_SEVERITY, last_seen: iso(nowMs),
      summary: `${this.sensor || "the sensor"}: events again after ${seconds} s of silence`, resolved: true, resolves: silence.id,
    };
  }

  /** The silence alert when nothing has been heard for `silenceMs` by `nowMs`; once per silence. */
  check(nowMs: number): SensorSilenceAlert | undefined {
    if (this.silenceMs === 0 || this.silence || nowMs - this.lastHeardMs < this.silenceMs) return undefined;
    const since = iso(this.lastHeardMs);
    this.silence = {
      schema: ALERT_SCHEMA_VERSION, id: idOf(`${SENSOR_SILENCE}|${this.sensor}|${this.lastHeardMs}`), time: iso(nowMs), src_ip: "",
      type: SENSOR_SILENCE, severity: SILENT_SEVERITY, score: 1, count: 1, first_seen: since, last_seen: since, top_features: [],
      sensor: this.sensor, summary: `${this.sensor || "the sensor"}: no events for ${Math.round((nowMs - this.lastHeardMs) / 1000)} s, the last at ${since}`,
      resolved: false,
    };
    return this.silence;
  }
}

function idOf(text: string): string {
  return createHash("sha1").update(text).digest("hex").slice(0, 20);
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
