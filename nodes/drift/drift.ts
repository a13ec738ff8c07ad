/**
 * `drift`: by default watches the regime of the traffic - the mix of what the sources do, from
 * cleaned events - or one numeric message property with ADWIN, Page-Hinkley or DDM; on a change
 * it sends a drift event and a control message telling the online detector to reset, retrain or
 * switch models. A thin adapter over RegimeDrift and the drift catalogue; the monitor is kept in
 * a file under userDir (nodes/kit/model-store) and survives redeploys and restarts.
 */
import type { Node, NodeAPI, NodeMessage } from "node-red";
import { isDriftDetectorName } from "../../src/drift/drift-catalogue";
import { RegimeDrift } from "../../src/drift/regime-drift";
import { modelStore, saveModelEvery, settleModelStore } from "../kit/model-store";
import { ThrottledStatus } from "../kit/throttled-status";
import { statusCounts } from "../kit/status-counts";
import { numericWatcher, regimeOptionsOf, regimeWatcher, resume, type DriftConfig, type Watched, type Watcher } from "./drift-watchers";

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

// A crash skips close(); the file then still holds the state of 10 s before.
const SAVE_INTERVAL_MS = 10_000;

export = function register(RED: NodeAPI): void {
  function DriftNode(this: Node, config: DriftConfig) {
    RED.nodes.createNode(this, config);
    const node = this;
    // Absent in flows saved before the choice existed: ADWIN, as then.
    const chosen: unknown = config.detector || "adwin";
    const name: Watched = chosen === "regime" || isDriftDetectorName(chosen) ? chosen : "adwin";
    const store = config.persist !== false ? modelStore(RED, "drift", node.id, isSavedDrift) : undefined;
    const counts = { seen: 0, drifts: 0, lastDrift: 0 };
    let watcher: Watcher | undefined;
    let setupError = "";
    let savedSeen = -1;

    const status = new ThrottledStatus(node, () => {
      if (!watcher) return { fill: "red", shape: "ring", text: RED._("drift.status.config", { error: setupError }) };
      const warning = watcher.warning;
      const key = `${warning ? "warning" : "watching"}${counts.drifts === 0 ? "NoDrift" : ""}`;
      return { fill: warning ? "yellow" : "green", shape: "dot", text: RED._(`drift.status.${key}`, statusCounts({ detector: name, ...counts })) };
    });
    const fail = (key: string, detail: Record<string, string>) => {
      status.flash({ fill: "red", shape: "ring", text: RED._(`drift.status.${key}`, detail) });
      return new Error(RED._(`drift.error.${key}`, detail));
    };

    try {
      // A name from a flow edited by hand is not quietly replaced by ADWIN.
      if (chosen !== name) throw new RangeError(RED._("drift.error.detector", { detector: String(chosen) }));
      const saved = store?.load();
      const fresh = name === "regime" ? regimeWatcher(new RegimeDrift(regimeOptionsOf(config))) : numericWatcher(name, config, RED);
      const resumed = saved?.detector === name ? resume(name, fresh, saved.state, config, RED) : undefined;
      if (resumed && saved) Object.assign(counts, { seen: saved.seen, drifts: saved.drifts, lastDrift: saved.lastDrift });
      if (saved && !resumed) node.log(RED._("drift.log.startedAfresh"));
      watcher = resumed ?? fresh;
    } catch (e) {
      setupError = (e as Error).message;
      node.error(RED._("drift.error.config", { error: setupError }));
    }
    status.now();

    const save = () => {
      if (!watcher || !store || savedSeen === counts.seen) return;
      store.save({ detector: name, state: watcher.toJSON(), ...counts });
      savedSeen = counts.seen;
    };
    const saver = saveModelEvery(SAVE_INTERVAL_MS, save, (err) => node.warn(err.message));

    node.on("input", (msg, send, done) => {
      if (!watcher) return done(fail("config", { error: setupError }));
      const reading = watcher.read(msg, counts.seen + 1);
      if ("problem" in reading) return done(fail(reading.problem, reading.detail));
      counts.seen += 1;
      if (reading.drift) {
        counts.drifts += 1;
        counts.lastDrift = counts.seen;
        const control: NodeMessage & { control: string; reason: object } = { control: config.action || "reset", reason: reading.drift };
        send([{ payload: reading.drift }, control]);
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
