/**
 * `influx write`: points from any stage into InfluxDB 1.x, batched, in order, through outages and
 * restarts. A thin adapter over SpooledInfluxWriter; the connection is the `influxdb` config node's.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Node, NodeAPI, NodeDef, NodeMessage, NodeMessageInFlow } from "node-red";
import type { InfluxHttpClient } from "../../src/delivery/influx/influx-http-client";
import { SpooledInfluxWriter } from "../../src/delivery/influx/spooled-influx-writer";
import { WarningThrottle } from "../kit/warning-throttle";
import { positiveNumber, timerMs } from "../kit/editor-number";
import { ThrottledStatus } from "../kit/throttled-status";
import { countText } from "../kit/status-counts";

interface InfluxWriteConfig extends NodeDef {
  influxdb: string;
  batchSize: string;
  flushInterval: string;
  integerFields: string | string[];
  maxSpoolMB: string;
  maxRetrySeconds: string;
}

/** For a catch node: the line InfluxDB refused, and why. */
type RefusedPointMessage = NodeMessage & { reason: string };

/** What the `honeyflow-influxdb` config node offers its users. */
interface InfluxdbConfigNode extends Node {
  client?: InfluxHttpClient;
  problem?: string;
  register(user: Node): void;
  deregister(user: Node): void;
}

export = function register(RED: NodeAPI): void {
  function InfluxWriteNode(this: Node, config: InfluxWriteConfig) {
    RED.nodes.createNode(this, config);
    const node = this;
    const influxdb = RED.nodes.getNode(config.influxdb) as InfluxdbConfigNode | null;
    const evictions = new WarningThrottle(60_000, (text) => node.warn(text));
    let invalid = 0;
    let evictedSeen = 0;
    let damagedSeen = 0;
    let writer: SpooledInfluxWriter | undefined;
    let problem: string | undefined = influxdb ? influxdb.problem : RED._("influx-write.error.noConfig");
    const userDir = (RED.settings.userDir as string | undefined) ?? path.join(os.homedir(), ".node-red");
    const spoolDir = path.join(userDir, "honeyflow", "influx-spool", node.id);

    const status = new ThrottledStatus(node, () => {
      if (!writer) return { fill: "red", shape: "ring", text: problem };
      const { written, queued, rejected, evicted, unavailable } = writer.stats;
      const parts = [RED._("influx-write.status.written", { count: countText(written) })];
      if (queued > 0) parts.push(RED._("influx-write.status.spooled", { count: countText(queued) }));
      if (rejected > 0) parts.push(RED._("influx-write.status.rejected", { count: countText(rejected) }));
      if (invalid > 0) parts.push(RED._("influx-write.status.invalid", { count: countText(invalid) }));
      if (evicted > 0) parts.push(RED._("influx-write.status.evicted", { count: countText(evicted) }));
      if (unavailable) parts.unshift(RED._("influx-write.status.retrying", { reason: unavailable.slice(0, 60) }));
      if (evicted > evictedSeen) evictions.warn(RED._("influx-write.warn.evicted", { count: countText(evicted) }));
      evictedSeen = evicted;
      warnOfDamage();
      const fill = evicted > 0 ? "red" : unavailable ? "yellow" : "green";
      return { fill, shape: unavailable || evicted > 0 ? "ring" : "dot", text: parts.join(" · ") };
    });

    if (influxdb?.client) {
      influxdb.register(node);
      try {
        writer = new SpooledInfluxWriter({
          dir: spoolDir,
          target: influxdb.client,
          batchSize: positiveNumber(config.batchSize, 500),
          flushIntervalMs: timerMs(config.flushInterval, 1000, 1),
          maxSpoolBytes: positiveNumber(config.maxSpoolMB, 100) * 2 ** 20,
          maxRetryDelayMs: timerMs(config.maxRetrySeconds, 30),
          // Text from the editor; a hand-edited flow may hold a list, which reads the same as text.
          integerFields: String(config.integerFields ?? "").split(",").map((f) => f.trim()).filter(Boolean),
          onRejected: (reason, line) => {
            const msg: RefusedPointMessage = { payload: line, reason };
            node.error(RED._("influx-write.error.rejected", { reason }), msg);
          },
          onChange: () => status.soon(),
        });
      } catch (err) {
        problem = RED._("influx-write.error.spool", { error: (err as Error).message });
      }
      warnOfDamage(); // found at open
    }
    status.now();

    /** Spooled points skipped as damaged since the last warning: at open, or found while they waited. */
    function warnOfDamage() {
      const damagedBytes = writer?.stats.damagedBytes ?? 0;
      if (damagedBytes > damagedSeen) node.warn(RED._("influx-write.warn.damaged", { bytes: countText(damagedBytes - damagedSeen) }));
      damagedSeen = damagedBytes;
    }

    node.on("input", (msg: NodeMessageInFlow, _send, done) => {
      if (!writer) return done(new Error(problem));
      try {
        const { accepted, refused } = writer.accept(msg.payload);
        if (refused.length === 0) return done();
        invalid += refused.length;
        done(new Error(RED._("influx-write.error.refused", { refused: refused.length, total: accepted + refused.length, reason: refused[0] })));
      } catch (err) {
        if (!(err instanceof TypeError)) return done(err as Error);
        invalid += 1;
        status.soon();
        done(new Error(RED._("influx-write.error.payload", { error: err.message })));
      }
    });

    node.on("close", (removed: boolean, done: () => void) => {
      status.stop();
      const closing = (writer?.close() ?? Promise.resolve(0)).then((lost) => {
        if (lost > 0) node.warn(RED._("influx-write.warn.unsaved", { count: countText(lost) }));
        // Deleted from the flow: no later writer takes this node's id, so its spool would stay on disk for ever.
        if (!removed || !writer) return;
        const { queued } = writer.stats;
        fs.rmSync(spoolDir, { recursive: true, force: true });
        if (queued > 0) node.warn(RED._("influx-write.warn.deleted", { count: countText(queued) }));
      });
      closing.catch((err: Error) => node.error(err.message)).finally(() => {
        influxdb?.deregister(node);
        done();
      });
    });
  }

  RED.nodes.registerType("honeyflow-influx-write", InfluxWriteNode);
};
