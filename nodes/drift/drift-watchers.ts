/**
 * What the drift node watches, behind one small interface: regime drift on cleaned events, or
 * ADWIN, Page-Hinkley or DDM on a number, each read from a message, with its editor settings
 * and its saved state.
 */
import type { NodeAPI, NodeDef, NodeMessageInFlow } from "node-red";
import { createDriftDetector, restoreDriftDetector, type DriftDetectorName } from "../../src/drift/drift-catalogue";
import { isDriftValue, LARGEST_DRIFT_VALUE, type DriftDetector } from "../../src/drift/drift-detector";
import type { PageHinkleyMode } from "../../src/drift/page-hinkley";
import { RegimeDrift, regimeDriftEvent, type RegimeDriftState, type RegimeEvent } from "../../src/drift/regime-drift";
import { optionalNumber } from "../kit/editor-number";

type Setting = string | undefined;
export type Watched = "regime" | DriftDetectorName;
export interface DriftConfig extends NodeDef {
  /** Absent in flows saved before the choice existed: ADWIN, as then. */
  detector?: string;
  property: string;
  action: "reset" | "retrain" | "switch";
  /** Absent in flows saved before it existed: on. */
  persist?: boolean;
  regimeBlockSources?: Setting; regimeRecentMinutes?: Setting; regimeMinChange?: Setting; regimeMinGap?: Setting;
  adwinDelta: Setting; adwinClock: Setting; adwinMaxBuckets: Setting; adwinMinWindow: Setting; adwinGracePeriod: Setting;
  phMinInstances: Setting; phDelta: Setting; phThreshold: Setting; phAlpha: Setting; phMode: PageHinkleyMode;
  ddmWarmStart: Setting; ddmWarning: Setting; ddmDrift: Setting; ddmErrorAt: Setting;
}

/** One message read: the drift it completed, if any, or the locale key of why it could not be read. */
export type Reading = { drift?: Record<string, unknown> } | { problem: string; detail: Record<string, string> };

/** A regime monitor or a numeric detector, behind what the node needs of either. */
export interface Watcher {
  read(msg: NodeMessageInFlow, position: number): Reading;
  readonly warning: boolean;
  toJSON(): { options: object };
}

// A score at or above the usual alert threshold counts as one of DDM's errors.
const DEFAULT_ERROR_AT = 0.5;

/** Regime drift on cleaned events: msg.payload is the event. */
export function regimeWatcher(monitor: RegimeDrift): Watcher {
  return {
    read: (msg, position) => {
      const event = regimeEventOf(msg.payload);
      if (!event) return { problem: "notAnEvent", detail: { got: whatIsMissing(msg.payload) } };
      const change = monitor.observe(event);
      return change ? { drift: regimeDriftEvent(change, position) } : {};
    },
    warning: false,
    toJSON: () => monitor.toJSON(),
  };
}

/** ADWIN, Page-Hinkley or DDM on the number at the configured property. */
export function numericWatcher(name: DriftDetectorName, config: DriftConfig, RED: NodeAPI, detector?: DriftDetector): Watcher {
  const errorAt = optionalNumber(config.ddmErrorAt) ?? DEFAULT_ERROR_AT;
  if (Number.isNaN(errorAt)) throw new RangeError(`the DDM error threshold must be a number, got ${config.ddmErrorAt}`);
  const watched = detector ?? createDriftDetector(name, numericOptionsOf(config, name));
  return {
    read: (msg, position) => {
      const value = RED.util.getMessageProperty(msg, config.property) as unknown;
      const x = watched.reads === "error-bits" ? errorBit(msg, value, errorAt) : finite(value);
      if (x === undefined) return { problem: "notNumeric", detail: { property: config.property, got: kindOf(value) } };
      if (watched.reads === "values" && !isDriftValue(x)) {
        return { problem: "outOfRange", detail: { property: config.property, got: String(x), largest: String(LARGEST_DRIFT_VALUE) } };
      }
      watched.update(x);
      if (!watched.driftDetected) return {};
      return { drift: { detector: name, position, old_mean: watched.meanBeforeDrift, new_mean: watched.meanAfterDrift, value: x, time: Date.now() } };
    },
    get warning() {
      return watched.warningDetected;
    },
    toJSON: () => watched.toJSON(),
  };
}

