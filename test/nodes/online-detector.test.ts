import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import helper from "node-red-node-test-helper";
import onlineDetectorNode from "../../nodes/online-detector/online-detector";
import windowFeaturesNode from "../../nodes/window-features/window-features";
import { AdaptiveThreshold } from "../../src/scoring/adaptive-threshold";
import { SeededRandom } from "../../src/stats/seeded-random";
import { nodeRedRuntimeModule } from "../support/node-red-under-test";
import { freshUserDirEachTest } from "../support/node-red-user-dir";

helper.init(nodeRedRuntimeModule);

type Msg = Record<string, unknown> & { payload: { detection?: Detection } & Record<string, unknown> };
interface Detection {
  score: number; threshold: number; anomaly: boolean; warm: boolean; detector?: string;
  explanation?: { top_features: Array<{ name: string; value: number; usual?: number[] }>; attack_type: string };
}
type RuntimeNode = NodeJS.EventEmitter & { receive(msg: object): void };
const nodeById = (id: string) => helper.getNode(id) as unknown as RuntimeNode;
const names = ["failed_logins_1m", "unique_usernames_1m", "downloads_1m", "events_per_min"];

async function deploy(config: Record<string, unknown> = {}) {
  const detector: Record<string, unknown> = { warmUp: "200", quantile: "0.99", ...config };
  await helper.load(onlineDetectorNode, [
    { id: "det", type: "honeyflow-online-detector", wires: [["all"], ["anomalies"]], ...detector },
    { id: "all", type: "helper" },
    { id: "anomalies", type: "helper" },
  ]);
  const all: Msg[] = [];
  const anomalies: Msg[] = [];
  const errors: unknown[] = [];
  nodeById("all").on("input", (m: Msg) => all.push(m));
  nodeById("anomalies").on("input", (m: Msg) => anomalies.push(m));
  const node = nodeById("det");
  node.on("call:error", (call: { args: unknown[] }) => errors.push(call.args[0]));
  return { node, all, anomalies, errors };
}

/** Window features wired into the default detection, as in the bundled flows; the detector's anomalies collected. */
async function deployBehindWindowFeatures() {
  await helper.load([windowFeaturesNode, onlineDetectorNode], [
    { id: "windows", type: "honeyflow-window-features", wires: [["det"]] },
    { id: "det", type: "honeyflow-online-detector", wires: [[], ["anomalies"]], ...{ detector: "default" } },
    { id: "anomalies", type: "helper" },
  ]);
  const anomalies: Msg[] = [];
  nodeById("anomalies").on("input", (m: Msg) => anomalies.push(m));
  return { windows: nodeById("windows"), anomalies };
}

