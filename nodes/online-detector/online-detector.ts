/**
 * `online detector`: scores each feature vector before learning it, flags anomalies against an
 * adaptive threshold and explains them. A thin adapter over OnlineAnomalyScorer.
 */
import * as path from "node:path";
import type { Node, NodeAPI, NodeDef, NodeMessageInFlow } from "node-red";
import { DETECTOR_NAMES, DetectorName } from "../../src/anomaly/detector-catalogue";
import { EventOrigin, isOnlineAnomalyScorerState, OnlineAnomalyScorer } from "../../src/scoring/online-anomaly-scorer";
import { StateFile } from "../../src/persistence/state-file";
import { nonNegativeNumber, positiveNumber } from "../kit/editor-number";

interface OnlineDetectorConfig extends NodeDef {
  detector: DetectorName;
  vectorProperty: string;
  namesProperty: string;
  thresholdMode: "adaptive" | "fixed";
  quantile: string;
  fixedThreshold: string;
  warmUp: string;
  topFeatures: string;
  ignoreFeatures?: string;
  /** Absent in flows saved before it existed: on. */
  sustained?: boolean;
  persist: boolean;
}

type DetectorMessage = NodeMessageInFlow & { control?: unknown };

const STATUS_INTERVAL_MS = 500;
const SAVE_INTERVAL_MS = 60_000;

export = function register(RED: NodeAPI): void {
  function OnlineDetectorNode(this: Node, config: OnlineDetectorConfig) {
    RED.nodes.createNode(this, config);
    const node = this;
    const options = {
      detector: DETECTOR_NAMES.includes(config.detector) ? config.detector : "default",
      threshold: {
        quantile: Number(config.quantile) > 0 && Number(config.quantile) < 1 ? Number(config.quantile) : 0.995,
        warmUp: nonNegativeNumber(config.warmUp, 500),
        ...(config.thresholdMode === "fixed" ? { fixed: nonNegativeNumber(config.fixedThreshold, 0.9) } : {}),
      },
      topFeatures: positiveNumber(config.topFeatures, 3),
      ...(config.ignoreFeatures !== undefined ? { ignoreFeatures: config.ignoreFeatures } : {}),
      sustained: config.sustained !== false,
    } as const;
    const userDir = RED.settings.userDir as string | undefined;
    const stateFile = config.persist !== false && userDir
      ? new StateFile(path.join(userDir, "honeyflow", "online-detector", `${node.id}.json`), isOnlineAnomalyScorerState) : undefined;
    const saved = stateFile?.load();
    let scorer = saved && saved.options.detector === options.detector ? OnlineAnomalyScorer.fromJSON({ ...saved, options }) : new OnlineAnomalyScorer(options);
    let statusTimer: NodeJS.Timeout | undefined;

    const showStatus = () => {
      statusTimer = undefined;
      const counts = { detector: options.detector, events: scorer.events, anomalies: scorer.anomalies };
      node.status({ fill: scorer.anomalies > 0 ? "yellow" : "green", shape: "dot", text: RED._("online-detector.status.scoring", counts) });
    };
    showStatus();
    const saver = stateFile ? setInterval(() => stateFile.save(scorer.toJSON()), SAVE_INTERVAL_MS) : undefined;

    const controls: Record<string, (msg: DetectorMessage, send: (m: unknown) => void) => void> = {
      reset: () => scorer.reset(),
      retrain: () => scorer.retrain(),
      switch: () => scorer.switchModel(),
      snapshot: (msg, send) => send([{ ...msg, payload: scorer.toJSON() }, null]),
      restore: (msg) => {
        if (!isOnlineAnomalyScorerState(msg.payload)) throw new Error(RED._("online-detector.error.restore"));
        scorer = OnlineAnomalyScorer.fromJSON({ ...msg.payload, options });
      },
    };

    node.on("input", (msg: DetectorMessage, send, done) => {
      try {
        if (msg.control !== undefined) {
          const control = typeof msg.control === "string" ? controls[msg.control] : undefined;
          if (!control) throw new Error(RED._("online-detector.error.control", { control: String(msg.control) }));
          control(msg, send as (m: unknown) => void);
          showStatus();
          return done();
        }
        const vector: unknown = RED.util.getMessageProperty(msg, config.vectorProperty || "payload.vector");
        if (!Array.isArray(vector) || vector.length === 0 || !vector.every((v) => typeof v === "number" && Number.isFinite(v))) {
          throw new Error(RED._("online-detector.error.vector", { property: config.vectorProperty || "payload.vector" }));
        }
        const names: unknown = RED.util.getMessageProperty(msg, config.namesProperty || "payload.names");
        const payload = typeof msg.payload === "object" && msg.payload !== null ? msg.payload : { value: msg.payload };
        const detection = scorer.process(vector as number[], Array.isArray(names) ? (names as string[]) : [], originOf(payload));
        const out = { ...msg, payload: { ...withoutLayout(payload), detection: { detector: options.detector, ...detection } } };
        send([out, detection.anomaly ? out : null]);
        statusTimer ??= setTimeout(showStatus, STATUS_INTERVAL_MS);
        done();
      } catch (err) {
        node.status({ fill: "red", shape: "ring", text: (err as Error).message });
        done(err as Error);
      }
    });

    node.on("close", (_removed: boolean, done: () => void) => {
      clearTimeout(statusTimer);
      clearInterval(saver);
      try {
        stateFile?.save(scorer.toJSON());
      } catch (err) {
        node.error((err as Error).message);
      }
      done();
    });
  }

  RED.nodes.registerType("honeyflow-online-detector", OnlineDetectorNode);
};

/**
 * The payload without `vector` and `names`: the layout window features makes for the models, which
 * the named `features` repeat. Node-RED deep-clones a message for every extra wire, and the
 * detector's output usually has three or four (drift, alert, InfluxDB, the dashboard): the two
 * 62-entry arrays took about half of each clone's time (12 of 24 us with lodash.clonedeep, which Node-RED uses).
 */
function withoutLayout(payload: object): Record<string, unknown> {
  const rest: Record<string, unknown> = {};
  for (const key of Object.keys(payload)) if (key !== "vector" && key !== "names") rest[key] = (payload as Record<string, unknown>)[key];
  return rest;
}

/** The source and sensor of a `window features` event, where the payload names them. */
function originOf(payload: object): EventOrigin {
  const { src_ip, sensor } = payload as { src_ip?: unknown; sensor?: unknown };
  // Assigned rather than spread from throwaway objects: this runs for every event.
  const origin: EventOrigin = {};
  if (typeof src_ip === "string") origin.src_ip = src_ip;
  if (typeof sensor === "string") origin.sensor = sensor;
  return origin;
}
