import assert from "node:assert/strict";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import helper from "node-red-node-test-helper";
import { nodeRedRuntimeModule } from "../support/node-red-under-test";

helper.init(nodeRedRuntimeModule);

type RuntimeNode = NodeJS.EventEmitter & { receive(msg: object): void };
interface Point { tags: { sensor: string }; fields: { events: number; distinct_ips: number }; timestamp: number }

/** The full-pipeline flow's own function node, as shipped, in a real Node-RED runtime. */
const shipped = (JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "examples", "full-pipeline.json"), "utf8")) as Array<Record<string, unknown>>)
  .find((n) => n.id === "honeyflow-full-events-per-minute") as Record<string, unknown>;
const functionNode = createRequire(nodeRedRuntimeModule)("@node-red/nodes/core/function/10-function.js") as (red: unknown) => void;

describe("full-pipeline example: events per minute", () => {
  afterEach(() => helper.unload());

  it("counts every sensor, those named __proto__, constructor or toString too", async () => {
    const flow = [{ id: "tab", type: "tab", label: "full pipeline" }, { ...shipped, z: "tab", wires: [["points"]] }, { id: "points", z: "tab", type: "helper" }];
    await helper.load(functionNode, flow as unknown as Parameters<typeof helper.load>[1]);
    const points: Point[] = [];
    (helper.getNode("points") as unknown as RuntimeNode).on("input", (msg: { payload: Point }) => points.push(msg.payload));
    const node = helper.getNode(shipped.id as string) as unknown as RuntimeNode;
    const sensors = ["__proto__", "constructor", "toString", "hasOwnProperty", "honeypot-1"];
    const minute = Date.UTC(2026, 2, 18, 10, 0);
    for (const sensor of sensors) {
      for (let i = 0; i < 3; i++) node.receive({ payload: { sensor, src_ip: i === 2 ? "__proto__" : `203.0.113.${i}`, time_ms: minute + i * 1000 } });
    }
    for (const sensor of sensors) node.receive({ payload: { sensor, src_ip: "203.0.113.9", time_ms: minute + 60_000 } });
    const deadline = Date.now() + 5000;
    while (points.length < sensors.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(points.map((p) => [p.tags.sensor, p.fields.events, p.fields.distinct_ips, p.timestamp]),
      sensors.map((sensor) => [sensor, 3, 3, minute]));
  });
});
