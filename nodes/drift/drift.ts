/**
 * `drift`: watches one numeric message property with ADWIN, Page-Hinkley or DDM; on a change it
 * sends a drift event and a control message telling the online detector to reset, retrain or
 * switch models. A thin adapter over Adwin, PageHinkley and Ddm. Their state is kept in the node's
 * context, which Node-RED keeps across deploys (and restarts, if persistent) only when settings.js
 * configures contextStorage.
 */
import type { Node, NodeAPI, NodeDef, NodeMessage, NodeMessageInFlow } from "node-red";
import { Adwin, type AdwinState } from "../../src/drift/adwin";
import { Ddm, type DdmState } from "../../src/drift/ddm";
import { PageHinkley, type PageHinkleyMode, type PageHinkleyState } from "../../src/drift/page-hinkley";

type Setting = string | undefined;
interface DriftConfig extends NodeDef {
  detector: "adwin" | "page-hinkley" | "ddm";
  property: string;
  action: "reset" | "retrain" | "switch";
  store: string;
  adwinDelta: Setting; adwinClock: Setting; adwinMaxBuckets: Setting; adwinMinWindow: Setting; adwinGracePeriod: Setting;
  phMinInstances: Setting; phDelta: Setting; phThreshold: Setting; phAlpha: Setting; phMode: PageHinkleyMode;
  ddmWarmStart: Setting; ddmWarning: Setting; ddmDrift: Setting; ddmErrorAt: Setting;
}

type Detector = Adwin | PageHinkley | Ddm;

/** What the node keeps in its context between deploys. */
interface SavedDrift {
  detector: string;
  state: AdwinState | PageHinkleyState | DdmState;
  seen: number;
  drifts: number;
  lastDrift: number;
}

const STATE_KEY = "honeyflow-drift";
// A score at or above the usual alert threshold counts as one of DDM's errors.
const DEFAULT_ERROR_AT = 0.5;
const STATUS_INTERVAL_MS = 500;
// A crash skips close(); a persistent context store then still holds the state of 10 s before.
const SAVE_INTERVAL_MS = 10_000;

