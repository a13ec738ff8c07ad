/**
 * `pca`: streaming standardisation and incremental PCA (CCIPCA) of the `window features`
 * vector, adding the reduced vector and the reconstruction error to each message. A thin
 * adapter over StreamingPca; the model is kept in a file under userDir (nodes/kit/model-store)
 * and survives redeploys and restarts.
 */
import type { Node, NodeAPI, NodeDef, NodeMessageInFlow } from "node-red";
import { StreamingPca, type PcaOutput, type StreamingPcaSettings } from "../../src/preprocessing/streaming-pca";
import { modelStore } from "../kit/model-store";

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

const STATUS_INTERVAL_MS = 500;
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
    let statusTimer: NodeJS.Timeout | undefined;

    const showStatus = () => {
      statusTimer = undefined;
      const counts = { seen: model.seen, warmUp: settings.warmUp, rejected: rejectedCount };
      if (rejected) node.status({ fill: "red", shape: "ring", text: RED._("pca.status.rejected", { ...counts, ...rejected }) });
      else if (!model.warm) node.status({ fill: "yellow", shape: "ring", text: RED._("pca.status.warming", counts) });
      else if (!last) node.status({ fill: "green", shape: "ring", text: RED._("pca.status.restored", counts) });
      else {
        const explained = (100 * last.explained_variance.reduce((a, b) => a + b, 0)).toFixed(0);
        node.status({ fill: "green", shape: "dot", text: RED._("pca.status.warm", { ...counts, k: last.vector.length, explained }) });
      }
    };
    const refreshStatusSoon = () => {
      statusTimer ??= setTimeout(showStatus, STATUS_INTERVAL_MS);
    };
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

    const saved = store?.load();
    if (saved) {
      const restored = StreamingPca.fromJSON(saved, settings);
      if (restored) model = restored;
      else node.warn(RED._("pca.warn.discarded"));
    }
    showStatus();
    const saver = setInterval(() => {
      try {
        save();
      } catch (err) {
        node.warn(RED._("pca.error.save", { error: (err as Error).message }));
      }
    }, SAVE_INTERVAL_MS);

    function handle(msg: PcaMessage, send: (msg: NodeMessageInFlow) => void, done: (err?: Error) => void) {
      const reject = (reason: string, detail: Record<string, string | number> = {}) => {
        rejected = { reason };
        rejectedCount += 1;
        refreshStatusSoon();
        done(new Error(RED._(`pca.error.${reason}`, detail)));
      };
      if (msg.control !== undefined || msg.reset !== undefined) {
        if (msg.control !== undefined && msg.control !== "reset") return reject("control", { control: String(msg.control) });
        forget();
        rejected = undefined;
        showStatus();
        return done();
      }
      const input = vectorOf(msg.payload, checkedNames);
      if (!input) return reject("no-vector");
      if (input.names === null) return reject("names-type");
      checkedNames = input.names;
      let problem = model.problemWith(input.vector, input.names);
      if ((problem?.reason === "dimension" || problem?.reason === "names") && config.onDimensionChange === "reset") {
        node.warn(RED._("pca.warn.layoutReset", { detail: RED._(`pca.error.${problem.reason}`, problem) }));
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
      refreshStatusSoon();
    }

    node.on("input", handle);

    node.on("close", (removed: boolean, done: () => void) => {
      clearInterval(saver);
      clearTimeout(statusTimer);
      try {
        if (removed) store?.remove();
        else save();
      } catch (err) {
        node.error(RED._("pca.error.save", { error: (err as Error).message }));
      }
      done();
    });
  }

  RED.nodes.registerType("honeyflow-pca", PcaNode);
};

function settingsOf(config: PcaConfig): StreamingPcaSettings {
  const number = (value: string, fallback: number) => (value === undefined || String(value).trim() === "" ? fallback : Number(value));
  const variance = config.selection === "variance";
  return {
    components: variance ? number(config.maxComponents, 10) : number(config.components, 3),
    varianceTarget: variance ? number(config.varianceTarget, 0.9) : null,
    amnesia: number(config.amnesia, 2),
    log1p: config.log1p !== false,
    warmUp: number(config.warmUp, 100),
  };
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
