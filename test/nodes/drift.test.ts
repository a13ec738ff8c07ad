import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import helper from "node-red-node-test-helper";
import { Adwin } from "../../src/drift/adwin";
import { SeededRandom } from "../../src/stats/seeded-random";
import cleanNode from "../../nodes/clean/clean";
import driftNode from "../../nodes/drift/drift";
import { CowrieLogGenerator } from "../../src/datasets/synth/cowrie/cowrie-log-generator";
import { nodeRedRuntimeModule } from "../support/node-red-under-test";
import { NEW_POPULATION, OLD_POPULATION, START, traffic } from "../support/regime-traffic";

helper.init(nodeRedRuntimeModule);

type Msg = Record<string, unknown>;
interface DriftEvent { detector: string; position: number; old_mean: number; new_mean: number; value: number; time: number }
interface RegimeDriftEvent extends DriftEvent { since: number; summary: string; changes: Array<{ facet: string; value: string; before: number; after: number }> }
type RuntimeNode = NodeJS.EventEmitter & { receive(msg: object): void };
const nodeById = (id: string) => helper.getNode(id) as unknown as RuntimeNode;

const flow = (config: Record<string, unknown>) => [
  { id: "tab", type: "tab", label: "drift" },
  { id: "drift", type: "honeyflow-drift", z: "tab", name: "score drift", property: "payload.score", wires: [["events"], ["controls"]], ...config },
  { id: "events", type: "helper", z: "tab" },
  { id: "controls", type: "helper", z: "tab" },
];

/** The runtime's own calls that stop and start the flows, as a restart does; the helper keeps its runtime here. */
const flowRuntime = () => (helper as unknown as { _redNodes: { stopFlows(): Promise<void>; startFlows(): Promise<void> } })._redNodes;

/** Collects both outputs and the node's errors and statuses from the flow now running. */
function watchOutputs() {
  const events: Msg[] = [];
  const controls: Msg[] = [];
  const errors: unknown[] = [];
  const statuses: Array<{ fill: string; text: string }> = [];
  nodeById("events").on("input", (msg: Msg) => events.push(msg));
  nodeById("controls").on("input", (msg: Msg) => controls.push(msg));
  const node = nodeById("drift");
  node.on("call:error", (call: { args: unknown[] }) => errors.push(call.args[0]));
  node.on("call:status", (call: { args: Array<{ fill: string; text: string }> }) => statuses.push(call.args[0]));
  return { node, events, controls, errors, statuses };
}

async function deploy(config: Record<string, unknown>) {
  await helper.load(driftNode, flow(config));
  return watchOutputs();
}

