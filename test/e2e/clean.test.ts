import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { collectorNode, startNodeRed, waitFor, type FlowNode, type NodeRedRuntime } from "../support/node-red-runtime";
import type { CanonicalEvent } from "../../src/domain/canonical-event";
import type { InfluxPoint } from "../../src/clean/data-quality-metrics";

const tab = "clean-e2e";

/** A core change node that replaces msg.payload with a JSONata expression of the message. */
function reshape(id: string, expression: string, collector: string, y: number): FlowNode {
  return {
    id, type: "change", z: tab, name: "", rules: [{ t: "set", p: "payload", pt: "msg", to: expression, tot: "jsonata" }],
    action: "", property: "", from: "", to: "", reg: false, x: 600, y, wires: [[collector]],
  };
}

const line = (event: Record<string, unknown>) => `${JSON.stringify(event)}\n`;
const session = { sensor: "ip-172-31-31-222", uuid: "ae0aab00-22b0-11f1-b096-0affcd2dea01", src_ip: "176.83.10.132", session: "96c551fefaa2", protocol: "ssh", message: "..." };

describe("clean, end to end in a Node-RED runtime", function () {
  this.timeout(180_000);
  let runtime: NodeRedRuntime;
  let log: string;

  before(async function () {
    runtime = await startNodeRed();
    log = path.join(runtime.userDir, "cowrie-log", "cowrie.json");
    fs.mkdirSync(path.dirname(log));
    await runtime.deploy([
      { id: tab, type: "tab", label: "clean end to end" },
      {
        id: "tail", type: "honeyflow-cowrie-in", z: tab, name: "", mode: "tail", path: log, startAt: "beginning", resume: true,
        speed: "1", autoStart: true, maxLineBytes: "1048576", pollSeconds: "0.2", x: 120, y: 80, wires: [["clean"], []],
      },
      {
        id: "clean", type: "honeyflow-clean", z: tab, name: "sensor-aws", futureToleranceHours: "24", missingTimestamp: "reject",
        sessionTableSize: "20000", duplicateWindow: "10000", metricsSeconds: "1", x: 320, y: 80,
        wires: [["collect-events"], ["to-reason"], ["collect-metrics"]],
      },
      collectorNode("collect-events", "events.jsonl", { z: tab, y: 40 }),
      reshape("to-reason", '{"reason": reason, "detail": detail, "payload": payload}', "collect-rejects", 80),
      collectorNode("collect-rejects", "rejects.jsonl", { z: tab, y: 80 }),
      collectorNode("collect-metrics", "metrics.jsonl", { z: tab, y: 120 }),
      { id: "status", type: "status", z: tab, name: "", scope: ["clean"], x: 120, y: 180, wires: [["to-status"]] },
      reshape("to-status", "status", "collect-status", 180),
      collectorNode("collect-status", "status.jsonl", { z: tab, y: 180 }),
    ]);
  });

  afterEach(function () {
    if (this.currentTest?.state === "failed") console.log(runtime.logTail(60));
  });

  after(async function () {
    await runtime?.dispose();
  });

  it("cleans a tailed Cowrie 2.x session, rejects a bad event, drops a duplicate, and reports quality", async function () {
    const login = { ...session, eventid: "cowrie.login.failed", username: "root", password: "<!channel>", timestamp: "2026-03-18T10:27:01.000001Z" };
    fs.writeFileSync(log, [
      line({ ...session, eventid: "cowrie.session.connect", src_port: 29733, dst_ip: "172.31.31.222", dst_port: 2222, timestamp: "2026-03-18T10:27:00.715732Z" }),
      line(login),
      line(login),
      line({ ...session, eventid: "cowrie.command.input", input: "uname -a", src_ip: "176.83.10", timestamp: "2026-03-18T10:27:02.000001Z" }),
      line({ ...session, eventid: "cowrie.session.closed", duration: "2.5", timestamp: "2026-03-18T10:27:03.215732Z" }),
    ].join(""));

    const events = await waitFor(() => {
      const got = runtime.readCollected<CanonicalEvent>("events.jsonl");
      return got.length === 3 && got;
    }, 30_000, "three clean events");
    assert.deepEqual(events.map((e) => e.eventid), ["cowrie.session.connect", "cowrie.login.failed", "cowrie.session.closed"]);
    assert.deepEqual([events[1].dst_port, events[1].password, events[2].duration_ms], [2222, "<!channel>", 2500]);

    const rejects = runtime.readCollected<{ reason: string; detail: string; payload: { input: string } }>("rejects.jsonl");
    assert.deepEqual(rejects.map((r) => r.reason), ["bad-src_ip"]);
    assert.equal(rejects[0].payload.input, "uname -a");

    await waitFor(() => runtime.readCollected<{ text: string }>("status.jsonl").some((s) => s.text === "3 clean · 1 rejected · 1 duplicates"),
      10_000, "the status text from the real message catalog");

    const report = await waitFor(() => runtime.readCollected<InfluxPoint[]>("metrics.jsonl").find((points) => points[0].fields.events === 5),
      10_000, "a data-quality report of the five events");
    assert.deepEqual(report[0].tags, { node: "sensor-aws" });
    assert.deepEqual([report[0].fields.clean, report[0].fields.rejected, report[0].fields.duplicates, report[0].fields.validity], [3, 1, 1, 0.75]);
  });
});
