import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { collectorNode, startNodeRed, type FlowNode, type NodeRedRuntime } from "../support/node-red-runtime";

const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8")) as {
  name: string;
  "node-red": { nodes: Record<string, string> };
};

interface RegisteredNodeSet {
  module: string;
  types: string[];
  enabled: boolean;
  err?: unknown;
}

const tab = "smoke-tab";

/** Core nodes only: an HTTP endpoint that answers once the body is on disk, and a ticking inject. */
const smokeFlow: FlowNode[] = [
  { id: tab, type: "tab", label: "harness smoke test" },
  { id: "ingest", type: "http in", z: tab, url: "/smoke", method: "post", upload: false, swaggerDoc: "", x: 120, y: 60, wires: [["collect-received"]] },
  { ...collectorNode("collect-received", "received.jsonl", { z: tab, x: 340, y: 60 }), wires: [["reply"]] },
  { id: "reply", type: "http response", z: tab, statusCode: "", headers: {}, x: 560, y: 60, wires: [] },
  {
    id: "tick",
    type: "inject",
    z: tab,
    props: [{ p: "payload" }],
    repeat: "0.2",
    crontab: "",
    once: true,
    onceDelay: "0.1",
    topic: "",
    payload: "",
    payloadType: "date",
    x: 120,
    y: 140,
    wires: [["collect-ticks"]],
  },
  collectorNode("collect-ticks", "ticks.jsonl", { z: tab, x: 340, y: 140 }),
];

describe("end-to-end harness: a packed and installed Node-RED runtime", function () {
  this.timeout(120_000);
  let runtime: NodeRedRuntime;

  before(async function () {
    runtime = await startNodeRed();
  });

  after(async function () {
    await runtime?.dispose();
  });

  it("registers and enables every node type package.json declares", async function () {
    const declared = Object.keys(manifest["node-red"].nodes);
    const installed = (await runtime.getJson<RegisteredNodeSet[]>("/nodes")).filter((set) => set.module === manifest.name);
    const state = declared.map((type) => {
      const set = installed.find((candidate) => candidate.types.includes(type));
      return { type, registered: set !== undefined, enabled: set?.enabled ?? false, error: set?.err ?? null };
    });
    assert.ok(installed.length > 0, `module ${manifest.name} is not installed in ${runtime.userDir}`);
    assert.deepEqual(
      state,
      declared.map((type) => ({ type, registered: true, enabled: true, error: null })),
      runtime.logTail(),
    );
  });

  it("collects what deployed flows send, and again after a restart reloads them from flows.json", async function () {
    await runtime.deploy(smokeFlow);

    await runtime.request("POST", "/smoke", { seq: 1, text: "before restart" });
    assert.deepEqual(runtime.readCollected("received.jsonl"), [{ seq: 1, text: "before restart" }]);
    await runtime.waitFor(() => runtime.readCollected<number>("ticks.jsonl").length >= 2, 10_000, "two inject ticks");

    const restartedAt = Date.now();
    await runtime.restart();
    assert.deepEqual(runtime.exitStatus, { code: 0, signal: null, killed: false }, "Node-RED did not shut down cleanly");

    await runtime.request("POST", "/smoke", { seq: 2, text: "after restart" });
    assert.deepEqual(runtime.readCollected("received.jsonl"), [
      { seq: 1, text: "before restart" },
      { seq: 2, text: "after restart" },
    ]);
    await runtime.waitFor(
      () => runtime.readCollected<number>("ticks.jsonl").some((tick) => tick > restartedAt),
      10_000,
      "an inject tick from the restarted runtime",
    );
  });

  it("reads only complete collected lines", function () {
    fs.writeFileSync(runtime.collectedFile("partial.jsonl"), '{"whole":true}\n{"half":');
    assert.deepEqual(runtime.readCollected("partial.jsonl"), [{ whole: true }]);
    assert.deepEqual(runtime.readCollected("never-written.jsonl"), []);
  });

  it("fails a deploy whose flows need a node type that is not installed, naming the type", async function () {
    await assert.rejects(
      runtime.deploy([smokeFlow[0], { id: "ghost", type: "honeyflow-no-such-node", z: tab, wires: [] }]),
      /Node-RED did not start the flows[\s\S]* - honeyflow-no-such-node/,
    );
  });
});
