/**
 * `drift`: watches one numeric message property with ADWIN, Page-Hinkley or DDM; on a change it
 * sends a drift event and a control message telling the online detector to reset, retrain or
 * switch models. A thin adapter over the drift catalogue; the detector is kept in a file under
 * userDir (nodes/kit/model-store) and survives redeploys and restarts.
 */
import type { Node, NodeAPI, NodeDef, NodeMessage, NodeMessageInFlow } from "node-red";
import { createDriftDetector, isDriftDetectorName, restoreDriftDetector, type DriftDetectorName } from "../../src/drift/drift-catalogue";
import type { DriftDetector } from "../../src/drift/drift-detector";
import type { PageHinkleyMode } from "../../src/drift/page-hinkley";
import { optionalNumber } from "../kit/editor-number";
import { modelStore, settleModelStore } from "../kit/model-store";
import { ThrottledStatus } from "../kit/throttled-status";

type Setting = string | undefined;
interface DriftConfig extends NodeDef {
  detector: DriftDetectorName;
  property: string;
  action: "reset" | "retrain" | "switch";
  /** Absent in flows saved before it existed: on. */
  persist?: boolean;
  adwinDelta: Setting; adwinClock: Setting; adwinMaxBuckets: Setting; adwinMinWindow: Setting; adwinGracePeriod: Setting;
  phMinInstances: Setting; phDelta: Setting; phThreshold: Setting; phAlpha: Setting; phMode: PageHinkleyMode;
  ddmWarmStart: Setting; ddmWarning: Setting; ddmDrift: Setting; ddmErrorAt: Setting;
}

/** What the node saves between runs. */
interface SavedDrift {
  detector: string;
  state: { options: object };
  seen: number;
  drifts: number;
  lastDrift: number;
}

const isSavedDrift = (value: unknown): value is SavedDrift => {
  const saved = value as SavedDrift | null;
  return typeof saved?.detector === "string" && typeof saved.state === "object" && saved.state !== null
    && [saved.seen, saved.drifts, saved.lastDrift].every(Number.isInteger);
};

// A score at or above the usual alert threshold counts as one of DDM's errors.
const DEFAULT_ERROR_AT = 0.5;
// A crash skips close(); the file then still holds the state of 10 s before.
const SAVE_INTERVAL_MS = 10_000;

export = function register(RED: NodeAPI): void {
  function DriftNode(this: Node, config: DriftConfig) {
    RED.nodes.createNode(this, config);
    const node = this;
    const name = isDriftDetectorName(config.detector) ? config.detector : "adwin";
    const errorAt = optionalNumber(config.ddmErrorAt) ?? DEFAULT_ERROR_AT;
    const store = config.persist !== false ? modelStore(RED, "drift", node.id, isSavedDrift) : undefined;
    const counts = { seen: 0, drifts: 0, lastDrift: 0 };
    let detector: DriftDetector | undefined;
    let setupError = "";
    let savedSeen = -1;

    const status = new ThrottledStatus(node, () => {
      if (!detector) return { fill: "red", shape: "ring", text: RED._("drift.status.config", { error: setupError }) };
      const warning = detector.warningDetected;
      return { fill: warning ? "yellow" : "green", shape: "dot", text: RED._(`drift.status.${warning ? "warning" : "watching"}`, { detector: name, ...counts }) };
    });
    const fail = (key: string, detail: Record<string, string>) => {
      status.flash({ fill: "red", shape: "ring", text: RED._(`drift.status.${key}`, detail) });
      return new Error(RED._(`drift.error.${key}`, detail));
    };

    try {
      if (Number.isNaN(errorAt)) throw new RangeError(`the DDM error threshold must be a number, got ${config.ddmErrorAt}`);
      const fresh = createDriftDetector(name, optionsOf(config));
      const saved = store?.load();
      const resumed = saved?.detector === name ? resume(name, fresh, saved.state) : undefined;
      if (resumed && saved) Object.assign(counts, { seen: saved.seen, drifts: saved.drifts, lastDrift: saved.lastDrift });
      if (saved && !resumed) node.log(RED._("drift.log.startedAfresh"));
      detector = resumed ?? fresh;
    } catch (e) {
      setupError = (e as Error).message;
      node.error(RED._("drift.error.config", { error: setupError }));
    }
    status.now();

    const save = () => {
      if (!detector || !store || savedSeen === counts.seen) return;
      store.save({ detector: name, state: detector.toJSON(), ...counts });
      savedSeen = counts.seen;
    };
    const saver = setInterval(() => {
      try {
        save();
      } catch (err) {
        node.warn((err as Error).message);
      }
    }, SAVE_INTERVAL_MS);

    node.on("input", (msg, send, done) => {
      if (!detector) return done(fail("config", { error: setupError }));
      const value = RED.util.getMessageProperty(msg, config.property) as unknown;
      const x = detector.reads === "error-bits" ? errorBit(msg, value, errorAt) : finite(value);
      if (x === undefined) return done(fail("notNumeric", { property: config.property, got: kindOf(value) }));
      detector.update(x);
      counts.seen += 1;
      if (detector.driftDetected) {
        counts.drifts += 1;
        counts.lastDrift = counts.seen;
        const event = { detector: name, position: counts.seen, old_mean: detector.meanBeforeDrift, new_mean: detector.meanAfterDrift, value: x, time: Date.now() };
        const control: NodeMessage & { control: string; reason: typeof event } = { control: config.action || "reset", reason: event };
        send([{ payload: event }, control]);
        status.now();
      }
      status.soon();
      done();
    });

    node.on("close", (removed: boolean, done: () => void) => {
      clearInterval(saver);
      status.stop();
      settleModelStore(store, removed, save, (err) => node.error(err.message));
      done();
    });
  }

  RED.nodes.registerType("honeyflow-drift", DriftNode);
};

/** The options typed in the editor for the chosen detector; those left blank take the detector's defaults. */
function optionsOf(config: DriftConfig) {
  return {
    adwin: { delta: optionalNumber(config.adwinDelta), clock: optionalNumber(config.adwinClock), maxBuckets: optionalNumber(config.adwinMaxBuckets),
      minWindowLength: optionalNumber(config.adwinMinWindow), gracePeriod: optionalNumber(config.adwinGracePeriod) },
    "page-hinkley": { minInstances: optionalNumber(config.phMinInstances), delta: optionalNumber(config.phDelta),
      threshold: optionalNumber(config.phThreshold), alpha: optionalNumber(config.phAlpha), mode: config.phMode || undefined },
    ddm: { warmStart: optionalNumber(config.ddmWarmStart), warningThreshold: optionalNumber(config.ddmWarning), driftThreshold: optionalNumber(config.ddmDrift) },
  }[isDriftDetectorName(config.detector) ? config.detector : "adwin"];
}

/** The saved detector, unless it was saved under other options (the node was edited) or is unreadable. */
function resume(name: DriftDetectorName, fresh: DriftDetector, state: SavedDrift["state"]): DriftDetector | undefined {
  if (JSON.stringify(state.options) !== JSON.stringify(fresh.options)) return undefined;
  try {
    return restoreDriftDetector(name, state);
  } catch {
    return undefined;
  }
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
