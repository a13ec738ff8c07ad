/**
 * One attack type watched through the one feature that type moves most, against the sensor's
 * own baseline of that feature (UnitPeakBaseline) and a share of the sensor's alert budget:
 * failed logins per source per minute for brute force, new sources per minute for a traffic
 * spike, and so on (see typed-detection.ts for the set).
 *
 * A value alerts when it reaches the watch's floor (no budget makes 2 failed logins a
 * brute force) and exceeds what the budget allows: the baseline's threshold once the sensor has
 * enough history, the watch's prior until then, so that a new or quiet sensor is useful in its
 * first hour.
 *
 *     const bruteForce = new TypedWatch({ type: "brute-force", feature: "failed_logins_1m", unit: "source", floor: 8, prior: 15 });
 *     bruteForce.observe(40, { src_ip: "203.0.113.7", sensor: "s1", time_ms }, 0.5);  // a finding: 40 > 15
 */
import type { AttackType } from "../domain/attack-types";
import { LruMap } from "../collections/lru-map";
import { UnitPeakBaseline, type UnitPeakBaselineState } from "./unit-peak-baseline";

export interface TypedWatchSpec {
  type: AttackType;
  /** The window feature watched, by name. */
  feature: string;
  /** What one alert is about: a source's burst, or one minute of the sensor's traffic. */
  unit: "source" | "sensor-minute";
  /** Never alert below this value, whatever the baseline says. */
  floor: number;
  /** The threshold until the baseline is warm. */
  prior: number;
  /**
   * False for a sign that is an attack whenever it shows (a download then a run): the floor is the
   * threshold on every sensor. Its background is what the sensor truly suffers, and a budget
   * learned from a handful of such events would silence the next one.
   */
  adaptive?: boolean;
}

export interface WatchedEvent {
  src_ip: string;
  sensor: string;
  time_ms: number;
  /** The Cowrie eventid, where known: a wave of new sources is named after a connect, not on it. */
  eventid?: string;
}

export interface TypedFinding {
  type: AttackType;
  feature: string;
  value: number;
  /** The value the finding exceeded (baseline or prior), and the floor. */
  threshold: number;
  /** How far past the threshold, for choosing between findings on one event. */
  excess: number;
}

// A source's burst ends after half an hour without an event. A minute stays open a little
// longer than itself, so that the minutes before a spike's alert can still join its incident.
const SOURCE_IDLE_MS = 30 * 60_000;
const MINUTE_IDLE_MS = 4 * 60_000;
/** A cold sensor's threshold is at least this many times its other units' typical so far (see TypedWatch.coldTypical): a busy sensor's steady traffic is not an attack. */
const COLD_MULTIPLE = 2;
/**
 * A cold sensor's minutes are judged beside at most this many times the median of its other
 * minutes' peaks (see TypedWatch.coldTypical), where that is lower than their events' 90th percentile.
 */
const MINUTE_MEDIAN_MULTIPLE = 1.5;
/** Minutes either side of a sensor-wide alert that belong to its incident: a spike's ramp and tail. */
const INCIDENT_MINUTES = 2;
/**
 * An incident that goes on longer is no incident but the sensor's new normal (a busy sensor met
 * with a quiet one's prior): its minutes count as alerts again, so that they are soon learned.
 */
const MAX_INCIDENT_MINUTES = 10;
/**
 * A source's alert this far past its threshold is an attack and stays out of the baseline; one
 * nearer is the sensor's own margin, learned, so that a threshold set just under the background
 * rises to it. (A minute of a spike is part of an incident, which stays out whole.)
 */
const CLEARLY_PAST = 1.5;
// Sensors whose baselines and incidents a watch keeps; a T-Pot with more gives up the least recently seen.
const MAX_SENSORS = 1_000;

export class TypedWatch {
  private readonly baselines = new LruMap<string, UnitPeakBaseline>(MAX_SENSORS);
  /** Per sensor, the first and last minute of the latest sensor-wide incident. */
  private readonly incidents = new LruMap<string, { from: number; until: number }>(MAX_SENSORS);
  /** The minute last named as a unit, and its name: the events of one minute share it. */
  private namedMinute = NaN;
  private minuteNamed = "";

  constructor(readonly spec: TypedWatchSpec) {}

