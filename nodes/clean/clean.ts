/**
 * `clean`: Cowrie events from any version into the canonical event every later stage reads,
 * rejects with a machine-readable reason, and data-quality metrics as InfluxDB points.
 * A thin adapter over CowrieEventCleaner and DataQualityMetrics.
 */
import type { Node, NodeAPI, NodeDef, NodeMessageInFlow } from "node-red";
import { CowrieEventCleaner } from "../../src/clean/cowrie-event-cleaner";
import { DataQualityMetrics } from "../../src/clean/data-quality-metrics";
import { WarningThrottle } from "../kit/warning-throttle";
import { nonNegativeNumber, positiveCount, timerMs } from "../kit/editor-number";
import { ThrottledStatus } from "../kit/throttled-status";
import { statusCounts } from "../kit/status-counts";

interface CleanConfig extends NodeDef {
  futureToleranceHours: string;
  missingTimestamp: "reject" | "receive-time";
  sessionTableSize: string;
  duplicateWindow: string;
  /** "drop" (the default) or "reject": send them to the rejects output with reason "duplicate". */
  duplicates?: "drop" | "reject";
  metricsSeconds: string;
}

export = function register(RED: NodeAPI): void {
  function CleanNode(this: Node, config: CleanConfig) {
    RED.nodes.createNode(this, config);
    const node = this;
    const cleaner = new CowrieEventCleaner({
      futureToleranceMs: nonNegativeNumber(config.futureToleranceHours, 24) * 3_600_000,
      missingTimestamp: config.missingTimestamp === "receive-time" ? "receive-time" : "reject",
      sessionCapacity: positiveCount(config.sessionTableSize, 20_000),
      duplicateWindow: positiveCount(config.duplicateWindow, 10_000),
    });
    const quality = new DataQualityMetrics({ tags: { node: config.name || node.id } });
    const throttle = new WarningThrottle(10_000, (text) => node.warn(text));
    const status = new ThrottledStatus(node, () => {
      const { clean, rejected, duplicates } = cleaner.counts;
      const key = clean + rejected + duplicates === 0 ? "waiting" : "counts";
      return { fill: rejected > 0 ? "yellow" : "green", shape: key === "waiting" ? "ring" : "dot", text: RED._(`clean.status.${key}`, statusCounts({ clean, rejected, duplicates })) };
    });
    status.now();

    const metricsSeconds = nonNegativeNumber(config.metricsSeconds, 10);
    const metricsTimer = metricsSeconds > 0
      ? setInterval(() => node.send([null, null, { topic: "honeyflow/clean/quality", payload: quality.report() }]), timerMs(metricsSeconds, 10))
      : undefined;

    node.on("input", (msg: NodeMessageInFlow, send, done) => {
      const outcome = cleaner.clean(msg.payload);
      quality.observe(outcome);
      if (outcome.kind === "clean") {
        send([{ ...msg, payload: outcome.event, topic: outcome.event.eventid }, null, null]);
      } else if (outcome.kind === "rejected") {
        throttle.warn(RED._("clean.warn.rejected", { reason: outcome.reason, detail: outcome.detail }));
        send([null, { ...msg, reason: outcome.reason, detail: outcome.detail }, null]);
      } else if (config.duplicates === "reject") {
        // A caller waiting for an answer (an http in flow) must hear that its event was a repeat.
        send([null, { ...msg, reason: "duplicate", detail: outcome.eventid }, null]);
      }
      status.soon();
      done();
    });

    node.on("close", (_removed: boolean, done: () => void) => {
      clearInterval(metricsTimer);
      status.stop();
      done();
    });
  }

  RED.nodes.registerType("honeyflow-clean", CleanNode);
};
