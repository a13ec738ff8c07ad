/**
 * `online detector`: scores each feature vector before learning it, flags anomalies against an
 * adaptive threshold and explains them. A thin adapter over OnlineAnomalyScorer.
 */
import type { Node, NodeAPI, NodeDef, NodeMessageInFlow } from "node-red";
import { AdaptiveThreshold } from "../../src/scoring/adaptive-threshold";
import { DetectionName, EventOrigin, isDetectionName, isOnlineAnomalyScorerState, OnlineAnomalyScorer, restoredScorer } from "../../src/scoring/online-anomaly-scorer";
import { RULE_DEFAULTS } from "../../src/typed-detection/rules-detection";
import { fraction, nonNegativeNumber, positiveCount, positiveNumber } from "../kit/editor-number";
import { modelStore, saveModelEvery, settleModelStore } from "../kit/model-store";
import { controlNamed } from "../kit/control-message";
import { ThrottledStatus } from "../kit/throttled-status";
import { statusCounts } from "../kit/status-counts";
import { WarningThrottle } from "../kit/warning-throttle";

interface OnlineDetectorConfig extends NodeDef {
  detector: DetectionName;
  /** Background alerts a sensor may raise a day from typed detection; absent in older flows: 2. */
  alertsPerDay?: string;
  ruleFailedLogins?: string;
  ruleTunnelPorts?: string;
  ruleSpikeFactor?: string;
  ruleCampaignSources?: string;
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

/** `learn: false`: score against the live model without teaching it (events posted to the REST API). */
type DetectorMessage = NodeMessageInFlow & { control?: unknown; learn?: unknown };

const SAVE_INTERVAL_MS = 60_000;
/**
 * Many times what window features makes of a dozen windows. The model keeps distributions for every
 * feature: a vector wide enough, still a small message, cost it more memory than the rest of the flow,
 * and started it afresh on features no sensor has.
 */
const MAX_FEATURES = 4096;

export = function register(RED: NodeAPI): void {
  function OnlineDetectorNode(this: Node, config: OnlineDetectorConfig) {
    RED.nodes.createNode(this, config);
    const node = this;
    const detector: unknown = config.detector || "default";
    const options = {
      detector: isDetectionName(detector) ? detector : "default",
      alertsPerDay: positiveNumber(config.alertsPerDay, 2),
      rules: {
        failedLogins: positiveNumber(config.ruleFailedLogins, RULE_DEFAULTS.failedLogins),
        tunnelPorts: positiveNumber(config.ruleTunnelPorts, RULE_DEFAULTS.tunnelPorts),
        spikeFactor: positiveNumber(config.ruleSpikeFactor, RULE_DEFAULTS.spikeFactor),
        campaignSources: positiveNumber(config.ruleCampaignSources, RULE_DEFAULTS.campaignSources),
      },
      threshold: {
        quantile: fraction(config.quantile, AdaptiveThreshold.DEFAULTS.quantile),
        warmUp: nonNegativeNumber(config.warmUp, AdaptiveThreshold.DEFAULTS.warmUp),
        ...(config.thresholdMode === "fixed" ? { fixed: nonNegativeNumber(config.fixedThreshold, 0.9) } : {}),
      },
      topFeatures: positiveCount(config.topFeatures, 3),
      ...(config.ignoreFeatures !== undefined ? { ignoreFeatures: config.ignoreFeatures } : {}),
      sustained: config.sustained !== false,
    } as const;
    let scorer: OnlineAnomalyScorer;
    try {
      // A name from a flow edited by hand is not quietly replaced by another detector.
      if (!isDetectionName(detector)) throw new RangeError(RED._("online-detector.error.detector", { detector: String(detector) }));
      scorer = new OnlineAnomalyScorer(options);
    } catch (err) {
      // Settings the editor refuses but a hand-edited flow can hold (an ignore pattern that is no
      // regular expression, an unknown detector): thrown from here, they would drop the node from the flow.
      node.status({ fill: "red", shape: "ring", text: RED._("online-detector.status.badConfig") });
      node.on("input", (_msg, _send, done) => done(new Error(RED._("online-detector.error.config", { error: (err as Error).message }))));
      return;
    }
    const stateFile = config.persist !== false ? modelStore(RED, "online-detector", node.id, isOnlineAnomalyScorerState) : undefined;
    const saved = stateFile?.load();
    const ours = saved?.options.detector === options.detector ? saved : undefined;
    const restored = ours && restoredScorer(ours, options);
    // A file cut short or emptied reads as no file at all: the model it held is lost all the same.
    if ((ours && !restored) || (!saved && stateFile?.exists())) node.warn(RED._("online-detector.warn.discarded"));
    scorer = restored ?? scorer;
    const status = new ThrottledStatus(node, () => {
      const counts = statusCounts({ detector: options.detector, events: scorer.events, anomalies: scorer.anomalies });
      return { fill: scorer.anomalies > 0 ? "yellow" : "green", shape: "dot", text: RED._("online-detector.status.scoring", counts) };
    });
    status.now();
    const saveFailures = new WarningThrottle(60_000, (text) => node.warn(text));
    const saver = stateFile
      ? saveModelEvery(SAVE_INTERVAL_MS, () => stateFile.save(scorer.toJSON()), (err) => saveFailures.warn(RED._("online-detector.warn.notSaved", { error: err.message })))
      : undefined;
    const featuresChanged = new WarningThrottle(60_000, (text) => node.warn(text));

    const controls: Record<string, (msg: DetectorMessage, send: (m: unknown) => void) => void> = {
      reset: () => scorer.reset(),
      retrain: () => scorer.retrain(),
      switch: () => scorer.switchModel(),
      // A copy: the first wire gets the message itself, and a node there that edits it would edit the live model.
      snapshot: (msg, send) => send([{ ...msg, payload: structuredClone(scorer.toJSON()) }, null]),
      restore: (msg) => {
        const snapshot = isOnlineAnomalyScorerState(msg.payload) ? restoredScorer(msg.payload, options) : undefined;
        if (!snapshot) throw new Error(RED._("online-detector.error.restore"));
        scorer = snapshot;
      },
    };

    node.on("input", (msg: DetectorMessage, send, done) => {
      try {
        if (msg.control !== undefined) {
          const control = controlNamed(controls, msg.control);
          if (!control) throw new Error(RED._("online-detector.error.control", { control: String(msg.control) }));
          control(msg, send as (m: unknown) => void);
          status.now();
          return done();
        }
        const vector: unknown = RED.util.getMessageProperty(msg, config.vectorProperty || "payload.vector");
        if (!Array.isArray(vector) || vector.length === 0 || vector.length > MAX_FEATURES || !vector.every(isFeatureValue)) {
          throw new Error(RED._("online-detector.error.vector", { property: config.vectorProperty || "payload.vector", max: MAX_FEATURES }));
        }
        const names: unknown = RED.util.getMessageProperty(msg, config.namesProperty || "payload.names");
        const featureNames = Array.isArray(names) ? (names as string[]) : [];
        const payload = typeof msg.payload === "object" && msg.payload !== null ? msg.payload : { value: msg.payload };
        const featureChanges = scorer.featureChanges;
        const detection = scorer.process(vector as number[], featureNames, originOf(payload), { learn: msg.learn !== false });
        // Otherwise only `warm: false` would tell: two window-features nodes of other windows
        // feeding this one restart its model on every switch.
        if (scorer.featureChanges !== featureChanges) featuresChanged.warn(RED._("online-detector.warn.featuresChanged", { features: featureNames.length }));
        const out = { ...msg, payload: { ...withoutLayout(payload), detection: { detector: options.detector, ...detection } } };
        send([out, detection.anomaly ? out : null]);
        status.soon();
        done();
      } catch (err) {
        status.flash({ fill: "red", shape: "ring", text: (err as Error).message });
        done(err as Error);
      }
    });

    node.on("close", (removed: boolean, done: () => void) => {
      status.stop();
      clearInterval(saver);
      settleModelStore(stateFile, removed, () => stateFile?.save(scorer.toJSON()), (err) => node.error(err.message));
      done();
    });
  }

  RED.nodes.registerType("honeyflow-online-detector", OnlineDetectorNode);
};

/**
 * A number a feature can hold: finite, and within what a double counts exactly. Beyond that no
 * count or measure of events lies, and a value whose square overflows (1e200) turns a z-score's
 * running variance to NaN, or a kNN's distances to Infinity, for good: the feature is blind from
 * then on, in the saved model too.
 */
function isFeatureValue(value: unknown): boolean {
  return typeof value === "number" && Math.abs(value) <= Number.MAX_SAFE_INTEGER;
}

/**
 * The payload without `vector` and `names`: the layout window features makes for the models, which
 * the named `features` repeat. Node-RED deep-clones a message for every extra wire, and the
 * detector's output usually has three or four (drift, alert, InfluxDB, the dashboard): the two
 * arrays of every feature took about half of each clone's time (bench/node-red-pipeline.ts).
 */
function withoutLayout(payload: object): Record<string, unknown> {
  const rest: Record<string, unknown> = {};
  for (const key of Object.keys(payload)) if (key !== "vector" && key !== "names") rest[key] = (payload as Record<string, unknown>)[key];
  return rest;
}

/** The source, sensor, eventid and time of a `window features` event, where the payload names them. */
function originOf(payload: object): EventOrigin {
  const { src_ip, sensor, eventid, time, time_ms } = payload as { src_ip?: unknown; sensor?: unknown; eventid?: unknown; time?: unknown; time_ms?: unknown };
  // Assigned rather than spread from throwaway objects: this runs for every event.
  const origin: EventOrigin = {};
  if (typeof src_ip === "string") origin.src_ip = src_ip;
  if (typeof sensor === "string") origin.sensor = sensor;
  if (typeof eventid === "string") origin.eventid = eventid;
  const ms = typeof time_ms === "number" ? time_ms : typeof time === "string" ? Date.parse(time) : NaN;
  // Typed detection's baselines run in event time; a payload without one is judged at the wall clock.
  origin.time_ms = Number.isFinite(ms) ? ms : Date.now();
  return origin;
}
