/**
 * `window features`: per-source-IP and sensor-wide sliding-window features of the events
 * `clean` emits, in event time and bounded memory. A thin adapter over WindowFeatures.
 */
import type { Node, NodeAPI, NodeDef, NodeMessageInFlow } from "node-red";
import { WindowedEvent, WindowFeatures } from "../../src/features/window-features";

interface WindowFeaturesConfig extends NodeDef {
  windows: string;
  maxIps: string;
  idleTtl: string;
  tolerance: string;
}

type InputMessage = NodeMessageInFlow & { reset?: unknown };

const STATUS_INTERVAL_MS = 500;

export = function register(RED: NodeAPI): void {
  function WindowFeaturesNode(this: Node, config: WindowFeaturesConfig) {
    RED.nodes.createNode(this, config);
    const node = this;
    let windows: WindowFeatures | undefined;
    let configError = "";
    try {
      windows = new WindowFeatures({
        windowSeconds: (config.windows || "30, 60, 300").split(/[\s,]+/).filter(Boolean).map(Number),
        maxTrackedIps: setting(config.maxIps, 100_000),
        idleTtlSeconds: setting(config.idleTtl, 3600),
        latenessToleranceSeconds: setting(config.tolerance, 5),
      });
    } catch (err) {
      configError = RED._("window-features.error.config", { error: (err as Error).message });
    }
    let rejected = 0;
    let lastRejection = "";
    let statusTimer: NodeJS.Timeout | undefined;

    const showStatus = () => {
      statusTimer = undefined;
      if (!windows) return node.status({ fill: "red", shape: "ring", text: configError });
      const { trackedIps, events, lateBeyondTolerance } = windows.stats;
      const counts = { ips: trackedIps, events, late: lateBeyondTolerance, rejected, error: lastRejection };
      if (lastRejection) node.status({ fill: "yellow", shape: "ring", text: RED._("window-features.status.rejected", counts) });
      else if (events === 0) node.status({ fill: "grey", shape: "ring", text: RED._("window-features.status.idle", counts) });
      else node.status({ fill: "green", shape: "dot", text: RED._("window-features.status.tracking", counts) });
    };
    const refreshStatusSoon = () => {
      statusTimer ??= setTimeout(showStatus, STATUS_INTERVAL_MS);
    };
    showStatus();

    node.on("input", (msg: InputMessage, send, done) => {
      if (!windows) {
        refreshStatusSoon();
        return done(new Error(configError));
      }
      if (msg.reset === true) {
        windows.reset();
        rejected = 0;
        lastRejection = "";
        refreshStatusSoon();
        return done();
      }
      const problem = whatIsWrongWith(msg.payload);
      if (problem) {
        rejected += 1;
        lastRejection = RED._(`window-features.error.${problem.key}`, problem);
        refreshStatusSoon();
        return done(new Error(lastRejection));
      }
      lastRejection = "";
      msg.payload = windows.update(msg.payload as WindowedEvent);
      send(msg);
      refreshStatusSoon();
      done();
    });

    node.on("close", (_removed: boolean, done: () => void) => {
      clearTimeout(statusTimer);
      done();
    });
  }

  RED.nodes.registerType("honeyflow-window-features", WindowFeaturesNode);
};

/** The locale key (and its arguments) of what keeps `payload` from being an event, if anything. */
function whatIsWrongWith(payload: unknown): { key: string; type?: string } | undefined {
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) {
    return { key: "notAnEvent", type: Array.isArray(payload) ? "array" : payload === null ? "null" : typeof payload };
  }
  const event = payload as Record<string, unknown>;
  if (typeof event.src_ip !== "string" || event.src_ip === "") return { key: "noSourceIp" };
  if (typeof event.time_ms !== "number" || !Number.isFinite(event.time_ms)) return { key: "noTime" };
  return undefined;
}

/** A number from the editor's text field, or the default when the field is empty. */
function setting(value: string | undefined, fallback: number): number {
  return value === undefined || String(value).trim() === "" ? fallback : Number(value);
}
