import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { execFileSync } from "node:child_process";
import { Reader } from "maxmind";
import helper from "node-red-node-test-helper";
import enrichNode from "../../nodes/enrich/enrich";
import { bundledGeoDatabases } from "../../src/enrich/bundled-geo-databases";
import { IntelServiceStandIn } from "../support/intel-service-stand-in";
import { withMessageCatalog } from "../support/node-red-catalog";
import { nodeRedRuntimeModule } from "../support/node-red-under-test";

helper.init(nodeRedRuntimeModule);

type Msg = { payload: Record<string, unknown>; topic?: string };
type RuntimeNode = NodeJS.EventEmitter & { receive(msg: object): void };
const nodeById = (id: string) => helper.getNode(id) as unknown as RuntimeNode;

async function until(condition: () => boolean, what: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const GOOGLE = { country: "US", country_name: "United States", asn: 15169, as_org: "Google LLC" };

describe("enrich (honeyflow-enrich)", function () {
  this.timeout(60_000);
  let standIn: IntelServiceStandIn | undefined;
  afterEach(async () => {
    await helper.unload();
    await standIn?.stop();
    standIn = undefined;
  });

  async function deploy(config: Record<string, unknown> = {}, credentials: Record<string, string> = {}, register = enrichNode) {
    const flow = [
      { id: "tab", type: "tab", label: "enrich" },
      { id: "enrich", type: "honeyflow-enrich", z: "tab", wires: [["enriched"], ["late"]], ...config },
      { id: "enriched", type: "helper", z: "tab" },
      { id: "late", type: "helper", z: "tab" },
    ];
    await helper.load(register, flow, { enrich: credentials });
    const enriched: Msg[] = [];
    const late: Msg[] = [];
    const statuses: Array<{ fill: string; text: string }> = [];
    const errors: unknown[] = [];
    nodeById("enriched").on("input", (msg: Msg) => enriched.push(msg));
    nodeById("late").on("input", (msg: Msg) => late.push(msg));
    const node = nodeById("enrich");
    node.on("call:status", (call: { args: Array<{ fill: string; text: string }> }) => statuses.push(call.args[0]));
    node.on("call:error", (call: { args: unknown[] }) => errors.push(call.args[0]));
    return { node, enriched, late, statuses, errors };
  }

  it("adds src_geo to events, window features, detections and alerts, in order, and labels reserved addresses", async () => {
    const { node, enriched, late } = await deploy();
    // Sent while the databases load: they wait, and leave in the order they came.
    node.receive({ payload: { eventid: "cowrie.login.failed", src_ip: "8.8.8.8", username: "root" } });
    node.receive({ payload: { src_ip: "2001:4860:4860::8888", features: { failed_logins_1m: 12 } } });
    node.receive({ payload: { src_ip: "10.0.0.7", score: 0.97, attack_type: "brute-force" } });
    node.receive({ payload: { id: "a1", src_ip: "203.0.113.7", type: "brute-force", severity: "high" } });
    node.receive({ payload: { eventid: "cowrie.log.closed" } });
    node.receive({ payload: "not an object" });
    await until(() => enriched.length === 6, "six messages");
    assert.deepEqual(enriched[0].payload.src_geo, GOOGLE);
    assert.equal(enriched[0].payload.username, "root", "the rest of the payload is untouched");
    assert.deepEqual(enriched[1].payload.src_geo, GOOGLE);
    assert.deepEqual(enriched[2].payload.src_geo, { country: null, country_name: null, asn: null, as_org: null, special_use: "private" });
    assert.equal((enriched[3].payload.src_geo as { special_use: string }).special_use, "documentation");
    assert.equal(enriched[4].payload.src_geo, undefined);
    assert.equal(enriched[5].payload, "not an object");
    assert.equal(enriched[3].payload.intel, undefined, "no intel without a key");
    assert.deepEqual(late, []);
  });

  it("takes a cache size below one address (0.5) as the default, not as a database it cannot open", async () => {
    const { node, enriched, errors } = await deploy({ cacheSize: "0.5" });
    node.receive({ payload: { src_ip: "8.8.8.8" } });
    await until(() => enriched.length === 1, "one message");
    assert.deepEqual(enriched[0].payload.src_geo, GOOGLE);
    assert.deepEqual(errors, []);
  });

  it("stays in the flow when a hand-edited flow gives an intel service's URL as a number", async () => {
    const { node, enriched } = await deploy({ abuseipdbUrl: 5 }, { abuseipdbKey: "k" });
    assert.ok(helper.getNode("enrich"));
    node.receive({ payload: { src_ip: "8.8.8.8" } });
    await until(() => enriched.length === 1, "one message");
    assert.deepEqual(enriched[0].payload.src_geo, GOOGLE);
  });

  it("says it is ready, not '0% cached', before its first lookup", async () => {
    const { statuses } = await deploy();
    await until(() => statuses.some((s) => s.fill === "green"), "a green status");
    assert.equal(statuses.at(-1)?.text, "enrich.status.ready");
  });

  it("shows lookups and the cache hit rate in its status", async () => {
    const { node, enriched, statuses } = await deploy();
    for (let i = 0; i < 4; i++) node.receive({ payload: { src_ip: "1.1.1.1" } });
    await until(() => enriched.length === 4, "four messages");
    await until(() => statuses.some((s) => s.fill === "green"), "a green status");
    await until(() => statuses.at(-1)?.text === "enrich.status.offline", "the counts");
  });

  it("sends an alert on at once and its late intel on output 2 with the alert id; the next alert carries the cached verdicts", async () => {
    standIn = await IntelServiceStandIn.start();
    const { node, enriched, late } = await deploy(
      { abuseipdbUrl: standIn.url, greynoiseUrl: standIn.url, otxUrl: standIn.url },
      { abuseipdbKey: "abuse-key", greynoiseKey: "grey-key", otxKey: "otx-key" },
    );
    node.receive({ payload: { src_ip: "198.51.100.200", eventid: "cowrie.login.failed" } });
    node.receive({ payload: { id: "alert-1", src_ip: "8.8.4.4", type: "brute-force" } });
    await until(() => enriched.length === 2, "two messages");
    assert.equal(enriched[1].payload.intel, undefined, "the alert did not wait for intel");
    await until(() => late.length === 3, "three late verdicts");
    assert.deepEqual(late.map((m) => [m.topic, m.payload.id, m.payload.src_ip]), Array(3).fill(["alert-1", "alert-1", "8.8.4.4"]));
    const intel = Object.assign({}, ...late.map((m) => m.payload.intel)) as Record<string, Record<string, unknown>>;
    assert.equal(intel.abuseipdb.total_reports, 312);
    assert.equal(intel.greynoise.classification, "malicious");
    assert.equal(intel.otx.pulse_count, 7);
    assert.equal(standIn.requests.length, 3, "the event without an id and the documentation address were not looked up");
    assert.equal(standIn.requests.find((r) => r.path.startsWith("/api/v2/check"))?.headers.key, "abuse-key", "the key is the credential");
    node.receive({ payload: { id: "alert-2", src_ip: "8.8.4.4", type: "brute-force" } });
    await until(() => enriched.length === 3, "the second alert");
    assert.deepEqual(Object.keys(enriched[2].payload.intel as object).sort(), ["abuseipdb", "greynoise", "otx"]);
    assert.deepEqual(enriched[2].payload.src_geo, GOOGLE);
  });

  it("lets messages through while a service hangs or fails", async () => {
    standIn = await IntelServiceStandIn.start();
    standIn.answerAlways(() => ({ hang: true }));
    const { node, enriched, late } = await deploy({ abuseipdbUrl: standIn.url, intelFor: "all", intelTimeoutSeconds: "0.3" }, { abuseipdbKey: "k" });
    for (let i = 1; i <= 20; i++) node.receive({ payload: { src_ip: `8.8.8.${i}` } });
    await until(() => enriched.length === 20, "every message");
    await new Promise((r) => setTimeout(r, 600));
    assert.deepEqual(late, []);
  });

  it("abandons its intel requests when it is closed, rather than holding their sockets until the deadline", async () => {
    standIn = await IntelServiceStandIn.start();
    standIn.answerAlways(() => ({ hang: true }));
    const { node, enriched } = await deploy({ abuseipdbUrl: standIn.url, otxUrl: standIn.url, intelFor: "all", intelTimeoutSeconds: "600" },
      { abuseipdbKey: "k", otxKey: "k" });
    for (let i = 1; i <= 3; i++) node.receive({ payload: { src_ip: `8.8.8.${i}` } });
    await until(() => enriched.length === 3 && standIn?.openReplies === 6, "six requests in flight");
    await helper.unload();
    await until(() => standIn?.openReplies === 0, "the requests abandoned", 5_000);
  });

  it("reports a payload that cannot take src_geo, and keeps enriching the next ones", async () => {
    const { node, enriched, errors } = await deploy();
    node.receive({ payload: { src_ip: "8.8.8.8" } });
    await until(() => enriched.length === 1, "the databases");
    // The helper node clones what it receives; a frozen payload has to be made inside the runtime.
    (node as unknown as { emit(event: string, msg: object, send: () => void, done: (err?: Error) => void): void }).emit("input",
      { payload: Object.freeze({ src_ip: "1.1.1.1" }) }, () => undefined, (err?: Error) => { if (err) errors.push(err); });
    node.receive({ payload: { src_ip: "9.9.9.9" } });
    await until(() => enriched.length === 2 && errors.length === 1, "an error and the next message");
    assert.match(String(errors[0]), /read.only|not extensible|Cannot add property/);
    assert.equal(typeof (enriched[1].payload.src_geo as { asn: unknown }).asn, "number");
  });

  it("passes messages on, with a warning, when a user's mmdb has a damaged record", async () => {
    // A download cut or corrupted after its search tree: the file opens, and a lookup finds a record that does not decode.
    const mmdb = fs.readFileSync(bundledGeoDatabases.countryMmdb());
    const dataStart = new Reader(mmdb).metadata.searchTreeSize + 16;
    const metadataStart = mmdb.lastIndexOf(Buffer.from("\xab\xcd\xefMaxMind.com", "latin1"));
    mmdb.fill(0xff, dataStart, metadataStart);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "honeyflow-enrich-"));
    const damaged = path.join(dir, "damaged.mmdb");
    fs.writeFileSync(damaged, mmdb);
    try {
      const { node, enriched } = await deploy({ geoDatabase: damaged });
      const warnings: unknown[] = [];
      node.on("call:warn", (call: { args: unknown[] }) => warnings.push(call.args[0]));
      node.receive({ payload: { src_ip: "8.8.8.8", eventid: "cowrie.login.failed" } });
      node.receive({ payload: { src_ip: "10.0.0.7", eventid: "cowrie.login.failed" } });
      await until(() => enriched.length === 2, "both messages");
      assert.equal(enriched[0].payload.src_geo, undefined);
      assert.equal(enriched[0].payload.eventid, "cowrie.login.failed");
      assert.equal((enriched[1].payload.src_geo as { special_use: string }).special_use, "private", "a private address needs no database");
      assert.ok(warnings.some((w) => /enrich\.warn\.lookupFailed/.test(String(w))), String(warnings));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("quotes a src_ip that is not an address in its warning, so attacker text cannot forge a line of Node-RED's log", async () => {
    const forged = `1.2.3.4\u2028\u202e\u001b[2J\r\n15 Mar 10:00:00 - [error] [honeyflow-alert:a1] "forged"${"A".repeat(10_000)}`;
    const { node, enriched } = await deploy({}, {}, await withMessageCatalog(enrichNode, "enrich"));
    const warnings: string[] = [];
    node.on("call:warn", (call: { args: unknown[] }) => warnings.push(String(call.args[0])));
    node.receive({ payload: { src_ip: forged } });
    await until(() => enriched.length === 1, "the message");
    assert.equal(warnings.length, 1);
    const [warning] = warnings;
    assert.ok(warning.startsWith(String.raw`payload.src_ip is not an IP address ("1.2.3.4\u2028\u202e\u001b[2J\r\n15 Mar`), warning);
    // eslint-disable-next-line no-control-regex
    assert.doesNotMatch(warning, /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/, "no control character or line separator reaches the log");
    assert.ok(warning.length < 400, `the 10 kB of junk is cut: ${warning.length} characters`);
    assert.equal(enriched[0].payload.src_geo, undefined);
  });

  it("reports a FIFO given as its database, rather than waiting for a writer, and passes messages on without src_geo", async function () {
    if (process.platform === "win32") this.skip();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "honeyflow-enrich-"));
    const fifo = path.join(dir, "GeoLite2-City.mmdb");
    execFileSync("mkfifo", [fifo]);
    try {
      const { node, enriched, errors, statuses } = await deploy({ geoDatabase: fifo }, {}, await withMessageCatalog(enrichNode, "enrich"));
      node.receive({ payload: { src_ip: "8.8.8.8" } });
      await until(() => enriched.length === 1, "the message, which waited while the database opened", 5_000);
      assert.equal(enriched[0].payload.src_geo, undefined);
      assert.ok(errors.some((e) => String(e).includes(`could not be read: ${fifo} is not a regular file but a FIFO`)), String(errors));
      assert.equal(statuses.at(-1)?.fill, "red");
      node.receive({ payload: { src_ip: "9.9.9.9" } });
      await until(() => enriched.length === 2, "the next message");
    } finally {
      // Ends a read still waiting on the FIFO (the failure this test is for), then removes it.
      try { fs.closeSync(fs.openSync(fifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK)); } catch { /* ENXIO: no reader waits */ }
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("reports an unreadable database and still passes messages on", async () => {
    const { node, enriched, errors, statuses } = await deploy({ asnDatabase: "/nonexistent/GeoLite2-ASN.mmdb" });
    node.receive({ payload: { src_ip: "8.8.8.8" } });
    await until(() => enriched.length === 1, "the message");
    assert.equal(enriched[0].payload.src_geo, undefined);
    assert.ok(errors.some((e) => /enrich\.error\.database/.test(String(e))), String(errors));
    assert.ok(statuses.some((s) => s.fill === "red"));
  });
});
