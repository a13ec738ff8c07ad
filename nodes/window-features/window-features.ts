/**
 * `window features`: per-source-IP and sensor-wide sliding-window features of the events
 * `clean` emits, in event time and bounded memory. A thin adapter over WindowFeatures.
 */
import type { Node, NodeAPI, NodeDef, NodeMessageInFlow } from "node-red";
import { EVENT_TIME_RANGE_MS } from "../../src/domain/canonical-event";
import { WindowedEvent, WindowFeatures } from "../../src/features/window-features";
import { optionalNumber } from "../kit/editor-number";
import { ThrottledStatus } from "../kit/throttled-status";
import { statusCounts } from "../kit/status-counts";

interface WindowFeaturesConfig extends NodeDef {
  windows: string | number | number[];
  maxIps: string;
  idleTtl: string;
  tolerance: string;
}

type InputMessage = NodeMessageInFlow & { reset?: unknown };

export = function register(RED: NodeAPI): void {
  function WindowFeaturesNode(this: Node, config: WindowFeaturesConfig) {
    RED.nodes.createNode(this, config);
    const node = this;
    let windows: WindowFeatures | undefined;
    let configError = "";
    try {
      // A setting left blank takes WindowFeatures' default. A hand-edited flow may hold 60 or
      // [30, 60] rather than the editor's text: read as text, they mean what they say.
      const windowList = String(config.windows ?? "").trim();
      windows = new WindowFeatures({
        windowSeconds: windowList ? windowList.split(/[\s,]+/).filter(Boolean).map(Number) : undefined,
        maxTrackedIps: optionalNumber(config.maxIps),
        idleTtlSeconds: optionalNumber(config.idleTtl),
        latenessToleranceSeconds: optionalNumber(config.tolerance),
      });
    } catch (err) {
      configError = RED._("window-features.error.config", { error: (err as Error).message });
    }
    let rejected = 0;
    let lastRejection = "";
    const status = new ThrottledStatus(node, () => {
      if (!windows) return { fill: "red", shape: "ring", text: configError };
      const { trackedIps, events, lateBeyondTolerance } = windows.stats;
      const counts = statusCounts({ ips: trackedIps, events, late: lateBeyondTolerance, rejected, error: lastRejection });
      if (lastRejection) return { fill: "yellow", shape: "ring", text: RED._("window-features.status.rejected", counts) };
      if (events === 0) return { fill: "grey", shape: "ring", text: RED._("window-features.status.idle", counts) };
      return { fill: "green", shape: "dot", text: RED._("window-features.status.tracking", counts) };
    });
    status.now();

    node.on("input", (msg: InputMessage, send, done) => {
      if (!windows) {
        status.soon();
        return done(new Error(configError));
      }
      if (msg.reset === true) {
        windows.reset();
        rejected = 0;
        lastRejection = "";
        status.soon();
        return done();
      }
      const problem = whatIsWrongWith(msg.payload);
      if (problem) {
        rejected += 1;
        lastRejection = RED._(`window-features.error.${problem.key}`, problem);
        status.soon();
        return done(new Error(lastRejection));
      }
      lastRejection = "";
      msg.payload = windows.update(msg.payload as WindowedEvent);
      send(msg);
      status.soon();
      done();
    });

    node.on("close", (_removed: boolean, done: () => void) => {
      status.stop();
      done();
    });
  }

  RED.nodes.registerType("honeyflow-window-features", WindowFeaturesNode);
};

/**
 * The fields window features reads as text, where an event has them. Clean writes them so; an event
 * from elsewhere that does not threw halfway through counting it, and one whose time no Date holds
 * threw once it was counted.
 */
const TEXT_FIELDS = ["eventid", "session", "sensor", "time", "username", "password", "key_fingerprint", "input", "client_version", "hassh"] as const;

/** The locale key (and its arguments) of what keeps `payload` from being an event, if anything. */
function whatIsWrongWith(payload: unknown): { key: string; type?: string; field?: string } | undefined {
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) {
    return { key: "notAnEvent", type: Array.isArray(payload) ? "array" : payload === null ? "null" : typeof payload };
  }
  const event = payload as Record<string, unknown>;
  if (typeof event.src_ip !== "string" || event.src_ip === "") return { key: "noSourceIp" };
  if (typeof event.time_ms !== "number" || !(event.time_ms >= EVENT_TIME_RANGE_MS.from && event.time_ms < EVENT_TIME_RANGE_MS.before)) return { key: "noTime" };
  const field = TEXT_FIELDS.find((name) => event[name] !== undefined && typeof event[name] !== "string");
  if (field) return { key: "notText", field };
  return undefined;
}
