import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as http from "node:http";
import { createRequire } from "node:module";
import * as path from "node:path";
import helper from "node-red-node-test-helper";
import influxWriteNode from "../../nodes/influx-write/influx-write";
import influxdbConfigNode from "../../nodes/influxdb-config/influxdb-config";
import { PointSpool } from "../../src/delivery/influx/point-spool";
import { SeededRandom } from "../../src/stats/seeded-random";
import { hostileText, storedTag, wellFormed } from "../support/hostile-text";
import { InfluxdProcess } from "../support/influxd-process";
import { requireExecutable } from "../support/service-requirement";
import { nodeRedRuntimeModule } from "../support/node-red-under-test";
import { freshUserDirEachTest } from "../support/node-red-user-dir";

helper.init(nodeRedRuntimeModule);

type RuntimeNode = NodeJS.EventEmitter & { receive(msg: object): void };
interface Status { fill: string; shape: string; text: string }
const nodeById = (id: string) => helper.getNode(id) as unknown as RuntimeNode;
const T = Date.UTC(2026, 0, 15, 12);

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("influx write (honeyflow-influx-write) against a real influxd", function () {
  this.timeout(60_000);
  let influxd: InfluxdProcess;
  let databases = 0;

  before(async function () {
    influxd = await InfluxdProcess.start(requireExecutable(this, "influxd"));
  });
  after(async () => {
    await influxd?.dispose();
  });
  const userDir = freshUserDirEachTest("honeyflow-influx-write-");
  afterEach(async () => {
    if (influxd && !influxd.running) await influxd.start();
  });

  /** Loads config + write node (ids "influx" and "write"); collects statuses and errors (done(err) and node.error). */
  async function deploy(write: Record<string, unknown> = {}, options: { database?: string; server?: InfluxdProcess; url?: string; credentials?: object } = {}) {
    const database = options.database ?? `db${++databases}`;
    const connection: Record<string, unknown> = { url: options.url ?? (options.server ?? influxd).url, database, retentionPolicy: "", createDatabase: true };
    const settings: Record<string, unknown> = { influxdb: "influx", batchSize: "500", flushInterval: "50", ...write };
    await helper.load([influxWriteNode, influxdbConfigNode], [
      { id: "influx", type: "honeyflow-influxdb", ...connection },
      { id: "write", type: "honeyflow-influx-write", ...settings },
    ], options.credentials ? { influx: options.credentials } : undefined);
    const node = nodeById("write");
    const statuses: Status[] = [];
    const errors: Array<{ message: string; msg?: { reason?: string; payload?: string } }> = [];
    node.on("call:status", (call: { args: [Status] }) => statuses.push(call.args[0]));
    node.on("call:error", (call: { args: [unknown, { reason?: string; payload?: string }?] }) => {
      errors.push({ message: String(call.args[0]), msg: call.args[1] });
    });
    return { node, database, statuses, errors };
  }

  const rows = async (database: string, influxql: string, server = influxd) => (await server.query(influxql, database))[0]?.values ?? [];
  /** Points of `measurement` that have `field`; 0 while the database does not exist yet. */
  const count = async (database: string, measurement: string, field: string, server = influxd) => {
    const values = await rows(database, `SELECT count("${field}") FROM "${measurement}"`, server).catch(() => []);
    return Number(values[0]?.[1] ?? 0);
  };

  it("writes points and arrays of points that read back with InfluxQL, into a database it creates", async () => {
    const { node, database, statuses } = await deploy({ integerFields: "count" });
    node.receive({ payload: { measurement: "events", tags: { sensor: "s1" }, fields: { count: 42.4, rate: 0.7 }, timestamp: new Date(T) } });
    node.receive({
      payload: [
        { measurement: "scores", tags: { src_ip: "203.0.113.7", empty: "" }, fields: { score: 0.93, anomaly: true, type: "brute-force" }, timestamp: T + 1 },
        { measurement: "scores", tags: { src_ip: "198.51.100.9" }, fields: { score: 1, anomaly: false, type: "none" }, timestamp: new Date(T + 2).toISOString() },
      ],
    });
    await until(async () => (await count(database, "scores", "score")) === 2 && (await count(database, "events", "rate")) === 1, "three points");
    assert.deepEqual(await rows(database, 'SELECT "count", "rate", "sensor" FROM "events"'), [[T, 42, 0.7, "s1"]]);
    assert.deepEqual(await rows(database, 'SELECT "score", "anomaly", "type", "src_ip" FROM "scores"'), [
      [T + 1, 0.93, true, "brute-force", "203.0.113.7"],
      [T + 2, 1, false, "none", "198.51.100.9"],
    ]);
    assert.deepEqual(await rows(database, 'SHOW FIELD KEYS FROM "events"'), [["count", "integer"], ["rate", "float"]]);
    assert.deepEqual(await rows(database, 'SHOW FIELD KEYS FROM "scores"'), [["anomaly", "boolean"], ["score", "float"], ["type", "string"]]);
    await until(() => statuses.some((s) => s.fill === "green" && s.text === "influx-write.status.written"), "a green status, nothing spooled");
  });

  it("keeps each field's type: 1 then 1.5 never conflict, listed integer fields are integers, even after a redeploy", async () => {
    let run = await deploy({ integerFields: "count" });
    const { database } = run;
    [1, 1.5, 2].forEach((score, i) => run.node.receive({ payload: { measurement: "m", fields: { score, count: score }, timestamp: T + i } }));
    await until(async () => (await count(database, "m", "score")) === 3, "three points");
    await helper.unload();
    // Now score is listed too: it was first written as a float, and stays one.
    run = await deploy({ integerFields: "count, score" }, { database });
    run.node.receive({ payload: { measurement: "m", fields: { score: 3, count: 3 }, timestamp: T + 3 } });
    await until(async () => (await count(database, "m", "score")) === 4, "the fourth point");
    assert.deepEqual(await rows(database, 'SELECT "score", "count" FROM "m"'), [[T, 1, 1], [T + 1, 1.5, 2], [T + 2, 2, 2], [T + 3, 3, 3]]);
    assert.deepEqual(await rows(database, 'SHOW FIELD KEYS FROM "m"'), [["count", "integer"], ["score", "float"]]);
    assert.deepEqual(run.errors, []);
  });

  it("takes integer fields a hand-edited flow gives as a list, rather than refusing every point", async () => {
    const { node, database, errors } = await deploy({ integerFields: ["count", "n"] });
    node.receive({ payload: { measurement: "m", fields: { count: 42.4, n: 7, rate: 0.7 }, timestamp: T } });
    await until(async () => (await count(database, "m", "rate")) === 1, "the point");
    assert.deepEqual(await rows(database, 'SHOW FIELD KEYS FROM "m"'), [["count", "integer"], ["n", "integer"], ["rate", "float"]]);
    assert.deepEqual(errors, []);
  });

  it("does not hold points in memory without bound when the batch size and flush interval are huge (1e9 points, 1e12 ms)", async () => {
    const { node, database } = await deploy({ batchSize: "1e9", flushInterval: "1e12" });
    const text = "x".repeat(10_000);
    // About 10 MB of points: more than a batch from the spool holds (8 MiB).
    for (let i = 0; i < 1000; i++) node.receive({ payload: { measurement: "m", fields: { i, text }, timestamp: T + i } });
    await until(async () => (await count(database, "m", "i")) > 0, "points written long before 24.8 days");
  });

  it("stores 200 points of random hostile text in tags and string fields as documented (property)", async () => {
    const { node, database } = await deploy({ batchSize: "37" });
    const random = new SeededRandom("influx-write-hostile");
    const points = Array.from({ length: 200 }, (_, i) => ({
      i, user: hostileText(random), command: hostileText(random), password: hostileText(random), input: hostileText(random, { longChance: 0.05 }),
    }));
    for (let i = 0; i < points.length; i += 10) {
      node.receive({
        payload: points.slice(i, i + 10).map((p) => ({
          measurement: "sessions", tags: { id: String(p.i), user: p.user, command: p.command }, fields: { seq: p.i, password: p.password, input: p.input }, timestamp: T + p.i,
        })),
      });
    }
    await until(async () => (await count(database, "sessions", "seq")) === 200, "200 points");
    const [series] = await influxd.query('SELECT "id", "seq", "user", "command", "password", "input" FROM "sessions"', database);
    for (const [time, id, seq, user, command, password, input] of series.values) {
      const p = points[Number(id)];
      assert.deepEqual([time, seq, user, command, password, input],
        [T + p.i, p.i, storedTag(p.user) || null, storedTag(p.command) || null, wellFormed(p.password), wellFormed(p.input)], `point ${p.i}`);
    }
  });

  it("writes a tag and a field named __proto__ like any other (keys can come from attacker text)", async () => {
    const { node, database, errors } = await deploy();
    node.receive({ payload: JSON.parse(`{"measurement": "keys", "tags": {"__proto__": "t", "user": "root"}, "fields": {"__proto__": 1, "v": 2}, "timestamp": ${T}}`) });
    await until(async () => (await count(database, "keys", "v")) === 1, "the point");
    assert.deepEqual(await rows(database, 'SELECT "__proto__"::tag, "__proto__"::field, "user", "v" FROM "keys"'), [[T, "t", 1, "root", 2]]);
    assert.deepEqual(errors, []);
  });

  it("drops only a point InfluxDB refuses, with its reason, and writes the others of its batch", async () => {
    const { node, database, errors } = await deploy();
    await influxd.query(`CREATE DATABASE ${database}`);
    await influxd.write(`logins value="written by someone else" ${T}`, database);
    node.receive({
      payload: Array.from({ length: 10 }, (_, i) => ({
        measurement: "logins", fields: i === 6 ? { value: 6 } : { attempts: i }, timestamp: T + 1 + i,
      })),
    });
    await until(async () => (await count(database, "logins", "attempts")) === 9 && errors.length === 1, "nine points and one refusal");
    assert.deepEqual((await rows(database, 'SELECT "attempts" FROM "logins" WHERE "attempts" >= 0')).map(([, n]) => n), [0, 1, 2, 3, 4, 5, 7, 8, 9]);
    assert.equal(errors[0].message, "influx-write.error.rejected");
    assert.match(errors[0].msg?.reason ?? "", /^400: partial write: field type conflict: input field "value" on measurement "logins" is type float, already exists as type string/);
    assert.equal(errors[0].msg?.payload, `logins value=6 ${T + 7}`);
  });

  it("reports bad input with done(err), writes the good points beside it, and keeps working", async () => {
    const { node, database, errors, statuses } = await deploy();
    node.receive({ payload: "not a point" });
    node.receive({ payload: [{ measurement: "m", fields: { ok: 1 }, timestamp: T }, { fields: { no: "measurement" } }, { measurement: "m", fields: {} }, { measurement: "m", fields: { nan: NaN } }] });
    node.receive({ payload: { measurement: "m", fields: { ok: 2 }, timestamp: "yesterday" } });
    node.receive({ payload: { measurement: "m", fields: { ok: 3 }, timestamp: T + 3 } });
    await until(() => errors.length === 3, "three errors");
    assert.deepEqual(errors.map((e) => e.message), ["Error: influx-write.error.payload", "Error: influx-write.error.refused", "Error: influx-write.error.refused"]);
    await until(async () => (await count(database, "m", "ok")) === 2, "the two good points");
    await until(() => statuses.at(-1)?.text.includes("influx-write.status.invalid") === true, "the invalid count in the status");
  });

  it("refuses input with the config node's problem when its URL is not http(s)", async () => {
    await helper.load([influxWriteNode, influxdbConfigNode], [
      { id: "influx", type: "honeyflow-influxdb", ...{ url: "ftp://127.0.0.1:8086", database: "x" } },
      { id: "write", type: "honeyflow-influx-write", ...{ influxdb: "influx" } },
    ]);
    const node = nodeById("write");
    const errors: string[] = [];
    node.on("call:error", (call: { args: [unknown] }) => errors.push(String(call.args[0])));
    node.receive({ payload: { measurement: "m", fields: { v: 1 } } });
    await until(() => errors.length === 1, "an error");
    assert.equal(errors[0], "Error: influxdb-config.error.url");
  });

  it("delivers every point exactly once and in order after influxd is killed for 15 s under a steady stream", async function () {
    this.timeout(180_000);
    const { node, database, statuses } = await deploy({ batchSize: "20", flushInterval: "100", maxRetrySeconds: "4" });
    let sent = 0;
    // 20 points a second, and each one also overwrites the single point of "latest": in-order delivery leaves the last.
    const stream = setInterval(() => {
      node.receive({ payload: [
        { measurement: "stream", fields: { seq: sent }, timestamp: T + sent },
        { measurement: "latest", fields: { seq: sent }, timestamp: T },
      ] });
      sent += 1;
    }, 50);
    // Delivered in order means: whenever we look, what has arrived is 0, 1, 2 ... with no gap.
    const gaps: string[] = [];
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        const seqs = influxd.running ? (await rows(database, 'SELECT "seq" FROM "stream"').catch(() => [])).map(([, seq]) => seq) : [];
        const gap = seqs.findIndex((seq, i) => seq !== i);
        if (gap !== -1) gaps.push(`of ${seqs.length} points arrived, number ${gap} has seq ${String(seqs[gap])}`);
        await sleep(100);
      }
    })();
    try {
      await until(async () => (await count(database, "stream", "seq")) > 20, "the stream flowing");
      await influxd.kill();
      const killedAt = sent;
      // Past several retries at the 4 s cap, with 300 points more arriving meanwhile.
      await sleep(15_000);
      await until(() => statuses.some((s) => s.fill === "yellow" && s.text.includes("influx-write.status.spooled")), "the backlog in a yellow status");
      assert.ok(sent - killedAt > 250, `points kept coming while influxd was down: ${sent - killedAt}`);
      await influxd.start();
      await sleep(3000);
    } finally {
      clearInterval(stream);
    }
    await until(async () => (await count(database, "stream", "seq")) === sent, `all ${sent} points`, 60_000);
    watching = false;
    await watcher;
    assert.deepEqual(gaps, [], "never a later point before an earlier one");
    const seqs = (await rows(database, 'SELECT "seq" FROM "stream"')).map(([time, seq]) => [time, seq]);
    assert.deepEqual(seqs, Array.from({ length: sent }, (_, i) => [T + i, i]), "each point once, none missing");
    assert.deepEqual(await rows(database, 'SELECT "seq" FROM "latest"'), [[T, sent - 1]], "the last overwrite arrived last");
    await until(() => statuses.at(-1)?.fill === "green", "a green status once the backlog is delivered");
  });

  it("loses nothing when Node-RED restarts while points are spooled, or still in the batch being filled", async () => {
    // Batches of 100 and a flush only after a minute: 300 points go to the spool, the last 30 wait in memory.
    let run = await deploy({ batchSize: "100", flushInterval: "60000" });
    const { database } = run;
    await influxd.kill();
    for (let i = 0; i < 330; i += 30) {
      run.node.receive({ payload: Array.from({ length: 30 }, (_, j) => ({ measurement: "spooled", fields: { seq: i + j }, timestamp: T + i + j })) });
    }
    await until(() => run.statuses.some((s) => s.fill === "yellow"), "the writer retrying");
    await helper.unload(); // Node-RED stops while influxd is down
    assert.ok(fs.readdirSync(path.join(userDir(), "honeyflow", "influx-spool", "write")).some((f) => f.endsWith(".lp")), "the spool is on disk");
    await influxd.start();
    run = await deploy({}, { database });
    await until(async () => (await count(database, "spooled", "seq")) === 330, "all 330 points after the restart");
    assert.deepEqual((await rows(database, 'SELECT "seq" FROM "spooled"')).map(([, seq]) => seq), Array.from({ length: 330 }, (_, i) => i));
  });

  it("delivers the points around damaged records of its spool (a machine crash, a changed byte, a torn end), and says how much was skipped", async () => {
    const database = `db${++databases}`;
    const spool = new PointSpool(path.join(userDir(), "honeyflow", "influx-spool", "write"));
    spool.append(Array.from({ length: 40 }, (_, i) => `damaged seq=${i}i ${T + i}`));
    spool.close();
    const [file] = fs.readdirSync(spool.dir).filter((f) => f.endsWith(".lp")).map((f) => path.join(spool.dir, f));
    const content = fs.readFileSync(file);
    content.fill(0, content.indexOf("seq=10i"), content.indexOf("seq=20i")); // seq 10-20 unreadable
    content[content.indexOf("seq=25i") + 5] ^= 0x02; // seq 25 would read 27
    fs.writeFileSync(file, content.subarray(0, content.length - 4)); // seq 39's end never reached the disk
    const run = await deploy({}, { database });
    // Warned while the node was made, before a test can listen to it: read from Node-RED's log.
    const log = helper.log() as unknown as { args: Array<[{ level: number; id?: string; msg: unknown }]>; WARN: number };
    const warnings = log.args.map(([entry]) => entry).filter((entry) => entry.level === log.WARN && entry.id === "write").map((entry) => String(entry.msg));
    const readable = [...Array(10).keys(), 21, 22, 23, 24, ...Array.from({ length: 13 }, (_, i) => 26 + i)];
    await until(async () => (await count(database, "damaged", "seq")) === readable.length, "the readable points");
    assert.deepEqual((await rows(database, 'SELECT "seq" FROM "damaged"')).map(([, seq]) => seq), readable);
    assert.deepEqual(warnings, ["influx-write.warn.damaged"]);
    assert.equal(run.errors.length, 0);
  });

  it("skips, with a warning, a spooled point whose bytes changed on disk while InfluxDB was down, and delivers the rest", async () => {
    const { node, database, statuses } = await deploy({ batchSize: "10", flushInterval: "50", maxRetrySeconds: "1" });
    const warnings: string[] = [];
    node.on("call:warn", (call: { args: [unknown] }) => warnings.push(String(call.args[0])));
    await influxd.kill();
    node.receive({ payload: Array.from({ length: 30 }, (_, i) => ({ measurement: "rotted", fields: { seq: i }, timestamp: T + i })) });
    const spoolDir = path.join(userDir(), "honeyflow", "influx-spool", "write");
    const spooled = () => fs.readdirSync(spoolDir).filter((f) => f.endsWith(".lp")).map((f) => fs.readFileSync(path.join(spoolDir, f), "latin1")).join("");
    await until(() => fs.existsSync(spoolDir) && spooled().includes("seq=29 "), "every point spooled");
    await until(() => statuses.some((s) => s.fill === "yellow"), "the writer retrying");
    for (const name of fs.readdirSync(spoolDir).filter((f) => f.endsWith(".lp"))) {
      const file = path.join(spoolDir, name);
      const content = fs.readFileSync(file);
      const at = content.indexOf("seq=15 ");
      if (at < 0) continue;
      content[at + 5] ^= 0x02; // seq 15 would read 17
      fs.writeFileSync(file, content);
    }
    await influxd.start();
    const readable = Array.from({ length: 30 }, (_, i) => i).filter((i) => i !== 15);
    await until(async () => (await count(database, "rotted", "seq")) === readable.length, "the 29 undamaged points", 30_000);
    assert.deepEqual((await rows(database, 'SELECT "seq" FROM "rotted"')).map(([, seq]) => seq), readable);
    await until(() => warnings.includes("influx-write.warn.damaged"), "a warning");
  });

  it("removes its spool when deleted from the flow, saying how many points were never written", async () => {
    const { node } = await deploy({ batchSize: "10", flushInterval: "50" });
    await influxd.kill();
    node.receive({ payload: Array.from({ length: 30 }, (_, i) => ({ measurement: "orphan", fields: { seq: i }, timestamp: T + i })) });
    const spoolDir = path.join(userDir(), "honeyflow", "influx-spool", "write");
    await until(() => fs.existsSync(spoolDir) && fs.readdirSync(spoolDir).some((f) => f.endsWith(".lp")), "points spooled");
    await helper.setFlows([{ id: "tab", type: "tab" }], "full");
    assert.equal(fs.existsSync(spoolDir), false, "no orphaned spool left on disk");
    const log = helper.log() as unknown as { args: Array<[{ level: number; id?: string; msg: unknown }]>; WARN: number };
    const warnings = log.args.map(([entry]) => entry).filter((entry) => entry.level === log.WARN && entry.id === "write").map((entry) => String(entry.msg));
    assert.deepEqual(warnings, ["influx-write.warn.deleted"]);
  });

  it("when the spool is full, drops the oldest points, says so, and delivers the newest in order", async () => {
    const { node, database, statuses } = await deploy({ batchSize: "50", maxSpoolMB: "0.05", maxRetrySeconds: "1" });
    const warnings: string[] = [];
    node.on("call:warn", (call: { args: [unknown] }) => warnings.push(String(call.args[0])));
    await influxd.kill();
    // About 41 bytes a point on disk: 3,000 points are more than twice the 52 KB spool.
    for (let i = 0; i < 3000; i += 100) {
      node.receive({ payload: Array.from({ length: 100 }, (_, j) => ({ measurement: "full", fields: { seq: i + j }, timestamp: T + i + j })) });
    }
    await until(() => statuses.some((s) => s.fill === "red" && s.text.includes("influx-write.status.evicted")), "a red status counting the dropped");
    assert.deepEqual(warnings, ["influx-write.warn.evicted"]);
    await influxd.start();
    await until(() => statuses.at(-1)?.text === "influx-write.status.written · influx-write.status.evicted", "the spool delivered");
    const seqs = (await rows(database, 'SELECT "seq" FROM "full"')).map(([, seq]) => seq as number);
    assert.ok(seqs.length > 1000 && seqs.length < 2000, `what fits in the spool arrived: ${seqs.length}`);
    assert.deepEqual(seqs, Array.from({ length: seqs.length }, (_, i) => 3000 - seqs.length + i), "the newest, in order, none missing");
  });

  /** Makes the next segments of node "write"'s spool refuse every write as a full disk does; returns the undo. */
  function fillSpoolDisk(): () => void {
    const dir = path.join(userDir(), "honeyflow", "influx-spool", "write");
    const names = Array.from({ length: 30_000 }, (_, i) => path.join(dir, `${String(i).padStart(10, "0")}.lp`));
    for (const name of names) fs.symlinkSync("/dev/full", name);
    return () => names.forEach((name) => fs.rmSync(name, { force: true }));
  }

  it("writes points straight to InfluxDB while the spool's disk is full", async () => {
    const { node, database } = await deploy({ batchSize: "50" });
    const freeDisk = fillSpoolDisk();
    try {
      for (let i = 0; i < 2000; i += 100) {
        node.receive({ payload: Array.from({ length: 100 }, (_, j) => ({ measurement: "diskfull", fields: { seq: i + j }, timestamp: T + i + j })) });
      }
      await until(async () => (await count(database, "diskfull", "seq")) === 2000, "all 2000 points");
      assert.deepEqual((await rows(database, 'SELECT "seq" FROM "diskfull"')).map(([, seq]) => seq), Array.from({ length: 2000 }, (_, i) => i));
    } finally {
      freeDisk();
    }
  });

  it("delivers a backlog at full speed when the disk fills up and the spool's index cannot be saved", async () => {
    const { node, database } = await deploy({ batchSize: "50" });
    await influxd.kill();
    for (let i = 0; i < 2000; i += 100) {
      node.receive({ payload: Array.from({ length: 100 }, (_, j) => ({ measurement: "backlog", fields: { seq: i + j }, timestamp: T + i + j })) });
    }
    await sleep(500);
    const index = path.join(userDir(), "honeyflow", "influx-spool", "write", `index.json.${process.pid}.tmp`);
    fs.symlinkSync("/dev/full", index); // every save of the index fails as on a full disk
    try {
      await influxd.start();
      await until(async () => (await count(database, "backlog", "seq")) === 2000, "all 2000 points");
      assert.deepEqual((await rows(database, 'SELECT "seq" FROM "backlog"')).map(([, seq]) => seq), Array.from({ length: 2000 }, (_, i) => i));
    } finally {
      fs.rmSync(index, { force: true });
    }
  });

  it("while both the spool's disk and InfluxDB are down, holds no more than the spool's bound in memory, counted", async () => {
    const { node, database, statuses } = await deploy({ batchSize: "50", maxSpoolMB: "0.05", maxRetrySeconds: "1" });
    const freeDisk = fillSpoolDisk();
    await influxd.kill();
    try {
      // About 26 characters a point: 20,000 points are ten times the 52 KB bound.
      for (let i = 0; i < 20_000; i += 100) {
        node.receive({ payload: Array.from({ length: 100 }, (_, j) => ({ measurement: "full", fields: { seq: i + j }, timestamp: T + i + j })) });
      }
      await until(() => statuses.some((s) => s.fill === "red" && s.text.includes("influx-write.status.evicted")), "a red status counting the dropped");
    } finally {
      freeDisk();
    }
    await influxd.start();
    await until(() => statuses.at(-1)?.text === "influx-write.status.written · influx-write.status.evicted", "the backlog delivered");
    const seqs = (await rows(database, 'SELECT "seq" FROM "full"')).map(([, seq]) => seq as number);
    assert.ok(seqs.length > 1000 && seqs.length <= 2100, `what fits in the bound arrived: ${seqs.length}`);
    assert.deepEqual(seqs, Array.from({ length: seqs.length }, (_, i) => 20_000 - seqs.length + i), "the newest, in order, none missing");
  });

  it("says how many points it held in memory when it stops while the spool's disk is full and InfluxDB down", async () => {
    const { node, statuses } = await deploy({ batchSize: "50" });
    const freeDisk = fillSpoolDisk();
    await influxd.kill();
    try {
      node.receive({ payload: Array.from({ length: 120 }, (_, i) => ({ measurement: "unsaved", fields: { seq: i }, timestamp: T + i })) });
      await until(() => statuses.some((s) => s.text.includes("influx-write.status.retrying")), "the writer retrying");
      await helper.clearFlows(); // Node-RED stops (unload would stop listening to its log first)
    } finally {
      freeDisk();
    }
    const log = helper.log() as unknown as { args: Array<[{ level: number; id?: string; msg: unknown }]>; WARN: number };
    const warnings = log.args.map(([entry]) => entry).filter((entry) => entry.level === log.WARN && entry.id === "write").map((entry) => String(entry.msg));
    assert.deepEqual(warnings, ["influx-write.warn.unsaved"]);
  });

  it("keeps the points spooled when the URL answers 200 to anything (not InfluxDB's 204)", async () => {
    const server = http.createServer((_request, response) => response.end("<html>a web page</html>"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { node, statuses } = await deploy({}, { url: `http://127.0.0.1:${(server.address() as { port: number }).port}` });
      node.receive({ payload: { measurement: "m", fields: { v: 1 }, timestamp: T } });
      await until(() => statuses.some((s) => s.fill === "yellow" && s.text.includes("influx-write.status.spooled")), "the point kept, retrying");
      await sleep(1500); // past the first retry
      assert.ok(statuses.at(-1)?.fill === "yellow" && statuses.at(-1)?.text.includes("influx-write.status.spooled"), "still waiting, not written");
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it("sends the config node's credentials; with a wrong password the points wait in the spool", async function () {
    const secured = await InfluxdProcess.start(requireExecutable(this, "influxd"), { admin: { username: "honeyflow", password: "s3cret" } });
    try {
      const database = `db${++databases}`;
      let run = await deploy({}, { server: secured, database, credentials: { username: "honeyflow", password: "wrong" } });
      run.node.receive({ payload: { measurement: "m", fields: { v: 1 }, timestamp: T } });
      await until(() => run.statuses.some((s) => s.fill === "yellow"), "a retry");
      await helper.unload();
      run = await deploy({}, { server: secured, database, credentials: { username: "honeyflow", password: "s3cret" } });
      run.node.receive({ payload: { measurement: "m", fields: { v: 2 }, timestamp: T + 1 } });
      await until(async () => (await count(database, "m", "v", secured)) === 2, "both points");
    } finally {
      await helper.unload();
      await secured.dispose();
    }
  });

  it("runs the bundled example: inject, function, influx write", async () => {
    type FlowNode = { id: string; type: string; repeat?: string; url?: string; database?: string; z?: string };
    const example = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "examples", "influx-write.json"), "utf8")) as FlowNode[];
    const fromNodeRed = createRequire(nodeRedRuntimeModule);
    const core = (file: string) => fromNodeRed(`@node-red/nodes/core/${file}`) as (red: unknown) => void;
    const database = `db${++databases}`;
    const flow = [{ id: "tab", type: "tab", label: "influx write" }, ...example.map((n) => (n.type === "honeyflow-influxdb"
      ? { ...n, url: influxd.url, database }
      : { ...n, z: "tab", type: n.type === "debug" ? "helper" : n.type, repeat: n.type === "inject" ? "0.1" : n.repeat }))];
    await helper.load([influxWriteNode, influxdbConfigNode, core("common/20-inject.js"), core("common/25-catch.js"),
      core("common/90-comment.js"), core("function/10-function.js")], flow);
    await until(async () => (await count(database, "honeyflow_example_scores", "score")) >= 10, "ten scores");
    const scores = await rows(database, 'SELECT "username", "score" FROM "honeyflow_example_scores"');
    assert.ok(scores.some(([, username]) => username === "pi\nraspberry"), "a newline in a string field kept");
    assert.deepEqual(await rows(database, 'SHOW FIELD KEYS FROM "honeyflow_example_counts"'), [["events_per_minute", "integer"], ["new_ips", "integer"]]);
  });
});
