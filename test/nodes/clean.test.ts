import assert from "node:assert/strict";
import helper from "node-red-node-test-helper";
import cleanNode from "../../nodes/clean/clean";
import type { CanonicalEvent } from "../../src/domain/canonical-event";
import type { InfluxPoint } from "../../src/clean/data-quality-metrics";
import { nodeRedRuntimeModule } from "../support/node-red-under-test";
import { withMessageCatalog } from "../support/node-red-catalog";

helper.init(nodeRedRuntimeModule);

type Msg = Record<string, unknown> & { payload: unknown };
/** A node in the helper's runtime: it emits `input` and the helper's `call:<method>` spies. */
type RuntimeNode = NodeJS.EventEmitter & { receive(msg: object): void };
const nodeById = (id: string) => helper.getNode(id) as unknown as RuntimeNode;

/** Deploys `clean` wired to three helper nodes and collects what each output sends. */
async function deploy(config: Record<string, unknown> = {}) {
  const flow = [
    { id: "clean", type: "honeyflow-clean", name: "", metricsSeconds: "0", wires: [["events"], ["rejects"], ["metrics"]], ...config },
    { id: "events", type: "helper" },
    { id: "rejects", type: "helper" },
    { id: "metrics", type: "helper" },
  ];
  await helper.load(cleanNode, flow);
  const events: Msg[] = [];
  const rejects: Msg[] = [];
  const metrics: Msg[] = [];
  nodeById("events").on("input", (msg: Msg) => events.push(msg));
  nodeById("rejects").on("input", (msg: Msg) => rejects.push(msg));
  nodeById("metrics").on("input", (msg: Msg) => metrics.push(msg));
  return { node: nodeById("clean"), events, rejects, metrics, payloads: () => events.map((m) => m.payload as CanonicalEvent) };
}