  /**
   * The finding `value` makes for `event` under `alertsPerDay` of the budget, if any; the value is
   * learned either way, unless `learn` is false (an event posted to the REST API is judged by the
   * baseline as it stands and changes nothing).
   */
  observe(value: number, event: WatchedEvent, alertsPerDay: number, learn = true): TypedFinding | undefined {
    // A posted event is judged by its sensor's baseline as it stands, or by the prior: it makes none.
    const baseline = learn ? this.baselineOf(event.sensor) : this.baselines.peek(event.sensor) ?? new UnitPeakBaseline(this.baselineOptions());
    const minute = Math.floor(event.time_ms / 60_000);
    const unit = this.spec.unit === "source" ? event.src_ip : this.minuteName(minute);
    if (learn) baseline.observe(unit, value, event.time_ms);
    const learned = this.spec.adaptive === false ? this.spec.floor - 1 : baseline.threshold(alertsPerDay);
    // Until then the prior, unless the sensor is already far busier than a prior assumes: a cold
    // unit is judged beside COLD_MULTIPLE times the sensor's typical value so far (asked only while
    // cold, and only of a value that reaches the floor: the cold values' quantile is a walk over
    // them, and once warm not kept up; most events skip it).
    const reachesFloor = value >= this.spec.floor;
    const coldBar = learned === undefined && reachesFloor ? COLD_MULTIPLE * (this.coldTypical(baseline, unit) || 0) : undefined;
    const threshold = learned !== undefined
      ? Math.max(learned, this.spec.floor)
      : coldBar !== undefined && value >= this.spec.prior ? Math.max(this.spec.prior, coldBar) : this.spec.prior;
    // Reaching the floor and the prior, or reaching the floor and passing the learned peak.
    const exceeds = reachesFloor && (learned === undefined ? value >= threshold : value > learned);
    if (!learn) {
      // Judged, not learned: nothing about the sensor's incidents changes either.
    } else if (this.spec.unit === "sensor-minute") {
      if (exceeds) this.holdOutMinute(baseline, event.sensor, minute, true);
      else if (this.openIncident(event.sensor, minute)) baseline.markAlerted(unit, true);
    } else if (exceeds && (value >= CLEARLY_PAST * threshold || this.spec.adaptive === false)) {
      baseline.markAlerted(unit);
    } else if (exceeds) {
      baseline.markMargin(unit);
    }
    // A cold watch waits for its prior, a busy sensor's; on a quiet sensor a unit far past what it
    // has shown so far, under the prior, is no alert, and no normal to learn either: learned, it
    // would set the threshold that the next attack of its size has to pass.
    if (learn && !exceeds && coldBar !== undefined && value >= coldBar) baseline.markSuspect(unit);
    if (!exceeds) return undefined;
    return { type: this.spec.type, feature: this.spec.feature, value, threshold, excess: value / Math.max(threshold, 1e-9) };
  }

  /**
   * Keeps `event`'s unit out of this watch's baseline as part of an incident that another watch
   * alerted on, without counting it as this watch's alert: a credential-stuffing campaign's minute
   * is no normal minute for the spike watch either. Learned, a campaign the spike watch met on its
   * prior would set the threshold that the next real spike has to pass.
   */
  joinIncident(event: WatchedEvent): void {
    const baseline = this.baselineOf(event.sensor);
    const minute = Math.floor(event.time_ms / 60_000);
    if (this.spec.unit === "sensor-minute") this.holdOutMinute(baseline, event.sensor, minute, false);
    else baseline.markAlerted(event.src_ip, true);
  }

  toJSON(): Record<string, UnitPeakBaselineState> {
    return Object.fromEntries([...this.baselines.inRecencyOrder()].map(([sensor, baseline]) => [sensor, baseline.toJSON()]));
  }

  restore(state: Record<string, UnitPeakBaselineState>): void {
    for (const [sensor, saved] of Object.entries(state)) this.baselines.set(sensor, UnitPeakBaseline.fromJSON(this.baselineOptions(), saved));
  }

  /**
   * A spike's minutes are one incident, with the minutes of its ramp before it: only its first
   * alert counts against the allowance (`alerted`), the rest stay out of the baseline as its part.
   */
  private holdOutMinute(baseline: UnitPeakBaseline, sensor: string, minute: number, alerted: boolean): void {
    const incident = this.openIncident(sensor, minute);
    baseline.markAlerted(String(minute), incident !== undefined || !alerted);
    if (!incident) for (let before = 1; before <= INCIDENT_MINUTES; before++) baseline.markAlerted(String(minute - before), true);
    this.incidents.set(sensor, { from: incident ? incident.from : minute, until: minute + INCIDENT_MINUTES });
  }

  /** The sensor's latest sensor-wide incident, if `minute` is still part of it. */
  private openIncident(sensor: string, minute: number): { from: number; until: number } | undefined {
    const incident = this.incidents.get(sensor);
    return incident !== undefined && minute <= incident.until && minute - incident.from <= MAX_INCIDENT_MINUTES ? incident : undefined;
  }

  /**
   * What a cold sensor's units are like so far. A source: the 90th percentile of the events of the
   * sensor's other sources (a busy sensor's bursts raise it, as they should). A minute: the lower
   * of that over the other minutes' events and MINUTE_MEDIAN_MULTIPLE times the median of their
   * peaks. On a quiet sensor a wave writes more events in a few minutes than the sensor has
   * written in hours, and its own ramp, or an earlier wave, would set the bar that the next spike
   * has to pass; its few minutes do not move the median of the sensor's minutes. On a busy sensor
   * each minute's peak stands above its events' values, so there the events' percentile is the
   * lower, and the bar stays what it was.
   */
  private coldTypical(baseline: UnitPeakBaseline, unit: string): number {
    const events = baseline.coldTypical(unit);
    if (this.spec.unit !== "sensor-minute") return events;
    const minutes = MINUTE_MEDIAN_MULTIPLE * baseline.coldUnitMedian(unit);
    return Number.isNaN(minutes) ? events : Math.min(events, minutes);
  }

  private minuteName(minute: number): string {
    if (minute !== this.namedMinute) {
      this.namedMinute = minute;
      this.minuteNamed = String(minute);
    }
    return this.minuteNamed;
  }

  private baselineOf(sensor: string): UnitPeakBaseline {
    let baseline = this.baselines.get(sensor);
    if (!baseline) {
      baseline = new UnitPeakBaseline(this.baselineOptions());
      this.baselines.set(sensor, baseline);
    }
    return baseline;
  }

  private baselineOptions() {
    return this.spec.unit === "source" ? { idleMs: SOURCE_IDLE_MS } : { idleMs: MINUTE_IDLE_MS, keepColdPeaks: true };
  }
}