/** Waits for the runtime's own state; the bounds are generous so that a busy machine makes a test slower, not red. */
async function until(condition: () => boolean, what: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
const settle = () => new Promise((r) => setTimeout(r, 100));

/** Cleaned events as clean sends them (time_ms and time), a new bot population from minute `changeAt`; every other one without time_ms. */
function regimeMessages(seed: string, minutes: number, changeAt: number) {
  return [...traffic(seed, minutes, (m) => (m < changeAt ? OLD_POPULATION : NEW_POPULATION))].map(({ time_ms, ...rest }, i) => ({
    payload: { ...rest, ...(i % 2 === 0 ? { time_ms } : {}), time: new Date(time_ms).toISOString(), sensor: "sensor-1" },
  }));
}
const MINUTE = 60_000;

/** Scores uniform in [0.2, 0.4) for `before` values, then in [0.6, 0.8). */
function shiftedScores(seed: string, before: number, after: number): number[] {
  const random = new SeededRandom(seed);
  return Array.from({ length: before + after }, (_, i) => random.uniform(0.2, 0.4) + (i >= before ? 0.4 : 0));
}

describe("drift (honeyflow-drift)", function () {
  // Regime drift is fed thousands of events; on a busy machine that takes a while, and the waits below bound it.
  this.timeout(180_000);
  let userDir: string | undefined;
  afterEach(async () => {
    await helper.unload();
    if (userDir) {
      helper.settings({});
      fs.rmSync(userDir, { recursive: true, force: true });
      userDir = undefined;
    }
  });

  const cases = [
    { detector: "adwin", action: "retrain", extra: {}, scores: shiftedScores("node-adwin", 600, 200) },
    { detector: "page-hinkley", action: "switch", extra: { phThreshold: "20" }, scores: shiftedScores("node-ph", 600, 200) },
    // DDM reads a score of at least 0.5 as an error: the error rate rises from 0.2 to 0.6.
    { detector: "ddm", action: "reset", extra: { ddmErrorAt: "0.5" },
      scores: (() => { const r = new SeededRandom("node-ddm"); return Array.from({ length: 1000 }, (_, i) => (r.chance(i < 600 ? 0.2 : 0.6) ? 0.9 : 0.1)); })() },
  ];
  for (const { detector, action, extra, scores } of cases) {
    it(`${detector}: sends one drift event and a '${action}' control message for a shifted stream`, async () => {
      const { node, events, controls } = await deploy({ detector, action, ...extra });
      for (const score of scores) node.receive({ payload: { score }, topic: "sensor-1" });
      await until(() => events.length >= 1, "a drift event");
      await settle();
      assert.equal(events.length, 1, `drift events at ${events.map((m) => (m.payload as DriftEvent).position).join(", ")}`);
      const event = events[0].payload as DriftEvent;
      assert.deepEqual(Object.keys(events[0]).filter((k) => k !== "_msgid"), ["payload"], "output 1 carries drift events only");
      assert.equal(event.detector, detector);
      assert.ok(event.position > 600 && event.position <= 600 + 300, `position ${event.position}`);
      assert.ok(event.new_mean > event.old_mean, `old ${event.old_mean}, new ${event.new_mean}`);
      assert.ok(Math.abs(event.time - Date.now()) < 60_000);
      assert.equal(controls.length, 1);
      assert.equal(controls[0].control, action);
      assert.deepEqual(controls[0].reason, event);
    });
  }

  it("regime: from cleaned events, sends one drift event in event time saying what changed, and a control message", async () => {
    const { node, events, controls } = await deploy({ detector: "regime", action: "switch" });
    const messages = regimeMessages("node-regime", 150, 90);
    for (const msg of messages) node.receive(msg);
    await until(() => events.length >= 1, "a drift event", 60_000);
    await settle();
    assert.equal(events.length, 1, JSON.stringify(events.map((m) => (m.payload as RegimeDriftEvent).summary)));
    const event = events[0].payload as RegimeDriftEvent;
    assert.equal(event.detector, "regime");
    assert.ok(event.time > START + 90 * MINUTE && event.time <= START + 105 * MINUTE, `at ${new Date(event.time).toISOString()}`);
    assert.ok(event.since >= START + 85 * MINUTE && event.since <= event.time);
    assert.ok(event.position > 0 && event.position < messages.length);
    assert.ok([event.old_mean, event.new_mean].every((x) => x >= 0 && x <= 1) && event.old_mean !== event.new_mean);
    assert.ok(event.value >= 0.5 && event.value <= 1);
    assert.match(event.summary, /SSH-2\.0-Go 0\.\d\d -> 0\.00/);
    assert.ok(event.changes.some((c) => c.facet === "client" && c.value === "SSH-2.0-libssh_0.9.6" && c.after > 0.5));
    assert.equal(controls.length, 1);
    assert.equal(controls[0].control, "switch");
    assert.deepEqual(controls[0].reason, event);
  });

  it("regime: reports a message that is not a cleaned event (a scored one from the detector, say), does not count it, and keeps working", async () => {
    const { node, events, errors, statuses } = await deploy({ detector: "regime" });
    node.receive({ payload: { src_ip: "198.51.100.7", time: "2026-03-18T00:00:01Z", features: {}, detection: { score: 0.3 } } });
    node.receive({ payload: "cowrie.login.failed" });
    node.receive({ payload: { src_ip: "198.51.100.7", eventid: "cowrie.login.failed", time: "yesterday" } });
    await until(() => errors.length === 3, "three errors");
    assert.ok(errors.every((e) => /drift\.error\.notAnEvent/.test(String(e))), String(errors));
    assert.ok(statuses.some((s) => s.fill === "red" && s.text === "drift.status.notAnEvent"));
    for (const msg of regimeMessages("node-regime-bad", 150, 90)) node.receive(msg);
    await until(() => events.length === 1, "a drift event", 60_000);
  });

  it("regime: wired from clean, finds the change a generated Cowrie log plants, as the bundled flow runs it", async () => {
    const planted = CowrieLogGenerator.DEFAULT_START_MS + 60 * MINUTE;
    const lines = [...new CowrieLogGenerator({ events: 20_000, seed: "node-regime-clean", rate: 3, maxEpisodes: 0, regimeChangesAt: [planted] })];
    const cleanThenDrift = [
      { id: "tab", type: "tab", label: "drift" },
      { id: "clean", type: "honeyflow-clean", z: "tab", metricsSeconds: "0", wires: [["drift"], [], []] },
      { id: "drift", type: "honeyflow-drift", z: "tab", detector: "regime", action: "reset", wires: [["events"], ["controls"]] },
      { id: "events", type: "helper", z: "tab" },
      { id: "controls", type: "helper", z: "tab" },
    ];
    await helper.load([cleanNode, driftNode], cleanThenDrift);
    const { events, errors } = watchOutputs();
    const clean = nodeById("clean");
    for (const { line } of lines) clean.receive({ payload: line });
    await until(() => events.length >= 1, "a drift event", 60_000);
    await settle();
    assert.deepEqual(errors, []);
    assert.equal(events.length, 1);
    const event = events[0].payload as RegimeDriftEvent;
    assert.ok(event.time > planted && event.time <= planted + 15 * MINUTE, `at ${new Date(event.time).toISOString()}`);
    assert.match(event.summary, /SSH-2\.0-Go 0\.\d\d -> 0\.0\d/);
  });

  it("before its first drift, its status names no drift position (it read 'last at 0', as if one came at the start)", async () => {
    const { node, statuses } = await deploy({ detector: "adwin" });
    for (let i = 0; i < 10; i++) node.receive({ payload: { score: 0.5 } });
    await until(() => statuses.length > 0, "a status");
    await settle();
    assert.deepEqual([...new Set(statuses.map((s) => s.text))], ["drift.status.watchingNoDrift"]);
  });

  it("a flow saved before regime drift existed, without a detector, keeps ADWIN on the value", async () => {
    const { node, events } = await deploy({});
    for (const score of shiftedScores("node-legacy", 600, 200)) node.receive({ payload: { score } });
    await until(() => events.length === 1, "a drift event");
    assert.equal((events[0].payload as DriftEvent).detector, "adwin");
  });

  it("is regime drift for a new node from the palette", () => {
    const html = fs.readFileSync(path.join(__dirname, "..", "..", "nodes", "drift", "drift.html"), "utf8");
    assert.match(html, /detector: \{ value: 'regime' \}/);
  });

  it("reports a message without a number at the property, does not count it, and keeps working", async () => {
    const { node, events, errors, statuses } = await deploy({ detector: "adwin" });
    node.receive({ payload: { score: "high" } });
    node.receive({ payload: "0.7" });
    node.receive({ payload: { score: Number.NaN } });
    await until(() => errors.length === 3, "three errors");
    assert.ok(errors.every((e) => /drift\.error\.notNumeric/.test(String(e))), String(errors));
    assert.ok(statuses.some((s) => s.fill === "red" && s.text === "drift.status.notNumeric"));
    // Finite, but ADWIN's sums of them overflow, and it would never fire again.
    node.receive({ payload: { score: 1e308 } });
    node.receive({ payload: { score: -1e308 } });
    await until(() => errors.length === 5, "five errors");
    assert.ok(errors.slice(3).every((e) => /drift\.error\.outOfRange/.test(String(e))), String(errors));
    const scores = shiftedScores("node-bad-input", 600, 200);
    for (const score of scores) node.receive({ payload: { score } });
    await until(() => events.length === 1, "a drift event");
    const adwin = new Adwin();
    const expected = scores.findIndex((score) => (adwin.update(score), adwin.driftDetected)) + 1;
    assert.equal((events[0].payload as DriftEvent).position, expected, "the bad messages were not counted");
  });

  it("feeds DDM msg.error when the flow provides it", async () => {
    const { node, events } = await deploy({ detector: "ddm" });
    const random = new SeededRandom("node-ddm-error");
    for (let i = 0; i < 1000; i++) node.receive({ error: random.chance(i < 600 ? 0.2 : 0.6), payload: {} });
    // DDM may raise a false drift early on (p_min from a lucky start); the change comes after 600.
    const afterChange = () => events.map((m) => m.payload as DriftEvent).find((event) => event.position > 600);
    await until(() => afterChange() !== undefined, "a drift event after the change");
    const event = afterChange() as DriftEvent;
    assert.ok(event.old_mean < 0.25 && event.new_mean > 0.35, `error rates ${event.old_mean} -> ${event.new_mean}`);
    assert.equal(event.value, 1, "DDM was fed the error bit");
  });

  describe("with a user directory", () => {
    /** Starts the runtime on a fresh user directory, then deploys the drift flow. */
    async function deployWithUserDir(config: Record<string, unknown>) {
      userDir = fs.mkdtempSync(path.join(os.tmpdir(), "honeyflow-drift-"));
      helper.settings({ userDir });
      await helper.load(driftNode, flow(config));
      return watchOutputs();
    }
    const savedSeen = () => (JSON.parse(fs.readFileSync(path.join(userDir as string, "honeyflow", "drift", "drift.json"), "utf8")) as { seen: number }).seen;

    it("keeps its detector in a file across a redeploy and a restart, with no context store configured", async () => {
      const scores = shiftedScores("node-restart", 600, 200);
      const adwin = new Adwin();
      const uninterrupted = scores.findIndex((score) => (adwin.update(score), adwin.driftDetected)) + 1;
      const config = { detector: "adwin", action: "reset" };

      let run = await deployWithUserDir(config);
      for (const score of scores.slice(0, 300)) run.node.receive({ payload: { score } });
      await settle();
      await helper.setFlows(flow({ ...config, name: "renamed" }), "full");
      run = watchOutputs();
      assert.equal(savedSeen(), 300, "saved when the redeploy stopped it");
      for (const score of scores.slice(300, 600)) run.node.receive({ payload: { score } });
      await settle();

      // A restart: the flows stop (the node saves) and start again from the file.
      await flowRuntime().stopFlows();
      assert.equal(savedSeen(), 600);
      await flowRuntime().startFlows();
      run = watchOutputs();
      for (const score of scores.slice(600)) run.node.receive({ payload: { score } });
      await until(() => run.events.length === 1, "a drift event after the restart");
      assert.equal((run.events[0].payload as DriftEvent).position, uninterrupted, "the drift came where it comes without a restart");
    });

    it("starts afresh when its settings change, and forgets its file when it is deleted from the flow", async () => {
      let run = await deployWithUserDir({ detector: "adwin" });
      for (const score of shiftedScores("node-fresh", 600, 0)) run.node.receive({ payload: { score } });
      await settle();
      await helper.setFlows(flow({ detector: "adwin", adwinDelta: "0.01" }), "full");
      run = watchOutputs();
      for (const score of shiftedScores("node-fresh-2", 300, 200)) run.node.receive({ payload: { score } });
      await until(() => run.events.length === 1, "a drift event with the new settings");
      const position = (run.events[0].payload as DriftEvent).position;
      assert.ok(position > 300 && position < 500, `counting restarted: position ${position}`);
      await helper.setFlows([{ id: "tab", type: "tab" }], "full");
      assert.equal(fs.existsSync(path.join(userDir as string, "honeyflow", "drift", "drift.json")), false);
    });

    it("regime: keeps its monitor across a restart, and the change comes where it comes without one", async () => {
      const messages = regimeMessages("node-regime-restart", 150, 90);
      const config = { detector: "regime" };
      let run = await deployWithUserDir(config);
      for (const msg of messages.slice(0, 2000)) run.node.receive(msg);
      await settle();
      await flowRuntime().stopFlows();
      assert.equal(savedSeen(), 2000);
      await flowRuntime().startFlows();
      run = watchOutputs();
      for (const msg of messages.slice(2000)) run.node.receive(msg);
      await until(() => run.events.length === 1, "a drift event after the restart", 60_000);
      const restarted = run.events[0].payload as RegimeDriftEvent;
      await helper.unload();
      const fresh = await deploy({ ...config, persist: false });
      for (const msg of messages) fresh.node.receive(msg);
      await until(() => fresh.events.length === 1, "a drift event without a restart", 60_000);
      assert.deepEqual(restarted, fresh.events[0].payload);
    });

    it("writes nothing when Keep state is off", async () => {
      const run = await deployWithUserDir({ detector: "adwin", persist: false });
      for (const score of shiftedScores("node-off", 100, 0)) run.node.receive({ payload: { score } });
      await helper.setFlows(flow({ detector: "adwin", persist: false, name: "again" }), "full");
      assert.equal(fs.existsSync(path.join(userDir as string, "honeyflow")), false);
    });
  });

  it("refuses a detector it does not know (\"magic\") rather than quietly run ADWIN", async () => {
    const { node, errors } = await deploy({ detector: "magic" });
    node.receive({ payload: { score: 0.5 } });
    await until(() => errors.length === 2, "a start error and a message error");
    assert.ok(errors.every((e) => /drift\.error\.config/.test(String(e))), String(errors));
  });

  it("refuses settings its detector cannot take, and says so for every message", async () => {
    const { node, errors } = await deploy({ detector: "page-hinkley", phThreshold: "-1" });
    node.receive({ payload: { score: 0.5 } });
    await until(() => errors.length === 2, "a start error and a message error");
    assert.ok(errors.every((e) => /drift\.error\.config/.test(String(e))), String(errors));
  });
});