/** Regime drift's settings typed in the editor; those left blank take its defaults. */
export function regimeOptionsOf(config: DriftConfig) {
  const options = { blockSources: optionalNumber(config.regimeBlockSources), recentMinutes: optionalNumber(config.regimeRecentMinutes),
    minChange: optionalNumber(config.regimeMinChange), minGapMinutes: optionalNumber(config.regimeMinGap) };
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
}

/** The options typed in the editor for the chosen detector; those left blank take the detector's defaults. */
function numericOptionsOf(config: DriftConfig, name: DriftDetectorName) {
  return {
    adwin: { delta: optionalNumber(config.adwinDelta), clock: optionalNumber(config.adwinClock), maxBuckets: optionalNumber(config.adwinMaxBuckets),
      minWindowLength: optionalNumber(config.adwinMinWindow), gracePeriod: optionalNumber(config.adwinGracePeriod) },
    "page-hinkley": { minInstances: optionalNumber(config.phMinInstances), delta: optionalNumber(config.phDelta),
      threshold: optionalNumber(config.phThreshold), alpha: optionalNumber(config.phAlpha), mode: config.phMode || undefined },
    ddm: { warmStart: optionalNumber(config.ddmWarmStart), warningThreshold: optionalNumber(config.ddmWarning), driftThreshold: optionalNumber(config.ddmDrift) },
  }[name];
}

/** The saved watcher, unless it was saved under other options (the node was edited) or is unreadable. */
export function resume(name: Watched, fresh: Watcher, state: { options: object }, config: DriftConfig, RED: NodeAPI): Watcher | undefined {
  if (JSON.stringify(state.options) !== JSON.stringify(fresh.toJSON().options)) return undefined;
  try {
    if (name === "regime") return regimeWatcher(RegimeDrift.fromJSON(state as RegimeDriftState));
    return numericWatcher(name, config, RED, restoreDriftDetector(name, state));
  } catch {
    return undefined;
  }
}

/** A cleaned event (clean's first output): a source, an eventid and an event time (time_ms, or time as ISO 8601). */
function regimeEventOf(payload: unknown): RegimeEvent | undefined {
  if (typeof payload !== "object" || payload === null) return undefined;
  const event = payload as Partial<Record<keyof RegimeEvent | "time", unknown>>;
  const time_ms = typeof event.time_ms === "number" ? event.time_ms : typeof event.time === "string" ? Date.parse(event.time) : NaN;
  if (typeof event.src_ip !== "string" || typeof event.eventid !== "string" || !Number.isFinite(time_ms)) return undefined;
  const text = (value: unknown) => (typeof value === "string" ? value : undefined);
  return { time_ms, src_ip: event.src_ip, eventid: event.eventid, protocol: text(event.protocol), client_version: text(event.client_version), hassh: text(event.hassh) };
}

/** What keeps `payload` from being a cleaned event, in a few words for the error. */
function whatIsMissing(payload: unknown): string {
  if (typeof payload !== "object" || payload === null) return kindOf(payload);
  const event = payload as Record<string, unknown>;
  const missing = ["src_ip", "eventid"].filter((field) => typeof event[field] !== "string");
  if (!(typeof event.time_ms === "number" && Number.isFinite(event.time_ms)) && !(typeof event.time === "string" && Number.isFinite(Date.parse(event.time)))) missing.push("time");
  return `an object without ${missing.join(", ")}`;
}

/** DDM's input: msg.error when the flow knows right from wrong (true or 1), else whether the value reaches `errorAt`. */
function errorBit(msg: NodeMessageInFlow, value: unknown, errorAt: number): number | undefined {
  const error = (msg as { error?: unknown }).error;
  if (typeof error === "boolean" || error === 0 || error === 1) return Number(error);
  const x = finite(value);
  return x === undefined ? undefined : Number(x >= errorAt);
}

const finite = (value: unknown) => (typeof value === "number" && Number.isFinite(value) ? value : undefined);
const kindOf = (value: unknown) => (typeof value === "number" || value === undefined || value === null ? String(value) : typeof value);