async function until(condition: () => boolean, what: string) {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function normalVector(random: SeededRandom): number[] {
  return [random.integer(0, 3), random.integer(0, 2), 0, 20 + random.integer(0, 10)];
}

/** Teaches the detector `events` ordinary vectors, then asks for its snapshot, which it answers after them. */
async function snapshotAfter(run: { node: RuntimeNode; all: Msg[] }, random: SeededRandom, events: number): Promise<Record<string, unknown>> {
  for (let i = 0; i < events; i++) run.node.receive({ payload: { vector: normalVector(random), names } });
  run.node.receive({ control: "snapshot" });
  await until(() => run.all.length === events + 1, "the snapshot");
  return run.all[events].payload;
}

describe("online detector (honeyflow-online-detector)", () => {
  const userDir = freshUserDirEachTest("honeyflow-online-detector-");

  it("runs the rules a user typed in when `rules` is chosen, and says which rule fired", async () => {
    const { node, all, anomalies } = await deploy({ detector: "rules", ruleFailedLogins: "30" });
    const layout = ["failed_logins_1m", "unique_ports_1m", "events_per_min", "download_execs_5m", "campaign_sources_5m"];
    const at = (failed: number) => ({ payload: { src_ip: "203.0.113.7", sensor: "s1", time: "2026-03-18T10:00:00.000Z", vector: [failed, 0, 1, 0, 0], names: layout } });
    node.receive(at(29));
    node.receive(at(30));
    await until(() => all.length === 2, "two scored events");
    assert.equal(anomalies.length, 1);
    const detection = anomalies[0].payload.detection as Detection & { typed?: { type: string; threshold: number } };
    assert.deepEqual([detection.typed?.type, detection.typed?.threshold, detection.explanation?.attack_type], ["brute-force", 30, "brute-force"]);
  });

  it("calls typed attacks with the default detection from the first events, and keeps its budget from the editor", async () => {
    const { node, anomalies } = await deploy({ detector: "default", alertsPerDay: "1" });
    const layout = ["failed_logins_1m", "events_per_min"];
    for (let i = 0; i < 20; i++) node.receive({ payload: { src_ip: `10.0.0.${i}`, sensor: "s1", time: `2026-03-18T10:00:${String(i).padStart(2, "0")}.000Z`, vector: [1, 5], names: layout } });
    node.receive({ payload: { src_ip: "203.0.113.7", sensor: "s1", time: "2026-03-18T10:00:30.000Z", vector: [60, 5], names: layout } });
    await until(() => anomalies.length === 1, "a brute force during the warm-up");
    assert.equal(anomalies[0].payload.detection?.explanation?.attack_type, "brute-force");
  });

  it("names a wave of new sources as the CLI does, behind window features: a campaign trying shared passwords is credential stuffing", async () => {
    const { windows, anomalies } = await deployBehindWindowFeatures();
    const T0 = Date.UTC(2020, 4, 19);
    let sent = 0;
    const send = (seconds: number, src_ip: string, eventid: string, password?: string) => {
      sent += 1;
      windows.receive({ payload: { src_ip, session: `${src_ip}-1`, sensor: "s1", time_ms: T0 + seconds * 1000, eventid, ...(password ? { username: "root", password } : {}) } });
    };
    // A day of a quiet telnet sensor: a new source every two minutes, one guess each.
    for (let k = 0; k < 720; k++) {
      const ip = `198.51.${Math.floor(k / 250)}.${k % 250}`;
      send(k * 120, ip, "cowrie.session.connect");
      send(k * 120 + 1, ip, "cowrie.login.failed", `guess${k}`);
      send(k * 120 + 2, ip, "cowrie.session.closed");
    }
    // Ten new sources trying the same four passwords, one every five seconds.
    for (let k = 0; k < 10; k++) {
      const at = 720 * 120 + 60 + k * 5;
      send(at, `203.0.113.${k}`, "cowrie.session.connect");
      for (const [i, password] of ["admin", "1234", "vizxv", "xc3511"].entries()) send(at + 1 + i * 0.5, `203.0.113.${k}`, "cowrie.login.failed", password);
    }
    await until(() => anomalies.some((m) => m.payload.src_ip?.toString().startsWith("203.0.113.")), "the campaign's first alert");
    const first = anomalies.find((m) => m.payload.src_ip?.toString().startsWith("203.0.113."));
    assert.equal(first?.payload.detection?.explanation?.attack_type, "credential-stuffing", `of ${sent} events`);
  });

  it("alerts on a fourth person at a shell typing the tools three alerted people typed before, behind window features", async () => {
    const { windows, anomalies } = await deployBehindWindowFeatures();
    const T0 = Date.UTC(2026, 2, 18);
    const send = (seconds: number, src_ip: string, eventid: string, input?: string) =>
      windows.receive({ payload: { src_ip, session: `${src_ip}-1`, sensor: "s1", time_ms: T0 + seconds * 1000, eventid, ...(input ? { input } : {}) } });
    const people = ["203.0.113.1", "203.0.113.2", "203.0.113.3", "203.0.113.4"];
    // Ten hours of bots running their recon script as soon as they are in; four people, two hours apart, typing the same tools.
    for (let minute = 0; minute < 600; minute += 2) {
      const bot = `198.51.${Math.floor(minute / 500)}.${(minute / 2) % 250}`;
      send(minute * 60, bot, "cowrie.session.connect");
      send(minute * 60 + 0.3, bot, "cowrie.login.success");
      send(minute * 60 + 0.6, bot, "cowrie.command.input", "uname -a; cat /proc/cpuinfo | grep name | wc -l");
      send(minute * 60 + 0.9, bot, "cowrie.session.closed");
      const person = minute % 120 === 60 ? people[(minute - 60) / 120] : undefined;
      if (!person) continue;
      send(minute * 60 + 5, person, "cowrie.session.connect");
      send(minute * 60 + 10, person, "cowrie.login.success");
      const tools = ["nmap -sS 10.0.0.0/24", "socat TCP-LISTEN:1337 EXEC:/bin/sh", "tcpdump -i any", "strace -p 1", "insmod x.ko", "chattr +i /etc/passwd", "shred -u .bash_history", "mkfifo /tmp/f"];
      for (const [i, line] of tools.entries()) send(minute * 60 + 20 + i * 8, person, "cowrie.command.input", line);
    }
    await until(() => anomalies.some((m) => m.payload.src_ip === people[3]), "the fourth person's alert");
    for (const person of people) {
      const first = anomalies.find((m) => m.payload.src_ip === person);
      assert.equal(first?.payload.detection?.explanation?.attack_type, "unusual-behaviour", person);
    }
  });

  it("takes the core's threshold defaults, in the editor and for a setting left blank", async () => {
    const html = fs.readFileSync(path.join(__dirname, "..", "..", "nodes", "online-detector", "online-detector.html"), "utf8");
    const editorDefault = (name: string) => Number(new RegExp(`${name}: \\{ value: '([^']*)'`).exec(html)?.[1]);
    assert.equal(editorDefault("quantile"), AdaptiveThreshold.DEFAULTS.quantile);
    assert.equal(editorDefault("warmUp"), AdaptiveThreshold.DEFAULTS.warmUp);

    const { node, all } = await deploy({ warmUp: "", quantile: "" });
    const random = new SeededRandom("detector-defaults");
    const { warmUp } = AdaptiveThreshold.DEFAULTS;
    for (let i = 0; i <= warmUp; i++) node.receive({ payload: { vector: normalVector(random), names } });
    await until(() => all.length === warmUp + 1, "every event scored");
    assert.equal(all.findIndex((m) => m.payload.detection?.warm), warmUp, "warm after the default warm-up");
  });

  it("scores every event, and sends an explained brute-force burst to the anomalies output", async () => {
    const { node, all, anomalies } = await deploy();
    const random = new SeededRandom("detector-node");
    for (let i = 0; i < 1000; i++) node.receive({ payload: { src_ip: "198.51.100.9", vector: normalVector(random), names } });
    node.receive({ payload: { src_ip: "203.0.113.7", vector: [540, 3, 0, 25], names } });
    await until(() => all.length === 1001, "every event scored");
    const burst = all[1000].payload.detection as Detection;
    assert.equal(burst.anomaly, true);
    assert.equal(anomalies[anomalies.length - 1].payload.src_ip, "203.0.113.7");
    assert.equal(burst.explanation?.top_features[0].name, "failed_logins_1m");
    assert.equal(burst.explanation?.top_features[0].value, 540);
    assert.deepEqual(burst.explanation?.top_features[0].usual, [0, 15], "up to the brute-force watch's prior: the sensor is too young for a baseline");
    assert.equal(burst.explanation?.attack_type, "brute-force");
    assert.ok(all.slice(0, 200).every((m) => m.payload.detection?.warm === false && !m.payload.detection.anomaly), "nothing flagged while warming up");
    assert.ok(anomalies.length < 30, `few anomalies on normal traffic: ${anomalies.length}`);
  });

  it("explains an anomaly by at least one feature when told to explain by a fraction of one (0.5)", async () => {
    const { node, all } = await deploy({ detector: "z-score", topFeatures: "0.5" });
    const random = new SeededRandom("detector-node");
    for (let i = 0; i < 300; i++) node.receive({ payload: { src_ip: "198.51.100.9", vector: normalVector(random), names } });
    node.receive({ payload: { src_ip: "203.0.113.7", vector: [540, 3, 0, 25], names } });
    await until(() => all.length === 301, "every event scored");
    const burst = all[300].payload.detection as Detection;
    assert.equal(burst.anomaly, true);
    assert.equal(burst.explanation?.top_features[0]?.name, "failed_logins_1m");
  });

  it("reports a bad vector with done(err) and keeps scoring", async () => {
    const { node, all, errors } = await deploy();
    node.receive({ payload: { vector: [1, "two", 3] } });
    node.receive({ payload: { vector: [1, NaN] } });
    node.receive({ payload: { vector: [1, 2, 3, 4], names } });
    await until(() => errors.length === 2 && all.length === 1, "two errors and one score");
    assert.match(String(errors[0]), /online-detector\.error\.vector/);
  });

  it("refuses values too large for any count (1e200), which would blind its z-score to failed logins from then on", async () => {
    const { node, all, anomalies, errors } = await deploy({ detector: "z-score", warmUp: "5" });
    const random = new SeededRandom("huge values");
    for (let i = 0; i < 300; i++) node.receive({ payload: { vector: normalVector(random), names } });
    node.receive({ payload: { vector: [1e200, 1, 0, 22], names } });
    node.receive({ payload: { vector: [-1e200, 1, 0, 22], names } });
    for (let i = 0; i < 300; i++) node.receive({ payload: { vector: normalVector(random), names } });
    await until(() => errors.length + all.length === 602, "every message answered");
    assert.equal(errors.length, 2, errors.join(" | "));
    assert.match(String(errors[0]), /online-detector\.error\.vector/);
    const before = anomalies.length;
    // Forty failed logins a minute from one source, where a few are usual.
    node.receive({ payload: { vector: [40, 1, 0, 22], names } });
    await until(() => all.length === 601, "the burst scored");
    assert.equal(anomalies.length, before + 1, `the burst scored ${all[600].payload.detection?.score}`);
  });

  it("refuses a vector of a hundred thousand features, far wider than window features makes, and keeps the model it has", async () => {
    const { node, all, errors } = await deploy({ warmUp: "5" });
    const random = new SeededRandom("wide");
    for (let i = 0; i < 100; i++) node.receive({ payload: { vector: normalVector(random), names } });
    node.receive({ payload: { vector: new Array<number>(100_000).fill(0) } });
    node.receive({ payload: { vector: normalVector(random), names } });
    await until(() => errors.length + all.length === 102, "every message answered");
    assert.equal(errors.length, 1, errors.join(" | "));
    assert.match(String(errors[0]), /online-detector\.error\.vector/);
    assert.equal(all[100].payload.detection?.warm, true, "the model it had, past its warm-up");
  });

  it("refuses an ignore pattern that is no regular expression (a hand-edited flow) with a red status and an error per message", async () => {
    const { node, all, errors } = await deploy({ ignoreFeatures: "(" });
    assert.ok(helper.getNode("det"), "still in the flow");
    node.receive({ payload: { vector: [1, 2, 3, 4], names } });
    await until(() => errors.length === 1, "an error");
    assert.match(String(errors[0]), /online-detector\.error\.config/);
    assert.equal(all.length, 0);
  });

  it("refuses a detector it does not know (\"magic\") rather than quietly run the default", async () => {
    const { node, all, errors } = await deploy({ detector: "magic" });
    node.receive({ payload: { vector: [1, 2, 3, 4], names } });
    await until(() => errors.length + all.length === 1, "an answer");
    assert.match(String(errors[0]), /online-detector\.error\.config/);
    assert.equal(all.length, 0);
  });

  it("passes on the event and its named features, not the vector and names it scored", async () => {
    const { node, all } = await deploy();
    const features = Object.fromEntries(names.map((name, i) => [name, i]));
    node.receive({ topic: "sensor-1", payload: { src_ip: "198.51.100.9", sensor: "s1", features, vector: [0, 1, 2, 3], names, pca: { warm: false } } });
    await until(() => all.length === 1, "the score");
    const { detection, ...rest } = all[0].payload;
    assert.deepEqual(rest, { src_ip: "198.51.100.9", sensor: "s1", features, pca: { warm: false } });
    assert.equal(typeof detection?.score, "number");
    assert.equal(all[0].topic, "sensor-1");
  });

  it("snapshots, restores and resets on control messages", async () => {
    const { node, all } = await deploy({ warmUp: "5" });
    const random = new SeededRandom("controls");
    for (let i = 0; i < 50; i++) node.receive({ payload: { vector: normalVector(random), names } });
    node.receive({ control: "snapshot" });
    await until(() => all.length === 51, "the snapshot");
    const snapshot = all[50].payload;
    node.receive({ payload: { vector: [9, 9, 9, 9], names } });
    node.receive({ control: "restore", payload: snapshot });
    node.receive({ payload: { vector: [9, 9, 9, 9], names } });
    await until(() => all.length === 53, "two scores");
    assert.equal(all[52].payload.detection?.score, all[51].payload.detection?.score, "restored state scores as before");
    node.receive({ control: "reset" });
    node.receive({ payload: { vector: [9, 9, 9, 9], names } });
    await until(() => all.length === 54, "a score after reset");
    assert.equal(all[53].payload.detection?.warm, false);
  });

  it("sends a snapshot of its own: a flow that edits the snapshot it was sent does not change the running model", async () => {
    const run = await deploy({ detector: "z-score", warmUp: "5" });
    const snapshot = await snapshotAfter(run, new SeededRandom("own snapshot"), 50) as { options: Record<string, unknown> };
    // A change node downstream, say, editing what it was sent (the first wire gets the message itself).
    snapshot.options.detector = "magic";
    // New features: the model starts afresh, of the kind it was set up with.
    run.node.receive({ payload: { vector: [1, 2, 3], names: ["a", "b", "c"] } });
    await until(() => run.all.length === 52 || run.errors.length > 0, "the next score");
    assert.deepEqual(run.errors, []);
    assert.equal(run.all[51].payload.detection?.detector, "z-score");
  });

  it("refuses a control named after what every object has (toString, constructor, __proto__) as an unknown control", async () => {
    const { node, all, errors } = await deploy();
    for (const control of ["toString", "constructor", "__proto__"]) node.receive({ control });
    node.receive({ payload: { vector: [1, 2, 3, 4], names } });
    await until(() => all.length === 1, "a score after the controls");
    assert.equal(errors.length, 3, errors.join(" | "));
    for (const error of errors) assert.match(String(error), /online-detector\.error\.control/);
  });

  it("refuses to restore a snapshot whose event count is no number, and goes on counting its own", async () => {
    const { node, all, errors } = await deploy({ warmUp: "5" });
    const random = new SeededRandom("event count");
    for (let i = 0; i < 20; i++) node.receive({ payload: { vector: normalVector(random), names } });
    node.receive({ control: "snapshot" });
    await until(() => all.length === 21, "the snapshot");
    node.receive({ control: "restore", payload: { ...all[20].payload, events: "many" } });
    node.receive({ payload: { vector: normalVector(random), names } });
    node.receive({ control: "snapshot" });
    await until(() => all.length === 23, "a score and a second snapshot");
    assert.match(String(errors[0]), /online-detector\.error\.restore/);
    assert.equal(all[22].payload.events, 21, "its own count, one more");
  });

  it("refuses to restore an isolation forest whose window is no list of events, and goes on scoring with the forest it has", async () => {
    const run = await deploy({ detector: "isolation-forest", warmUp: "5" });
    const { node, all, errors } = run;
    const random = new SeededRandom("forest window");
    // The forest grows its first trees at 256 events.
    const snapshot = await snapshotAfter(run, random, 300) as { detector: Record<string, unknown> };
    node.receive({ control: "restore", payload: { ...snapshot, detector: { ...snapshot.detector, window: -1 } } });
    for (let i = 0; i < 3; i++) node.receive({ payload: { vector: normalVector(random), names } });
    await until(() => errors.length + all.length >= 304, "three answers after the restore");
    assert.match(String(errors[0]), /online-detector\.error\.restore/);
    assert.equal(errors.length, 1, errors.join(" | "));
    assert.ok(all.slice(301).every((m) => (m.payload.detection?.score ?? 0) > 0), "scored by the trees it had");
  });

  it("refuses to restore a threshold whose digest has no compression, and keeps the model it saves across a redeploy", async () => {
    let run = await deploy({ warmUp: "5" });
    const errors = run.errors;
    const random = new SeededRandom("digest compression");
    const snapshot = await snapshotAfter(run, random, 100) as { threshold: { digest: Record<string, unknown> } };
    const threshold = { ...snapshot.threshold, digest: { ...snapshot.threshold.digest, compression: "x" } };
    run.node.receive({ control: "restore", payload: { ...snapshot, threshold } });
    for (let i = 0; i < 100; i++) run.node.receive({ payload: { vector: normalVector(random), names } });
    await until(() => run.all.length === 201, "100 more scores");
    assert.match(String(errors[0]), /online-detector\.error\.restore/);
    await helper.unload();
    run = await deploy({ warmUp: "5" });
    run.node.receive({ payload: { vector: normalVector(random), names } });
    await until(() => run.all.length === 1, "a score");
    assert.equal(run.all[0].payload.detection?.warm, true, "the saved model read back, past its warm-up");
  });

  it("refuses to restore half-space trees of a height no walk down them reaches, and goes on scoring", async () => {
    const run = await deploy({ detector: "half-space-trees", warmUp: "5" });
    const { node, all, errors } = run;
    const random = new SeededRandom("tree height");
    const snapshot = await snapshotAfter(run, random, 300) as { detector: { options: Record<string, unknown> } };
    const detector = { ...snapshot.detector, options: { ...snapshot.detector.options, height: 2.5 } };
    node.receive({ control: "restore", payload: { ...snapshot, detector } });
    node.receive({ payload: { vector: normalVector(random), names } });
    await until(() => all.length === 302, "a score after the restore");
    assert.match(String(errors[0]), /online-detector\.error\.restore/);
  });

  it("scores a message with learn false against the live model without teaching it: a repeated burst scores the same", async () => {
    const { node, all } = await deploy();
    const random = new SeededRandom("score only");
    for (let i = 0; i < 400; i++) node.receive({ payload: { vector: normalVector(random), names } });
    node.receive({ control: "snapshot" });
    const burst = { vector: [40, 30, 0, 25], names, src_ip: "203.0.113.50" };
    for (let i = 0; i < 30; i++) node.receive({ payload: burst, learn: false });
    node.receive({ control: "snapshot" });
    await until(() => all.length === 432, "the scores and both snapshots");
    const posted = all.slice(401, 431).map((m) => m.payload.detection);
    assert.ok(posted.every((d) => d?.warm === true && d.score === posted[0]?.score), JSON.stringify(posted.map((d) => d?.score)));
    assert.deepEqual(all[431].payload, all[400].payload, "the model, threshold and counts as they were");
  });

  it("keeps its model across a redeploy", async () => {
    let run = await deploy({ warmUp: "5" });
    const random = new SeededRandom("persist");
    for (let i = 0; i < 100; i++) run.node.receive({ payload: { vector: normalVector(random), names } });
    await until(() => run.all.length === 100, "100 scores");
    await helper.unload();
    assert.ok(fs.existsSync(path.join(userDir(), "honeyflow", "online-detector", "det.json")));
    run = await deploy({ warmUp: "5" });
    run.node.receive({ payload: { vector: normalVector(random), names } });
    await until(() => run.all.length === 1, "a score");
    assert.equal(run.all[0].payload.detection?.warm, true, "the restored model is past its warm-up");
  });

  it("forgets its saved model when it is deleted from the flow, so a node imported again under its id starts afresh", async () => {
    const run = await deploy({ warmUp: "5" });
    const random = new SeededRandom("deleted");
    for (let i = 0; i < 100; i++) run.node.receive({ payload: { vector: normalVector(random), names } });
    await until(() => run.all.length === 100, "100 scores");
    await helper.setFlows([{ id: "other", type: "helper" }], "full");
    assert.equal(fs.existsSync(path.join(userDir(), "honeyflow", "online-detector", "det.json")), false, "deleting the node deletes its file");
  });

  it("warns, and goes on scoring, when its model cannot be saved on the minute, rather than bring the runtime down", async () => {
    // The save runs on a minute's timer: the test takes the timer's function and calls it as the timer would.
    const timers: Array<{ run: () => void; ms: number }> = [];
    const setIntervalBefore = global.setInterval;
    global.setInterval = ((run: () => void, ms: number) => {
      timers.push({ run, ms });
      return setIntervalBefore(() => undefined, 2 ** 31 - 1);
    }) as typeof global.setInterval;
    let run: Awaited<ReturnType<typeof deploy>>;
    try {
      run = await deploy({ warmUp: "5" });
    } finally {
      global.setInterval = setIntervalBefore;
    }
    const warnings: unknown[] = [];
    run.node.on("call:warn", (call: { args: unknown[] }) => warnings.push(call.args[0]));
    // Where the models are kept is not writable (here a file stands where their folder goes).
    fs.writeFileSync(path.join(userDir(), "honeyflow"), "");
    const saver = timers.find((timer) => timer.ms === 60_000);
    assert.ok(saver, "a save timer of a minute");
    assert.doesNotThrow(() => saver.run(), "thrown from a timer, Node-RED exits");
    await until(() => warnings.length > 0, "a warning");
    assert.match(String(warnings[0]), /online-detector\.warn\.notSaved/);
    run.node.receive({ payload: { vector: [1, 2, 3, 4], names } });
    await until(() => run.all.length === 1, "a score after the failed save");
  });

  const damagedModels: Array<[string, (saved: string) => string]> = [
    ["edited by hand into something it cannot read back", (saved) => JSON.stringify({ ...(JSON.parse(saved) as object), detector: null })],
    ["cut short (a full disk, a copy interrupted)", (saved) => saved.slice(0, saved.length / 2)],
  ];
  for (const [damage, damaged] of damagedModels) {
    it(`starts afresh, and says so, when its saved model was ${damage}`, async () => {
      let run = await deploy({ warmUp: "5" });
      const random = new SeededRandom(damage);
      for (let i = 0; i < 100; i++) run.node.receive({ payload: { vector: normalVector(random), names } });
      await until(() => run.all.length === 100, "100 scores");
      await helper.unload();
      const file = path.join(userDir(), "honeyflow", "online-detector", "det.json");
      fs.writeFileSync(file, damaged(fs.readFileSync(file, "utf8")));
      run = await deploy({ warmUp: "5" });
      assert.ok(run.node, "the node is in the flow");
      const log = helper.log() as unknown as { args: Array<[{ level: number; id?: string; msg?: unknown }]>; WARN: number };
      const warnings = log.args.map(([entry]) => entry).filter((entry) => entry.id === "det" && entry.level === log.WARN);
      assert.match(String(warnings[0]?.msg), /online-detector\.warn\.discarded/);
      run.node.receive({ payload: { vector: normalVector(random), names } });
      await until(() => run.all.length === 1, "a score");
      assert.equal(run.all[0].payload.detection?.warm, false, "a fresh model, warming up");
      assert.ok(Number.isFinite(run.all[0].payload.detection?.score));
    });
  }

  it("starts afresh, and says so, when vectors that come without names change length", async () => {
    const { node, all } = await deploy({ detector: "z-score", warmUp: "5" });
    const warnings: unknown[] = [];
    node.on("call:warn", (call: { args: unknown[] }) => warnings.push(call.args[0]));
    const random = new SeededRandom("nameless");
    for (let i = 0; i < 100; i++) node.receive({ payload: { vector: normalVector(random) } });
    node.receive({ payload: { vector: normalVector(random).slice(0, 3) } });
    await until(() => all.length === 101, "every event scored");
    assert.equal(all[100].payload.detection?.warm, false, "the model warms up again");
    assert.match(String(warnings[0]), /online-detector\.warn\.featuresChanged/);
  });

  it("says so when its model starts afresh because the features it is given changed, once in a while however often they do", async () => {
    const { node, all } = await deploy({ warmUp: "5" });
    const warnings: unknown[] = [];
    node.on("call:warn", (call: { args: unknown[] }) => warnings.push(call.args[0]));
    const random = new SeededRandom("features changed");
    const other = ["failed_logins_1m", "unique_usernames_1m", "events_per_min"];
    for (let i = 0; i < 100; i++) node.receive({ payload: { vector: normalVector(random), names } });
    // Two window-features configurations feeding one detector, one event from each in turn.
    for (let i = 0; i < 20; i++) {
      node.receive({ payload: { vector: normalVector(random).slice(0, 3), names: other } });
      node.receive({ payload: { vector: normalVector(random), names } });
    }
    await until(() => all.length === 140, "every event scored");
    assert.equal(all[139].payload.detection?.warm, false, "the model warms up again");
    assert.equal(warnings.length, 1, warnings.join(" | "));
    assert.match(String(warnings[0]), /online-detector\.warn\.featuresChanged/);
  });
});
