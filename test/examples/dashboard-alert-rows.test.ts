import assert from "node:assert/strict";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import helper from "node-red-node-test-helper";
import { nodeRedRuntimeModule } from "../support/node-red-under-test";

helper.init(nodeRedRuntimeModule);

type RuntimeNode = NodeJS.EventEmitter & { receive(msg: object): void };
interface Row { type: string; src_ip: string; count: number; summary: string }

/** The dashboard flow's own function that makes the alerts table's rows, as shipped. */
const shipped = (JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "examples", "dashboard.json"), "utf8")) as Array<Record<string, unknown>>)
  .find((n) => n.id === "honeyflow-dashboard-alert-rows")!;
const functionNode = createRequire(nodeRedRuntimeModule)("@node-red/nodes/core/function/10-function.js") as (red: unknown) => void;

const T = Date.UTC(2026, 2, 18, 10, 0);
const alert = (seconds: number, overrides: Record<string, unknown>) => ({
  schema: 5, id: `id-${seconds}`, time: new Date(T + seconds * 1000).toISOString(), src_ip: "198.51.100.1", type: "traffic-spike", severity: "medium",
  score: 0.99, count: 1, first_seen: new Date(T).toISOString(), last_seen: new Date(T).toISOString(), top_features: [], sensor: "honeypot-1",
  summary: "198.51.100.1: traffic-spike, 1 anomalous event", ...overrides,
});

/** The rows the shipped function sends after it has been given `alerts`, in a real Node-RED. */
async function rowsAfter(alerts: object[]): Promise<Row[]> {
  const flow = [
    { id: "tab", type: "tab", label: "dashboard" },
    { ...shipped, z: "tab", g: undefined, wires: [["rows"], []] },
    { id: "rows", z: "tab", type: "helper" },
  ];
  await helper.load([functionNode], flow as unknown as Parameters<typeof helper.load>[1]);
  const received: Row[][] = [];
  (helper.getNode("rows") as unknown as RuntimeNode).on("input", (msg: { payload: Row[] }) => received.push(msg.payload));
  const rowsNode = helper.getNode("honeyflow-dashboard-alert-rows") as unknown as RuntimeNode;
  for (const payload of alerts) rowsNode.receive({ payload });
  const deadline = Date.now() + 10_000;
  while (received.length < alerts.length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  // Rows made in the function's sandbox, another realm: compared as the JSON the table gets.
  return JSON.parse(JSON.stringify(received.at(-1))) as Row[];
}

describe("dashboard example: the alerts table's rows", function () {
  this.timeout(30_000);
  afterEach(async () => {
    await helper.unload();
  });

  it("shows a message of alerts the rate limit held back as its own row, never merged into a wave's row", async () => {
    const rows = await rowsAfter([
      alert(0, { count: 40, summary: "198.51.100.1: traffic-spike, 40 anomalous events in 60 s from 40 sources" }),
      alert(90, { id: "held", src_ip: "203.0.113.9", count: 3, held_back: 3,
        summary: "rate limit: 3 traffic-spike alerts held back in 20 s from 3 sources; the first: 203.0.113.9: traffic-spike, 1 anomalous event" }),
    ]);
    assert.deepEqual(rows.map((r) => [r.src_ip, r.count, r.summary.slice(0, 16)]).sort(), [
      ["198.51.100.1", 40, "198.51.100.1: tr"], ["203.0.113.9", 3, "rate limit: 3 tr"],
    ], "the wave's row keeps its summary and count; the held-back message has its own");
  });

  it("counts a campaign's events over all its sources, and names the source its summary and country are of", async () => {
    // As the demo showed it: one source's 50 events, then a second source joins the wave with its first.
    const rows = await rowsAfter([
      alert(0, { id: "first", type: "credential-stuffing", count: 50, src_geo: { country: "US", country_name: "United States" },
        summary: "198.51.100.1: credential-stuffing, 50 anomalous events in 64 s" }),
      alert(150, { id: "second", type: "credential-stuffing", src_ip: "203.0.113.9", count: 1, src_geo: { country: "DE", country_name: "Germany" },
        summary: "203.0.113.9: credential-stuffing, 1 anomalous event" }),
    ]) as Array<Row & { country: string }>;
    assert.deepEqual(rows.map((r) => [r.src_ip, r.count, r.country, r.summary.slice(0, 12)]), [["203.0.113.9 and 1 more", 51, "DE Germany", "203.0.113.9:"]]);
  });
});
