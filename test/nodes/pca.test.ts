import assert from "node:assert/strict";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import helper from "node-red-node-test-helper";
import pcaNode from "../../nodes/pca/pca";
import { SeededRandom } from "../../src/stats/seeded-random";
import { StreamingPca, type PcaOutput, type StreamingPcaSettings } from "../../src/preprocessing/streaming-pca";
import { nodeRedRuntimeModule } from "../support/node-red-under-test";

helper.init(nodeRedRuntimeModule);

type Msg = Record<string, unknown> & { payload: Record<string, unknown> & { pca: PcaOutput } };
/** A node in the helper's runtime: it emits `input` and the helper's `call:<method>` spies. */
type RuntimeNode = NodeJS.EventEmitter & { receive(msg: object): void };
const nodeById = (id: string) => helper.getNode(id) as unknown as RuntimeNode;

const NAMES = ["failed_logins_30s", "unique_usernames_30s", "sessions_1m", "hour_sin", "hour_cos"];

/** Window-features-like vectors: counts that rise together, and a cyclic hour. */
function featureVectors(seed: string, count: number): number[][] {
  const random = new SeededRandom(seed);
  return Array.from({ length: count }, () => {
    const intensity = random.exponential(5);
    const hour = random.uniform(0, 2 * Math.PI);
    return [Math.round(intensity * 4), Math.round(intensity), Math.round(intensity / 2 + random.next()), Math.sin(hour), Math.cos(hour)];
  });
}

const windowFeatures = (vector: number[]) => ({
  src_ip: "203.0.113.7",
  time: "2026-03-18T10:27:00.112Z",
  features: Object.fromEntries(NAMES.map((name, j) => [name, vector[j]])),
  vector,
  names: NAMES,
});

function flowOf(config: Record<string, unknown>) {
  return [
    { id: "pca", type: "honeyflow-pca", wires: [["out"]], ...config },
    { id: "out", type: "helper" },
  ];
}

/** Wires collectors to the running `pca` node and its downstream helper. */
function collect() {
  const node = nodeById("pca");
  const outputs: Msg[] = [];
  const errors: string[] = [];
  const warnings: string[] = [];
  const statuses: Array<{ fill: string; text: string }> = [];
  nodeById("out").on("input", (msg: Msg) => outputs.push(msg));
  node.on("call:error", (call: { args: unknown[] }) => errors.push(String(call.args[0])));
  node.on("call:warn", (call: { args: unknown[] }) => warnings.push(String(call.args[0])));
  node.on("call:status", (call: { args: Array<{ fill: string; text: string }> }) => statuses.push(call.args[0]));
  return { node, outputs, errors, warnings, statuses };
}

async function deploy(config: Record<string, unknown>) {
  await helper.load(pcaNode, flowOf(config));
  return collect();
}