export = function register(RED: NodeAPI): void {
  function DriftNode(this: Node, config: DriftConfig) {
    RED.nodes.createNode(this, config);
    const node = this;
    const store = config.store || undefined;
    const errorAt = setting(config.ddmErrorAt) ?? DEFAULT_ERROR_AT;
    // Without contextStorage in settings.js, Node-RED drops a node's context when the node stops.
    if (!(RED.settings as { contextStorage?: unknown }).contextStorage) node.log(RED._("drift.log.contextDropped"));
    const counts = { seen: 0, drifts: 0, lastDrift: 0 };
    let detector: Detector | undefined;
    let setupError = "";
    let statusTimer: NodeJS.Timeout | undefined;
    let savedSeen = -1;

    const showStatus = () => {
      statusTimer = undefined;
      if (!detector) return node.status({ fill: "red", shape: "ring", text: RED._("drift.status.config", { error: setupError }) });
      const warning = detector instanceof Ddm && detector.warningDetected;
      node.status({ fill: warning ? "yellow" : "green", shape: "dot", text: RED._(`drift.status.${warning ? "warning" : "watching"}`, { detector: config.detector, ...counts }) });
    };
    const fail = (key: string, detail: Record<string, string>) => {
      clearTimeout(statusTimer);
      statusTimer = setTimeout(showStatus, STATUS_INTERVAL_MS);
      node.status({ fill: "red", shape: "ring", text: RED._(`drift.status.${key}`, detail) });
      return new Error(RED._(`drift.error.${key}`, detail));
    };

    const restored = new Promise<void>((resolve) => {
      node.context().get(STATE_KEY, store, (err, value) => {
        const saved = err ? undefined : (value as SavedDrift | undefined);
        try {
          const fresh = detectorFor(config);
          const resumed = saved?.detector === config.detector ? resume(fresh, saved.state) : undefined;
          if (resumed && saved && Number.isInteger(saved.seen)) Object.assign(counts, { seen: saved.seen, drifts: saved.drifts, lastDrift: saved.lastDrift });
          if (saved && !resumed) node.log(RED._("drift.log.startedAfresh"));
          detector = resumed ?? fresh;
          showStatus();
        } catch (e) {
          setupError = (e as Error).message;
          node.error(RED._("drift.error.config", { error: setupError }));
          showStatus();
        }
        resolve();
      });
    });

    const save = () => new Promise<void>((resolve, reject) => {
      if (!detector || savedSeen === counts.seen) return resolve();
      const record: SavedDrift = { detector: config.detector, state: detector.toJSON(), ...counts };
      node.context().set(STATE_KEY, record, store, (err) => (err ? reject(err) : resolve()));
      savedSeen = counts.seen;
    });
    const saver = setInterval(() => save().catch((err: Error) => node.warn(err.message)), SAVE_INTERVAL_MS);

    node.on("input", (msg, send, done) => {
      void restored.then(() => {
        if (!detector) return done(fail("config", { error: setupError }));
        const value = RED.util.getMessageProperty(msg, config.property) as unknown;
        const x = detector instanceof Ddm ? errorBit(msg, value, errorAt) : finite(value);
        if (x === undefined) return done(fail("notNumeric", { property: config.property, got: kindOf(value) }));
        detector.update(x);
        counts.seen += 1;
        if (detector.driftDetected) {
          counts.drifts += 1;
          counts.lastDrift = counts.seen;
          const event = { detector: config.detector, position: counts.seen, old_mean: detector.meanBeforeDrift, new_mean: detector.meanAfterDrift, value: x, time: Date.now() };
          const control: NodeMessage & { control: string; reason: typeof event } = { control: config.action || "reset", reason: event };
          send([{ payload: event }, control]);
          showStatus();
        }
        statusTimer ??= setTimeout(showStatus, STATUS_INTERVAL_MS);
        done();
      }).catch(done);
    });

    node.on("close", (removed: boolean, done: () => void) => {
      clearInterval(saver);
      clearTimeout(statusTimer);
      restored.then(() => (removed ? undefined : save())).catch((err: Error) => node.error(err.message)).finally(done);
    });
  }

  RED.nodes.registerType("honeyflow-drift", DriftNode);
};

function detectorFor(config: DriftConfig): Detector {
  if (config.detector === "page-hinkley") {
    return new PageHinkley(given({ minInstances: setting(config.phMinInstances), delta: setting(config.phDelta),
      threshold: setting(config.phThreshold), alpha: setting(config.phAlpha), mode: config.phMode || undefined }));
  }
  if (config.detector === "ddm") {
    if (Number.isNaN(setting(config.ddmErrorAt))) throw new RangeError(`the DDM error threshold must be a number, got ${config.ddmErrorAt}`);
    return new Ddm(given({ warmStart: setting(config.ddmWarmStart), warningThreshold: setting(config.ddmWarning), driftThreshold: setting(config.ddmDrift) }));
  }
  return new Adwin(given({ delta: setting(config.adwinDelta), clock: setting(config.adwinClock), maxBuckets: setting(config.adwinMaxBuckets),
    minWindowLength: setting(config.adwinMinWindow), gracePeriod: setting(config.adwinGracePeriod) }));
}

/** `fresh`'s kind continued from `state`, unless that was saved under other options (the node was edited) or is unreadable. */
function resume(fresh: Detector, state: SavedDrift["state"]): Detector | undefined {
  if (JSON.stringify(state?.options) !== JSON.stringify(fresh.options)) return undefined;
  try {
    if (fresh instanceof Adwin) return Adwin.fromJSON(state as AdwinState);
    return fresh instanceof Ddm ? Ddm.fromJSON(state as DdmState) : PageHinkley.fromJSON(state as PageHinkleyState);
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
/** A number typed in the editor; undefined when left blank, for the detector's default. */
const setting = (value: Setting) => (value === undefined || String(value).trim() === "" ? undefined : Number(value));
/** The options that were given: those left out take the detector's defaults. */
const given = <T extends object>(options: T) => Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as Partial<T>;
const kindOf = (value: unknown) => (typeof value === "number" || value === undefined || value === null ? String(value) : typeof value);