async function until(condition: () => boolean, what: string, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Cowrie 2.x, as on a real 2026 sensor: uuid and protocol everywhere, connection fields on connect only. */
const cowrie2 = (eventid: string, second: number, fields: Record<string, unknown> = {}) => ({
  eventid, message: "...", sensor: "ip-172-31-31-222", uuid: "ae0aab00-22b0-11f1-b096-0affcd2dea01",
  timestamp: `2026-03-18T10:27:${String(second).padStart(2, "0")}.715732Z`, src_ip: "176.83.10.132", session: "96c551fefaa2", protocol: "ssh",
  ...fields,
});

/** Cowrie 3.x (3.0.4+): connection fields on every connection event, `duration_ms`. */
const cowrie3 = (eventid: string, second: number, fields: Record<string, unknown> = {}) => ({
  eventid, message: "...", sensor: "honeypot-3", uuid: "0f0e0d0c-0000-11f0-8000-000000000001",
  timestamp: `2026-03-18T10:28:${String(second).padStart(2, "0")}.000100Z`, src_ip: "2001:DB8::7", src_port: 40000,
  dst_ip: "2001:db8::1", dst_port: 2222, session: "3a3a3a3a3a3a", protocol: "ssh", ...fields,
});

/** Cowrie 1.x (2016-2018): no uuid, no protocol, Twisted's `system`, float `duration`, local-time offsets. */
const cowrie2016 = (eventid: string, timestamp: string, fields: Record<string, unknown> = {}) => ({
  eventid, timestamp, session: "0i8f7a6e", src_ip: "46.166.142.56", sensor: "vesselin-pc", isError: 0,
  system: "CowrieTelnetTransport,0,46.166.142.56", message: "...", ...fields,
});

describe("clean (honeyflow-clean)", function () {
  afterEach(async () => {
    await helper.unload();
  });

  describe("every Cowrie format variant comes out as one canonical event", () => {
    it("Cowrie 2.x: connection fields from session.connect filled into later events, string duration", async () => {
      const { node, events, payloads } = await deploy();
      node.receive({ payload: cowrie2("cowrie.session.connect", 0, { src_port: 29733, dst_ip: "172.31.31.222", dst_port: 2222 }), source: { file: "cowrie.json", offset: 0, line: 1 } });
      node.receive({ payload: cowrie2("cowrie.client.version", 1, { version: "SSH-2.0-OpenSSH_9.6p1" }) });
      node.receive({ payload: cowrie2("cowrie.client.kex", 1, { hassh: "aae6b9604f6f3356543709a376d7f657" }) });
      node.receive({ payload: cowrie2("cowrie.login.success", 2, { username: "root", password: "hola" }) });
      node.receive({ payload: cowrie2("cowrie.command.input", 3, { input: "uname -a" }) });
      node.receive({ payload: cowrie2("cowrie.session.file_download", 4, { url: "http://198.51.100.9/x.sh", shasum: "94f2e4d8" }) });
      node.receive({ payload: cowrie2("cowrie.session.closed", 5, { duration: "5.1" }) });
      await until(() => events.length === 7, "seven events");

      const [connect, version, kex, login, command, download, closed] = payloads();
      assert.deepEqual(connect, {
        time_ms: Date.parse("2026-03-18T10:27:00.715Z") + 0.732,
        time: "2026-03-18T10:27:00.715Z",
        eventid: "cowrie.session.connect",
        category: "connect",
        sensor: "ip-172-31-31-222",
        session: "96c551fefaa2",
        src_ip: "176.83.10.132",
        is_internal_ip: false,
        protocol: "ssh",
        uuid: "ae0aab00-22b0-11f1-b096-0affcd2dea01",
        src_port: 29733,
        dst_ip: "172.31.31.222",
        dst_port: 2222,
      });
      for (const later of [version, kex, login, command, download, closed]) {
        assert.deepEqual([later.src_port, later.dst_ip, later.dst_port], [29733, "172.31.31.222", 2222], later.eventid);
      }
      assert.deepEqual([version.category, version.client_version], ["client", "SSH-2.0-OpenSSH_9.6p1"]);
      assert.equal(kex.hassh, "aae6b9604f6f3356543709a376d7f657");
      assert.deepEqual([login.category, login.username, login.password], ["auth", "root", "hola"]);
      assert.deepEqual([command.category, command.input], ["command", "uname -a"]);
      assert.deepEqual([download.category, download.url, download.shasum], ["file", "http://198.51.100.9/x.sh", "94f2e4d8"]);
      assert.deepEqual([closed.category, closed.duration_ms], ["session", 5100]);
      assert.deepEqual(events.map((m) => m.topic), payloads().map((e) => e.eventid));
      assert.deepEqual(events[0].source, { file: "cowrie.json", offset: 0, line: 1 }, "the message's other properties are kept");
    });

    it("Cowrie 3.x: duration_ms and the connection fields every event carries, IPv6 canonical", async () => {
      const { node, events, payloads } = await deploy();
      node.receive({ payload: cowrie3("cowrie.session.connect", 0) });
      node.receive({ payload: cowrie3("cowrie.login.failed", 1, { username: "admin", password: "admin", src_port: 40000 }) });
      node.receive({ payload: cowrie3("cowrie.session.closed", 2, { duration_ms: 2345 }) });
      await until(() => events.length === 3, "three events");
      const [connect, login, closed] = payloads();
      assert.deepEqual([connect.src_ip, connect.dst_ip, connect.is_internal_ip], ["2001:db8::7", "2001:db8::1", false]);
      assert.deepEqual([login.src_port, login.dst_ip, login.dst_port], [40000, "2001:db8::1", 2222]);
      assert.equal(closed.duration_ms, 2345);
    });

    it("Cowrie 1.x (2016): float duration, `+0200` offsets, no uuid, telnet from `system`", async () => {
      const { node, events, payloads } = await deploy();
      node.receive({ payload: cowrie2016("cowrie.session.connect", "2016-11-05T09:26:29.081081+0200", { src_port: 58692, dst_ip: "192.168.0.102", dst_port: 23, system: "cowrie.telnet.transport.HoneyPotTelnetFactory" }) });
      node.receive({ payload: cowrie2016("cowrie.login.success", "2016-11-05T09:26:33.632719+0200", { username: "root", password: "xc3511" }) });
      node.receive({ payload: cowrie2016("cowrie.session.closed", "2016-11-05T09:27:06.632719+0200", { duration: 37.55160188674927 }) });
      await until(() => events.length === 3, "three events");
      const [connect, login, closed] = payloads();
      assert.equal(connect.time, "2016-11-05T07:26:29.081Z");
      assert.equal(connect.uuid, undefined);
      assert.deepEqual([login.protocol, login.username, login.password, login.dst_port], ["telnet", "root", "xc3511", 23]);
      assert.deepEqual([closed.duration_ms, closed.protocol, closed.is_internal_ip], [37552, "telnet", false]);
    });

    it("an `epoch` instead of a timestamp, a key-fingerprint login, an unknown eventid, a tunnel to a host name", async () => {
      const { node, events, payloads } = await deploy();
      const fingerprint = "b5:22:2a:3f:8b:a6:24:06:87:ce:ef:fe:a0:c4:c3:03";
      node.receive({ payload: { ...cowrie2("cowrie.client.size", 0), timestamp: undefined, epoch: 1773829621.5 } });
      node.receive({ payload: cowrie2("cowrie.login.failed", 2, { username: "root", fingerprint, key: "ssh-rsa AAAAB3", type: "ssh-rsa" }) });
      node.receive({ payload: cowrie2("cowrie.greynoise.result", 3, { noise: true }) });
      node.receive({ payload: cowrie2("cowrie.direct-tcpip.request", 4, { dst_ip: "google.com", dst_port: 443, src_port: 40488 }) });
      node.receive({ payload: JSON.stringify(cowrie2("cowrie.client.var", 5, { src_ip: "::ffff:10.9.8.7", name: "LANG" })) });
      await until(() => events.length === 5, "five events");
      const [size, login, other, tunnel, internal] = payloads();
      assert.equal(size.time, "2026-03-18T10:27:01.500Z");
      assert.deepEqual([login.key_fingerprint, "password" in login], [fingerprint, false]);
      assert.deepEqual([other.category, other.eventid], ["other", "cowrie.greynoise.result"]);
      assert.deepEqual([tunnel.category, tunnel.dst_ip, tunnel.dst_port], ["tunnel", "google.com", 443]);
      assert.deepEqual([internal.src_ip, internal.is_internal_ip], ["10.9.8.7", true]);
    });

    it("writes unknown for missing text fields and never invents numbers", async () => {
      const { node, events, payloads } = await deploy();
      node.receive({ payload: { eventid: "cowrie.login.failed", timestamp: "2026-03-18T10:27:00Z", src_ip: "203.0.113.7" } });
      node.receive({ payload: { eventid: "cowrie.session.closed", timestamp: "2026-03-18T10:27:01Z", src_ip: "203.0.113.7", session: "x" } });
      await until(() => events.length === 2, "two events");
      const [login, closed] = payloads();
      assert.deepEqual([login.sensor, login.session, login.protocol, login.username, login.password], ["unknown", "unknown", "unknown", "unknown", "unknown"]);
      assert.deepEqual(Object.keys(closed).filter((k) => ["duration_ms", "src_port", "dst_port", "dst_ip"].includes(k)), []);
    });
  });

  describe("rejects", () => {
    it("sends each kind of bad event to the second output with its reason, and keeps going", async () => {
      const { node, events, rejects } = await deploy();
      const good = cowrie2("cowrie.session.connect", 0, { src_port: 1, dst_ip: "172.31.31.222", dst_port: 22 });
      const bad: Array<[string, unknown]> = [
        ["malformed-json", '{"eventid": "cowrie.login.failed", "src_ip": "1.2.'],
        ["not-an-object", 42],
        ["missing-eventid", { ...good, eventid: undefined }],
        ["missing-timestamp", { ...good, timestamp: undefined }],
        ["bad-timestamp", { ...good, timestamp: "18/03/2026 10:27" }],
        ["future-timestamp", { ...good, timestamp: new Date(Date.now() + 2 * 86_400_000).toISOString() }],
        ["missing-src_ip", { ...good, src_ip: undefined }],
        ["bad-src_ip", { ...good, src_ip: "176.83.10" }],
        ["bad-timestamp", { ...good, timestamp: undefined, epoch: 1e20 }],
      ];
      for (const [, payload] of bad) node.receive({ payload, topic: "from-mqtt" });
      node.receive({ payload: good });
      await until(() => rejects.length === bad.length && events.length === 1, "every reject and the good event");
      assert.deepEqual(rejects.map((m) => m.reason), bad.map(([reason]) => reason));
      assert.deepEqual(rejects.map((m) => m.payload), bad.map(([, payload]) => payload), "the original event travels with its reason");
      assert.ok(rejects.every((m) => typeof m.detail === "string" && m.detail !== "" && m.topic === "from-mqtt"));
      assert.match(String(rejects[8].detail), /epoch 100000000000000000000 is past the year 9999/);
      assert.equal((events[0].payload as CanonicalEvent).eventid, "cowrie.session.connect");
    });

    it("keeps an event with a bad port, address or duration without that field, and names the field in the metrics", async () => {
      const { node, events, rejects, metrics } = await deploy({ metricsSeconds: "0.3" });
      node.receive({ payload: cowrie2("cowrie.direct-tcpip.request", 1, { dst_ip: "8.8.8.8", dst_port: 99999, session: "t1" }) });
      node.receive({ payload: cowrie2("cowrie.session.connect", 2, { src_port: 1, dst_ip: "x.x.x.x", dst_port: 23, session: "t2" }) });
      node.receive({ payload: cowrie2("cowrie.session.closed", 3, { duration: "forever", session: "t2" }) });
      await until(() => events.length === 3, "the three events, kept");
      assert.equal(rejects.length, 0);
      const [tunnel, connect, closed] = events.map((m) => m.payload as CanonicalEvent);
      assert.deepEqual([tunnel.dst_ip, tunnel.dst_port, connect.dst_ip, connect.dst_port, closed.duration_ms], ["8.8.8.8", undefined, undefined, 23, undefined]);
      await until(() => metrics.some((m) => (m.payload as InfluxPoint[])[0].fields.partial === 3), "a report with the three");
      const report = metrics.find((m) => (m.payload as InfluxPoint[])[0].fields.partial === 3)?.payload as InfluxPoint[];
      const invalid = report.filter((p) => p.measurement === "honeyflow_clean_invalid_fields").map((p) => [p.tags.field, p.fields.count]);
      assert.deepEqual(invalid, [["src_port", 0], ["dst_ip", 1], ["dst_port", 1], ["duration_ms", 1]]);
      assert.equal(report[0].fields.validity, 0);
    });

    it("shows rejects in the status (yellow) and warns at most once per 10 s", async () => {
      const { node, events } = await deploy();
      const statuses: Array<{ fill: string; shape: string; text: string }> = [];
      const warnings: unknown[] = [];
      node.on("call:status", (call: { args: Array<{ fill: string; shape: string; text: string }> }) => statuses.push(call.args[0]));
      node.on("call:warn", (call: { args: unknown[] }) => warnings.push(call.args[0]));
      node.receive({ payload: cowrie2("cowrie.client.size", 1) });
      await until(() => statuses.some((s) => s.fill === "green" && s.shape === "dot"), "a green status after a clean event");
      for (let i = 0; i < 50; i++) node.receive({ payload: "garbage" });
      node.receive({ payload: cowrie2("cowrie.client.size", 2) });
      await until(() => events.length === 2, "the next clean event");
      await until(() => statuses.some((s) => s.fill === "yellow"), "a yellow status after rejects");
      // The helper's RED._ returns message keys; the real catalog's text is checked end to end.
      assert.equal(statuses[statuses.length - 1].text, "clean.status.counts");
      assert.equal(warnings.length, 1);
      assert.match(String(warnings[0]), /clean\.warn\.rejected/);
    });

    it("writes its counts as the other nodes do, with thousands separators", async () => {
      const flow = [{ id: "clean", type: "honeyflow-clean", name: "", metricsSeconds: "0", wires: [[], [], []] }];
      await helper.load(await withMessageCatalog(cleanNode, "clean"), flow);
      const node = nodeById("clean");
      const statuses: string[] = [];
      node.on("call:status", (call: { args: Array<{ text: string }> }) => statuses.push(call.args[0].text));
      for (let i = 0; i < 1200; i++) node.receive({ payload: "garbage" });
      node.receive({ payload: cowrie2("cowrie.client.size", 1) });
      await until(() => statuses.at(-1)?.startsWith("1 clean") === true, "the clean event in the status");
      assert.equal(statuses.at(-1), "1 clean · 1,200 rejected · 0 duplicates");
    });
  });

  describe("duplicates", () => {
    it("drops an event that arrives twice and counts it in the quality metrics", async () => {
      const { node, events, metrics } = await deploy({ metricsSeconds: "0.3" });
      const login = cowrie2("cowrie.login.failed", 1, { username: "root", password: "123456" });
      node.receive({ payload: login });
      node.receive({ payload: JSON.stringify(login) }); // e.g. the same line read again after a crash
      node.receive({ payload: cowrie2("cowrie.login.failed", 2, { username: "root", password: "123456" }) });
      await until(() => metrics.some((m) => (m.payload as InfluxPoint[])[0].fields.duplicates === 1), "a report with the duplicate");
      assert.equal(events.length, 2);
      assert.deepEqual(events.map((m) => (m.payload as CanonicalEvent).time), ["2026-03-18T10:27:01.715Z", "2026-03-18T10:27:02.715Z"]);
    });

    it("sends a duplicate to the rejects output when asked, so a caller waiting for an answer gets one", async () => {
      const { node, events, rejects } = await deploy({ duplicates: "reject" });
      const login = cowrie2("cowrie.login.failed", 1, { username: "root", password: "123456" });
      node.receive({ payload: login, request: 1 });
      node.receive({ payload: login, request: 2 });
      await until(() => rejects.length === 1, "the duplicate on the rejects output");
      assert.equal(events.length, 1);
      assert.deepEqual([rejects[0].request, rejects[0].reason, rejects[0].detail], [2, "duplicate", "cowrie.login.failed"]);
    });

    it("remembers only the configured number of recent events", async () => {
      const { node, events } = await deploy({ duplicateWindow: "2" });
      const event = (n: number) => cowrie2("cowrie.client.size", n);
      for (const n of [0, 0, 1, 2, 0]) node.receive({ payload: event(n) });
      await until(() => events.length === 4, "four events");
      assert.deepEqual(events.map((m) => (m.payload as CanonicalEvent).time.slice(17, 19)), ["00", "01", "02", "00"]);
    });
  });

  describe("configuration", () => {
    it("stamps events without a timestamp with the receive time when asked", async () => {
      const { node, events } = await deploy({ missingTimestamp: "receive-time" });
      const before = Date.now();
      node.receive({ payload: { ...cowrie2("cowrie.client.size", 0), timestamp: undefined } });
      await until(() => events.length === 1, "one event");
      const time = (events[0].payload as CanonicalEvent).time_ms;
      assert.ok(time >= before && time <= Date.now());
    });

    it("uses the configured future tolerance", async () => {
      const { node, events, rejects } = await deploy({ futureToleranceHours: "0.01" }); // 36 s
      node.receive({ payload: { ...cowrie2("cowrie.client.size", 0), timestamp: new Date(Date.now() + 10_000).toISOString() } });
      node.receive({ payload: { ...cowrie2("cowrie.client.size", 0), timestamp: new Date(Date.now() + 120_000).toISOString() } });
      await until(() => events.length === 1 && rejects.length === 1, "one event and one reject");
      assert.equal(rejects[0].reason, "future-timestamp");
    });

    it("bounds the session table: a session pushed out gets no connection fields filled in", async () => {
      const { node, events, payloads } = await deploy({ sessionTableSize: "1" });
      node.receive({ payload: cowrie2("cowrie.session.connect", 0, { session: "aaaaaaaaaaaa", src_port: 1111, dst_ip: "10.0.0.2", dst_port: 22 }) });
      node.receive({ payload: cowrie2("cowrie.session.connect", 1, { session: "bbbbbbbbbbbb", src_port: 2222, dst_ip: "10.0.0.2", dst_port: 22 }) });
      node.receive({ payload: cowrie2("cowrie.command.input", 2, { session: "bbbbbbbbbbbb", input: "id" }) });
      node.receive({ payload: cowrie2("cowrie.command.input", 3, { session: "aaaaaaaaaaaa", input: "id" }) });
      await until(() => events.length === 4, "four events");
      assert.equal(payloads()[2].src_port, 2222);
      assert.equal(payloads()[3].src_port, undefined);
    });
    it("takes a table size or duplicate window below one event (0.5, 1e-9) as the default, and stays in the flow", async () => {
      for (const size of ["0.5", "1e-9"]) {
        const { node, events } = await deploy({ sessionTableSize: size, duplicateWindow: size });
        assert.ok(helper.getNode("clean"), `deployed with ${size}`);
        for (const n of [0, 0, 1]) node.receive({ payload: cowrie2("cowrie.client.size", n) });
        await until(() => events.length === 2, "two events");
        await helper.unload();
      }
    });
  });

  describe("data-quality metrics", () => {
    it("sends InfluxDB points on the third output every interval", async () => {
      const { node, metrics } = await deploy({ metricsSeconds: "0.3", name: "sensor-aws clean" });
      node.receive({ payload: cowrie2("cowrie.session.connect", 0, { src_port: 1, dst_ip: "172.31.31.222", dst_port: 22 }) });
      node.receive({ payload: cowrie2("cowrie.session.closed", 1, { duration: "0.4" }) });
      node.receive({ payload: cowrie2("cowrie.login.failed", 2, { username: "root" }) });
      node.receive({ payload: { ...cowrie2("cowrie.client.size", 3), src_ip: "not-an-ip" } });
      await until(() => metrics.some((m) => (m.payload as InfluxPoint[])[0].fields.events === 4), "a report of the four events");
      const report = metrics.find((m) => (m.payload as InfluxPoint[])[0].fields.events === 4) as Msg;
      const points = report.payload as InfluxPoint[];
      assert.equal(report.topic, "honeyflow/clean/quality");
      const main = points[0];
      assert.equal(main.measurement, "honeyflow_clean");
      assert.deepEqual(main.tags, { node: "sensor-aws clean" });
      assert.deepEqual([main.fields.clean, main.fields.rejected, main.fields.duplicates], [3, 1, 0]);
      assert.equal(main.fields.validity, 3 / 4);
      assert.equal(main.fields.completeness, (6 + 4 + 4) / (6 + 4 + 5));
      assert.equal(main.fields.consistency, 2 / 3, "the string duration is not canonical");
      assert.ok((main.fields.lag_p50_ms as number) > 0 && (main.fields.lag_p95_ms as number) >= (main.fields.lag_p50_ms as number));
      assert.ok(Math.abs(main.timestamp - Date.now()) < 5000);
      const rejects = points.filter((p) => p.measurement === "honeyflow_clean_rejects");
      assert.deepEqual(rejects.find((p) => p.tags.reason === "bad-src_ip")?.fields, { count: 1 });
      assert.deepEqual(points.find((p) => p.measurement === "honeyflow_clean_consistency" && p.tags.check === "duration")?.fields, { consistency: 0, events: 1 });
      assert.deepEqual(points.find((p) => p.tags.eventid === "cowrie.login.failed")?.fields, { completeness: 4 / 5, events: 1 });
      assert.ok(points.every((p) => Object.values(p.fields).every((v) => typeof v === "number" && Number.isFinite(v))));
    });

    it("takes an interval longer than a timer can wait (24.8 days) as that longest wait, not as 1 ms", async () => {
      const { metrics } = await deploy({ metricsSeconds: "3000000" }); // 34.7 days: a typo's extra zeros
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(metrics.length, 0);
    });

    it("takes an interval shorter than a timer can wait (1e-9 s) as the default, not as a report every millisecond", async () => {
      const { metrics } = await deploy({ metricsSeconds: "1e-9" });
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(metrics.length, 0);
    });

    it("stops its timer when the flow stops", async () => {
      const { node, metrics } = await deploy({ metricsSeconds: "0.1" });
      const sent: unknown[] = [];
      node.on("call:send", (call: unknown) => sent.push(call));
      await until(() => metrics.length >= 2, "two reports");
      await helper.unload();
      const afterClose = sent.length;
      await sleep(400);
      assert.equal(sent.length, afterClose, "no report after close");
    });
  });
});