async function until(condition: () => boolean, what: string, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const settings = (warmUp: number, components = 3): Partial<StreamingPcaSettings> => ({ components, warmUp });

/** The runtime's own calls that stop and start the flows, as a restart does; the helper keeps its runtime here. */
const flowRuntime = () => (helper as unknown as { _redNodes: { stopFlows(): Promise<void>; startFlows(): Promise<void> } })._redNodes;

describe("pca (honeyflow-pca)", function () {
  let userDir: string | undefined;
  afterEach(async () => {
    await helper.unload();
    helper.settings({});
    if (userDir) fs.rmSync(userDir, { recursive: true, force: true });
    userDir = undefined;
  });

  it("adds payload.pca to a window features message, keeps everything else, and scores like the core", async () => {
    const { node, outputs } = await deploy({ components: "2", warmUp: "10" });
    const vectors = featureVectors("shape", 40);
    vectors.forEach((vector, i) => node.receive({ payload: windowFeatures(vector), topic: "203.0.113.7", seq: i }));
    await until(() => outputs.length === 40, "forty messages");
    const reference = new StreamingPca(settings(10, 2));
    outputs.forEach((msg, i) => {
      assert.equal(msg.seq, i);
      assert.equal(msg.topic, "203.0.113.7");
      const { pca, ...rest } = msg.payload;
      assert.deepEqual(rest, windowFeatures(vectors[i]));
      assert.deepEqual(pca, reference.update(vectors[i], NAMES));
    });
    const last = outputs[39].payload.pca;
    assert.equal(last.vector.length, 2);
    assert.equal(last.explained_variance.length, 2);
    assert.ok(last.reconstruction_error >= 0 && last.warm);
  });

  it("accepts a plain array of numbers and answers with {vector, pca}", async () => {
    const { node, outputs } = await deploy({ components: "3" });
    node.receive({ payload: [1, 2, 3, 4] });
    await until(() => outputs.length === 1, "one message");
    assert.deepEqual(outputs[0].payload.vector, [1, 2, 3, 4]);
    assert.equal(outputs[0].payload.pca.vector.length, 3);
  });

  it("shows invalid settings in the status and answers every message with an error", async () => {
    await helper.load(pcaNode, flowOf({ components: "0" }));
    const { node, outputs, errors } = collect();
    node.receive({ payload: [1, 2, 3] });
    await until(() => errors.length === 1, "an error");
    assert.equal(errors[0], "Error: pca.error.config");
    assert.equal(outputs.length, 0);
  });

  it("forwards every message during the warm-up marked warm: false, and says so in the status", async () => {
    const { node, outputs, statuses } = await deploy({ components: "2", warmUp: "25" });
    for (const vector of featureVectors("warm-up", 30)) node.receive({ payload: windowFeatures(vector) });
    await until(() => outputs.length === 30, "thirty messages");
    assert.deepEqual(outputs.map((m) => m.payload.pca.warm), [...Array<boolean>(25).fill(false), ...Array<boolean>(5).fill(true)]);
    assert.equal(statuses[0].text, "pca.status.warming");
    await until(() => statuses.some((s) => s.text === "pca.status.warm" && s.fill === "green"), "a warm status");
  });

  it("rejects NaN, Infinity, overflowing values, non-numbers and missing vectors with an error, learning nothing from them", async () => {
    const { node, outputs, errors, statuses } = await deploy({ components: "2", warmUp: "5" });
    const vectors = featureVectors("bad input", 12);
    vectors.slice(0, 6).forEach((vector) => node.receive({ payload: windowFeatures(vector) }));
    node.receive({ payload: windowFeatures([1, NaN, 2, 0, 1]) });
    node.receive({ payload: windowFeatures([1, 2, Infinity, 0, 1]) });
    node.receive({ payload: windowFeatures([1, 2, "3" as unknown as number, 0, 1]) });
    node.receive({ payload: windowFeatures([1, 2, 3, -1e308, 1]) });
    node.receive({ payload: { src_ip: "203.0.113.7" } });
    node.receive({ payload: { vector: [1, 2, 3, 4, 5], names: "failed_logins_30s" } });
    vectors.slice(6).forEach((vector) => node.receive({ payload: windowFeatures(vector) }));
    await until(() => outputs.length === 12 && errors.length === 6, "twelve messages and six errors");
    assert.deepEqual(errors, ["not-a-number", "not-a-number", "not-a-number", "too-large", "no-vector", "names-type"].map((key) => `Error: pca.error.${key}`));
    const reference = new StreamingPca(settings(5, 2));
    outputs.forEach((msg, i) => assert.deepEqual(msg.payload.pca, reference.update(vectors[i], NAMES), `message ${i}`));
    node.receive({ payload: [1, 2] });
    await until(() => statuses.some((s) => s.fill === "red" && s.text === "pca.status.rejected"), "a red status");
  });

  it("rejects a vector of another length or layout unless told to start over", async () => {
    let run = await deploy({ warmUp: "3" });
    featureVectors("layout", 5).forEach((vector) => run.node.receive({ payload: windowFeatures(vector) }));
    run.node.receive({ payload: { vector: [1, 2, 3], names: ["a", "b", "c"] } });
    run.node.receive({ payload: { vector: [1, 2, 3, 4, 5], names: [...NAMES].reverse() } });
    await until(() => run.outputs.length === 5 && run.errors.length === 2, "five messages and two errors");
    assert.deepEqual(run.errors, ["Error: pca.error.dimension", "Error: pca.error.names"]);
    await helper.unload();

    run = await deploy({ warmUp: "3", onDimensionChange: "reset" });
    featureVectors("layout", 5).forEach((vector) => run.node.receive({ payload: windowFeatures(vector) }));
    run.node.receive({ payload: { vector: [1, 2, 3], names: ["a", "b", "c"] } });
    await until(() => run.outputs.length === 6 && run.warnings.includes("pca.warn.layoutReset"), "six messages and a warning");
    assert.equal(run.errors.length, 0);
    assert.deepEqual(run.outputs[5].payload.pca, new StreamingPca(settings(3)).update([1, 2, 3], ["a", "b", "c"]), "a fresh model");
    // Two layouts interleaved (two window-features nodes into one pca) start over at every switch: warned once a minute, not each time.
    for (let i = 0; i < 20; i++) run.node.receive({ payload: i % 2 ? { vector: [1, 2, 3], names: ["a", "b", "c"] } : { vector: [1, 2], names: ["a", "b"] } });
    await until(() => run.outputs.length === 26, "every message of the switching layouts");
    assert.equal(run.warnings.filter((w) => w.startsWith("pca.warn.layoutReset")).length, 1);
  });

  it("forgets the model on msg.control reset and on msg.reset, and refuses an unknown control", async () => {
    const { node, outputs, errors } = await deploy({ components: "2", warmUp: "5" });
    const vectors = featureVectors("reset", 10);
    vectors.forEach((vector) => node.receive({ payload: windowFeatures(vector) }));
    node.receive({ control: "reset" });
    node.receive({ payload: windowFeatures(vectors[0]) });
    node.receive({ control: "rewind" });
    node.receive({ reset: true });
    node.receive({ payload: windowFeatures(vectors[0]) });
    await until(() => outputs.length === 12 && errors.length === 1, "twelve messages and an error");
    const fresh = new StreamingPca(settings(5, 2)).update(vectors[0], NAMES);
    assert.equal(outputs[9].payload.pca.warm, true);
    assert.deepEqual(outputs[10].payload.pca, fresh);
    assert.deepEqual(outputs[11].payload.pca, fresh);
    assert.equal(errors[0], "Error: pca.error.control");
  });

  describe("with a user directory", () => {
    /** Starts the runtime on a fresh user directory, then deploys the pca flow. */
    async function deployWithUserDir(config: Record<string, unknown>) {
      userDir = fs.mkdtempSync(path.join(os.tmpdir(), "honeyflow-pca-"));
      helper.settings({ userDir });
      return deploy(config);
    }
    const modelFile = () => path.join(userDir as string, "honeyflow", "pca", "pca.json");
    const savedSeen = () => (JSON.parse(fs.readFileSync(modelFile(), "utf8")) as { standardizer: { count: number } }).standardizer.count;

    it("keeps its model in a file across a redeploy and a restart, with no context store configured", async () => {
      const config = { components: "2", warmUp: "20" };
      const vectors = featureVectors("restart", 45);
      let run = await deployWithUserDir(config);
      vectors.slice(0, 15).forEach((vector) => run.node.receive({ payload: windowFeatures(vector) }));
      await until(() => run.outputs.length === 15, "fifteen messages");

      // A full deploy closes the node (it saves its model) and starts a new instance with the same id.
      await helper.setFlows(flowOf({ ...config, name: "renamed" }), "full");
      assert.equal(savedSeen(), 15, "saved when the redeploy stopped it");
      run = collect();
      vectors.slice(15, 30).forEach((vector) => run.node.receive({ payload: windowFeatures(vector) }));
      await until(() => run.outputs.length === 15, "fifteen messages after the redeploy");

      // A restart: the flows stop (the node saves) and start again from the file.
      await flowRuntime().stopFlows();
      assert.equal(savedSeen(), 30);
      await flowRuntime().startFlows();
      const restarted = collect();
      vectors.slice(30).forEach((vector) => restarted.node.receive({ payload: windowFeatures(vector) }));
      await until(() => restarted.outputs.length === 15, "fifteen messages after the restart");

      const reference = new StreamingPca(settings(20, 2));
      vectors.slice(0, 30).forEach((vector) => reference.update(vector, NAMES));
      restarted.outputs.forEach((msg, i) => assert.deepEqual(msg.payload.pca, reference.update(vectors[30 + i], NAMES), `message ${30 + i}`));
      assert.equal(run.outputs[5].payload.pca.warm, true, "no second warm-up after the redeploy");
      assert.deepEqual(restarted.warnings, []);
    });

    it("starts afresh when its settings change, and forgets its file on a reset and when it is deleted from the flow", async () => {
      const vectors = featureVectors("fresh", 30);
      let run = await deployWithUserDir({ components: "2", warmUp: "20" });
      vectors.forEach((vector) => run.node.receive({ payload: windowFeatures(vector) }));
      await until(() => run.outputs.length === 30, "thirty messages");

      await helper.setFlows(flowOf({ components: "3", warmUp: "20" }), "full");
      run = collect();
      run.node.receive({ payload: windowFeatures(vectors[0]) });
      await until(() => run.outputs.length === 1, "a message with the new settings");
      assert.deepEqual(run.outputs[0].payload.pca, new StreamingPca(settings(20, 3)).update(vectors[0], NAMES));
      assert.ok(run.warnings.includes("pca.warn.discarded"), "a warning that the saved model was not used");

      await helper.setFlows(flowOf({ components: "3", warmUp: "20", name: "again" }), "full");
      assert.equal(fs.existsSync(modelFile()), true);
      run = collect();
      run.node.receive({ control: "reset" });
      await until(() => !fs.existsSync(modelFile()), "the saved model deleted on a reset");

      vectors.forEach((vector) => run.node.receive({ payload: windowFeatures(vector) }));
      await until(() => run.outputs.length === 30, "thirty messages after the reset");
      await helper.setFlows([{ id: "other", type: "helper" }], "full");
      assert.equal(fs.existsSync(modelFile()), false, "deleting the node deletes its file");
    });

    it("writes nothing when Keep model is off, and starts over on each deploy", async () => {
      const config = { components: "2", warmUp: "5", persist: false };
      let run = await deployWithUserDir(config);
      featureVectors("off", 10).forEach((vector) => run.node.receive({ payload: windowFeatures(vector) }));
      await until(() => run.outputs.length === 10, "ten messages");
      await helper.setFlows(flowOf({ ...config, name: "again" }), "full");
      assert.equal(fs.existsSync(path.join(userDir as string, "honeyflow")), false);
      run = collect();
      run.node.receive({ payload: windowFeatures([1, 2, 3, 4, 5]) });
      await until(() => run.outputs.length === 1, "a message after the redeploy");
      assert.equal(run.outputs[0].payload.pca.warm, false, "a new warm-up");
    });
  });

  it("runs the bundled example: warm-up, an outlier far above the stream, a caught bad vector, a reset", async () => {
    type FlowNode = { id: string; type: string; name?: string; repeat?: string; z?: string };
    const example = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "examples", "pca.json"), "utf8")) as FlowNode[];
    // Node-RED's core nodes (inject, function, ...), loaded from the node-red installation the helper runs.
    const fromNodeRed = createRequire(nodeRedRuntimeModule);
    const core = (file: string) => fromNodeRed(`@node-red/nodes/core/${file}`) as (red: unknown) => void;
    // Imported flows land on a tab; debug nodes become collectors; the stream runs 20x faster.
    const flow = [{ id: "tab", type: "tab", label: "pca" }, ...example.map((n) => ({
      ...n, z: "tab", type: n.type === "debug" ? "helper" : n.type, repeat: n.type === "inject" && n.repeat ? "0.01" : n.repeat,
    }))];
    await helper.load([pcaNode, core("common/20-inject.js"), core("common/25-catch.js"), core("common/90-comment.js"),
      core("function/10-function.js"), core("function/10-switch.js")], flow);
    const named = (name: string) => nodeById(example.find((n) => n.name === name)?.id ?? "");
    const stream: PcaOutput[] = [];
    const unusual: PcaOutput[] = [];
    const rejected: string[] = [];
    named("pca").on("input", (msg: Msg) => stream.push(msg.payload.pca));
    named("unusual vectors").on("input", (msg: Msg) => unusual.push(msg.payload.pca));
    named("rejected vectors").on("input", (msg: { error: { message: string } }) => rejected.push(msg.error.message));
    await until(() => stream.length >= 150, "150 vectors", 10000);
    assert.ok(!stream[99].warm && stream[100].warm, "warm after the 100th vector");
    const typical = stream.slice(100, 150).map((p) => p.reconstruction_error).sort((a, b) => a - b)[25];
    named("outlier").receive({});
    named("vector with null").receive({});
    await until(() => unusual.length > 0 && rejected.length === 1, "the outlier flagged and the bad vector caught");
    // Measured over runs: the stream's median error is about 0.1, the outlier's 10 to 18.
    assert.ok(Math.max(...unusual.map((p) => p.reconstruction_error)) > 20 * typical, `outlier vs median ${typical}`);
    assert.equal(rejected[0], "Error: pca.error.not-a-number");
    const before = stream.length;
    named("reset").receive({});
    await until(() => stream.length > before + 5 && !stream[stream.length - 1].warm, "a new warm-up after the reset");
  });
});
