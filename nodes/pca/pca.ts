/**
 * `pca`: streaming standardisation and incremental PCA (CCIPCA) of the `window features`
 * vector, adding the reduced vector and the reconstruction error to each message. A thin
 * adapter over StreamingPca; the model is kept in a file under userDir (nodes/kit/model-store)
 * and survives redeploys and restarts.
 */
import type { Node, NodeAPI, NodeDef, NodeMessageInFlow } from "node-red";
import { StreamingPca, type PcaOutput, type StreamingPcaSettings } from "../../src/preprocessing/streaming-pca";
import { optionalNumber } from "../kit/editor-number";
import { modelStore, saveModelEvery, settleModelStore } from "../kit/model-store";
import { ThrottledStatus } from "../kit/throttled-status";
import { statusCounts } from "../kit/status-counts";
import { WarningThrottle } from "../kit/warning-throttle";

interface PcaConfig extends NodeDef {
  selection: "fixed" | "variance";
  components: string;
  varianceTarget: string;
  maxComponents: string;
  amnesia: string;
  log1p: boolean;
  warmUp: string;
  onDimensionChange: "reject" | "reset";
  /** Absent in flows saved before it existed: on. */
  persist?: boolean;
}

type PcaMessage = NodeMessageInFlow & { control?: unknown; reset?: unknown };

// With a variance target, the editor's defaults; StreamingPca has no such mode by default.
const VARIANCE_TARGET = 0.9;
const VARIANCE_MAX_COMPONENTS = 10;
// A crash skips close(); the file then still holds the model of 10 s before.
const SAVE_INTERVAL_MS = 10_000;
// StreamingPca.fromJSON checks the rest, and refuses a model saved under other settings.
const isSavedModel = (value: unknown): value is object => typeof value === "object" && value !== null;

export = function register(RED: NodeAPI): void {
  function PcaNode(this: Node, config: PcaConfig) {
    RED.nodes.createNode(this, config);
    const node = this;
    const store = config.persist !== false ? modelStore(RED, "pca", node.id, isSavedModel) : undefined;
    const settings = settingsOf(config);
    let model: StreamingPca;
    try {
      model = new StreamingPca(settings);
    } catch (err) {
      node.status({ fill: "red", shape: "ring", text: RED._("pca.status.badConfig") });
      node.on("input", (_msg, _send, done) => done(new Error(RED._("pca.error.config", { error: (err as Error).message }))));
      return;
    }
    let last: PcaOutput | undefined;
    let rejected: { reason: string } | undefined;
    let rejectedCount = 0;
    let unsaved = false;
    /** The names array last found to hold only strings: window features sends the same frozen one every time. */
    let checkedNames: readonly string[] | undefined;
    const status = new ThrottledStatus(node, () => {
      const counts = statusCounts({ seen: model.seen, warmUp: model.settings.warmUp, rejected: rejectedCount });
      if (rejected) return { fill: "red", shape: "ring", text: RED._("pca.status.rejected", { ...counts, ...rejected }) };
      if (!model.warm) return { fill: "yellow", shape: "ring", text: RED._("pca.status.warming", counts) };
      if (!last) return { fill: "green", shape: "ring", text: RED._("pca.status.restored", counts) };
      const explained = (100 * last.explained_variance.reduce((a, b) => a + b, 0)).toFixed(0);
      return { fill: "green", shape: "dot", text: RED._("pca.status.warm", { ...counts, k: last.vector.length, explained }) };
    });
    const save = () => {
      if (!unsaved || !store) return;
      unsaved = false;
      store.save(model.toJSON());
    };
    const forget = () => {
      model.reset();
      last = undefined;
      unsaved = false;
      store?.remove();
    };

    // Two layouts interleaved (two window-features nodes feeding one pca) start over at every switch.
    const layoutResets = new WarningThrottle(60_000, (text) => node.warn(text));
    const saved = store?.load();
    const restored = saved && StreamingPca.fromJSON(saved, settings);
    if (saved && !restored) node.warn(RED._("pca.warn.discarded"));
    model = restored || model;
    status.now();
    const saver = saveModelEvery(SAVE_INTERVAL_MS, save, (err) => node.warn(RED._("pca.error.save", { error: err.message })));

    node.on("input", (msg: PcaMessage, send, done) => {
      const reject = (reason: string, detail: Record<string, string | number> = {}) => {
        rejected = { reason };
        rejectedCount += 1;
        status.soon();
        done(new Error(RED._(`pca.error.${reason}`, detail)));
      };
      if (msg.control !== undefined || msg.reset !== undefined) {
        if (msg.control !== undefined && msg.control !== "reset") return reject("control", { control: String(msg.control) });
        forget();
        rejected = undefined;
        status.now();
        return done();
      }
      const input = vectorOf(msg.payload, checkedNames);
      if (!input) return reject("no-vector");
      if (input.names === null) return reject("names-type");
      checkedNames = input.names;
      let problem = model.problemWith(input.vector, input.names);
      if ((problem?.reason === "dimension" || problem?.reason === "names") && config.onDimensionChange === "reset") {
        layoutResets.warn(RED._("pca.warn.layoutReset", { detail: RED._(`pca.error.${problem.reason}`, problem) }));
        forget();
        problem = model.problemWith(input.vector, input.names);
      }
      if (problem) return reject(problem.reason, problem);
      last = model.update(input.vector as number[], input.names);
      unsaved = true;
      rejected = undefined;
      const payload = Array.isArray(msg.payload) ? { vector: msg.payload } : (msg.payload as object);
      msg.payload = { ...payload, pca: last };
      send(msg);
      done();
      status.soon();
    });

    node.on("close", (removed: boolean, done: () => void) => {
      clearInterval(saver);
      status.stop();
      settleModelStore(store, removed, save, (err) => node.error(RED._("pca.error.save", { error: err.message })));
      done();
    });
  }

  RED.nodes.registerType("honeyflow-pca", PcaNode);
};

function settingsOf(config: PcaConfig): Partial<StreamingPcaSettings> {
  const variance = config.selection === "variance";
  const settings = {
    components: variance ? optionalNumber(config.maxComponents) ?? VARIANCE_MAX_COMPONENTS : optionalNumber(config.components),
    varianceTarget: variance ? optionalNumber(config.varianceTarget) ?? VARIANCE_TARGET : null,
    amnesia: optionalNumber(config.amnesia),
    log1p: config.log1p !== false,
    warmUp: optionalNumber(config.warmUp),
  };
  // A setting left blank takes StreamingPca's default.
  return Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined)) as Partial<StreamingPcaSettings>;
}

/**
 * The vector and names of a `window features` payload or a plain array; names null when not a list
 * of strings. `checked` is an array already found to be one, which is not looked through again.
 */
function vectorOf(payload: unknown, checked: readonly string[] | undefined): { vector: unknown[]; names?: readonly string[] | null } | undefined {
  if (Array.isArray(payload)) return { vector: payload };
  const { vector, names } = (payload ?? {}) as { vector?: unknown; names?: unknown };
  if (!Array.isArray(vector)) return undefined;
  if (names === undefined) return { vector };
  if (names === checked && Object.isFrozen(names)) return { vector, names: checked };
  return { vector, names: Array.isArray(names) && names.every((n) => typeof n === "string") ? (names as string[]) : null };
}
