import assert from "node:assert/strict";
import helper from "node-red-node-test-helper";
import windowFeaturesNode from "../../nodes/window-features/window-features";
import type { CanonicalEvent, EventCategory } from "../../src/domain/canonical-event";
import { nodeRedRuntimeModule } from "../support/node-red-under-test";

helper.init(nodeRedRuntimeModule);

interface FeatureRecord {
  src_ip: string;
  sensor: string;
  time: string;
  features: Record<string, number>;
  vector: number[];
  names: string[];
}
type Msg = Record<string, unknown> & { payload: FeatureRecord };
/** A node in the helper's runtime: it emits `input` and the helper's `call:<method>` spies. */
type RuntimeNode = NodeJS.EventEmitter & { receive(msg: object): void };
type Call = { args: unknown[] };
const nodeById = (id: string) => helper.getNode(id) as unknown as RuntimeNode;

/** Deploys `window features` wired to a helper node; collects its output, errors and statuses. */
async function deploy(config: Record<string, unknown> = {}) {
  const flow = [
    { id: "features", type: "honeyflow-window-features", name: "", wires: [["out"]], ...config },
    { id: "out", type: "helper" },
  ];
  await helper.load(windowFeaturesNode, flow);
  const node = nodeById("features");
  const outputs: Msg[] = [];
  const errors: string[] = [];
  const statuses: Array<{ fill?: string; shape?: string; text?: string }> = [];
  nodeById("out").on("input", (msg: Msg) => outputs.push(msg));
  node.on("call:error", (call: Call) => errors.push(String(call.args[0])));
  node.on("call:status", (call: Call) => statuses.push(call.args[0] as { text?: string }));
  /** Sends the events in order and resolves with the features of each. */
  const send = async (...events: object[]) => {
    const expected = outputs.length + events.length;
    for (const payload of events) node.receive({ payload });
    await until(() => outputs.length === expected, `${expected} outputs`);
    return outputs.slice(-events.length).map((m) => m.payload.features);
  };
  return { node, outputs, errors, statuses, send };
}

async function until(condition: () => boolean, what: string, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Wednesday 2026-03-18 10:00:00.000 UTC. */
const T0 = Date.UTC(2026, 2, 18, 10, 0, 0);
const ATTACKER = "203.0.113.7";

const CATEGORIES: Record<string, EventCategory> = {
  "cowrie.session.connect": "connect",
  "cowrie.login.failed": "auth",
  "cowrie.login.success": "auth",
  "cowrie.command.input": "command",
  "cowrie.session.file_download": "file",
  "cowrie.session.file_upload": "file",
  "cowrie.direct-tcpip.request": "tunnel",
  "cowrie.session.closed": "session",
};

/** A CanonicalEvent as clean emits it, `seconds` after T0. */
function event(seconds: number, eventid: string, fields: Partial<CanonicalEvent> = {}): CanonicalEvent {
  const timeMs = T0 + seconds * 1000;
  return {
    time_ms: timeMs,
    time: new Date(timeMs).toISOString(),
    eventid,
    category: CATEGORIES[eventid] ?? "other",
    sensor: "sensor-1",
    session: "a1b2c3d4e5f6",
    src_ip: ATTACKER,
    is_internal_ip: false,
    protocol: "ssh",
    ...fields,
  };
}

function assertClose(actual: Record<string, number>, expected: Record<string, number>) {
  for (const [name, value] of Object.entries(expected)) {
    assert.ok(Math.abs(actual[name] - value) < 1e-9, `${name}: expected ${value}, got ${actual[name]}`);
  }
}

describe("window features (honeyflow-window-features)", function () {
  afterEach(async () => {
    await helper.unload();
  });

  it("computes every feature of a hand-worked attack, in the documented order, keeping the message's properties", async () => {
    const { node, outputs, send } = await deploy();
    const other = { src_ip: "192.0.2.44" };
    await send(
      event(0, "cowrie.session.connect", { dst_port: 22 }),
      event(1, "cowrie.login.failed", { username: "root", password: "123456" }),
      event(2, "cowrie.login.failed", { username: "admin", password: "123456" }),
      event(3, "cowrie.login.failed", { username: "root", password: "password" }),
      event(4, "cowrie.login.success", { username: "root", password: "toor" }),
      event(10, "cowrie.session.connect", { src_ip: "10.0.0.5", is_internal_ip: true, dst_port: 22 }),
      event(200, "cowrie.command.input", { input: "uname -a" }),
      event(201, "cowrie.session.file_download", { url: "http://198.51.100.1/x.sh" }),
      event(202, "cowrie.session.file_upload", { shasum: "ab12" }),
      event(230, "cowrie.direct-tcpip.request", { dst_port: 80 }),
      event(240, "cowrie.direct-tcpip.request", { dst_port: 443 }),
      event(250, "cowrie.direct-tcpip.request", { dst_port: 80 }),
      event(260, "cowrie.session.closed", { duration_ms: 260_000 }),
      event(270, "cowrie.session.connect", { ...other, dst_port: 22 }),
    );
    node.receive({ payload: event(280.5, "cowrie.session.connect", { dst_port: 22 }), topic: "cowrie.session.connect", sensor: "s1" });
    await until(() => outputs.length === 15, "the last output");
    const last = outputs[14];
    assert.equal(last.topic, "cowrie.session.connect");
    assert.equal(last.sensor, "s1");
    assert.equal(last.payload.src_ip, ATTACKER);
    assert.equal(last.payload.sensor, "sensor-1", "the sensor travels on, so alerts can name it");
    assert.equal(last.payload.time, "2026-03-18T10:04:40.500Z");

    // The clock is second 280; the windows hold seconds 251-280 (30 s), 221-280 (1 m), -19-280 (5 m).
    // The attacker's events fell in seconds 0-4, 200-202, 230, 240, 250, 260 and 280.
    const hour = 10 + 280.5 / 3600;
    const wednesday = 2;
    const expected: Record<string, number> = {
      events_30s: 2, events_1m: 5, events_5m: 13,
      failed_logins_30s: 0, failed_logins_1m: 0, failed_logins_5m: 3,
      parallel_failed_logins_30s: 0, parallel_failed_logins_1m: 0, parallel_failed_logins_5m: 0, // one session at a time
      successful_logins_30s: 0, successful_logins_1m: 0, successful_logins_5m: 1,
      success_rate_30s: 0, success_rate_1m: 0, success_rate_5m: 1 / 4,
      failed_success_ratio_30s: 0, failed_success_ratio_1m: 0, failed_success_ratio_5m: 3 / 2,
      unique_usernames_30s: 0, unique_usernames_1m: 0, unique_usernames_5m: 2, // root, admin
      unique_passwords_30s: 0, unique_passwords_1m: 0, unique_passwords_5m: 3, // 123456, password, toor
      // A fresh sensor's first words are all new, which says nothing: none counts as rare yet.
      rare_usernames_30s: 0, rare_usernames_1m: 0, rare_usernames_5m: 0,
      unique_ports_30s: 1, unique_ports_1m: 3, unique_ports_5m: 3,
      // Ports: 22 | 80, 443, 80, 22 | 22, 80, 443, 80, 22
      dst_port_entropy_30s: 0,
      dst_port_entropy_1m: -(0.5 * Math.log2(0.5) + 2 * 0.25 * Math.log2(0.25)),
      dst_port_entropy_5m: -(2 * 0.4 * Math.log2(0.4) + 0.2 * Math.log2(0.2)),
      sessions_30s: 1, sessions_1m: 1, sessions_5m: 2,
      commands_30s: 0, commands_1m: 0, commands_5m: 1,
      rare_commands_30s: 0, rare_commands_1m: 0, rare_commands_5m: 0,
      typed_rare_commands_30s: 0, typed_rare_commands_1m: 0, typed_rare_commands_5m: 0,
      typed_unknown_commands_30s: 0, typed_unknown_commands_1m: 0, typed_unknown_commands_5m: 0,
      download_execs_30s: 0, download_execs_1m: 0, download_execs_5m: 0,
      downloads_30s: 0, downloads_1m: 0, downloads_5m: 1,
      uploads_30s: 0, uploads_1m: 0, uploads_5m: 1,
      tunnel_requests_30s: 0, tunnel_requests_1m: 3, tunnel_requests_5m: 3,
      mean_interarrival_30s: (280.5 - 260) / 1,
      mean_interarrival_1m: (280.5 - 230) / 4,
      mean_interarrival_5m: (280.5 - 0) / 12,
      session_duration_30s: 260, session_duration_1m: 260, session_duration_5m: 260,
      events_per_min: 6, // the attacker's five since second 221, and 192.0.2.44's connect
      new_ips_per_min: 1, // 192.0.2.44; the attacker and 10.0.0.5 are older than a minute
      distinct_ips_per_min: 2,
      campaign_sources_1m: 0, campaign_sources_5m: 0, // a connect shares no credentials, command or client with anyone
      hour_sin: Math.sin((2 * Math.PI * hour) / 24),
      hour_cos: Math.cos((2 * Math.PI * hour) / 24),
      weekday_sin: Math.sin((2 * Math.PI * wednesday) / 7),
      weekday_cos: Math.cos((2 * Math.PI * wednesday) / 7),
      is_internal_ip: 0,
    };
    assert.deepEqual(Object.keys(last.payload.features).sort(), Object.keys(expected).sort());
    assertClose(last.payload.features, expected);

    const { names, vector } = last.payload;
    assert.deepEqual(names.slice(0, 7), ["events_30s", "events_1m", "events_5m", "failed_logins_30s", "failed_logins_1m", "failed_logins_5m", "parallel_failed_logins_30s"]);
    assert.deepEqual(names.slice(-10), ["events_per_min", "new_ips_per_min", "distinct_ips_per_min", "campaign_sources_1m", "campaign_sources_5m", "hour_sin", "hour_cos", "weekday_sin", "weekday_cos", "is_internal_ip"]);
    assert.deepEqual(vector, names.map((name) => last.payload.features[name]));
    assert.ok(outputs.every((m) => JSON.stringify(m.payload.names) === JSON.stringify(names)), "the order never changes");
    assert.equal(outputs[5].payload.features.is_internal_ip, 1, "10.0.0.5 is internal");
  });

  describe("window edges", () => {
    it("leaves an event exactly 30 s older out of the 30 s window and counts whole seconds", async () => {
      const { send } = await deploy({ windows: "30, 60" });
      const [, , , atThirty] = await send(
        event(0, "cowrie.login.failed"),
        event(0.999, "cowrie.login.failed"), // 29.001 s before the last, but in second 0 all the same
        event(1, "cowrie.login.failed"), // 29 s before
        event(30, "cowrie.login.failed"),
      );
      assert.equal(atThirty.failed_logins_30s, 2);
      assert.equal(atThirty.failed_logins_1m, 4);
      assert.equal(atThirty.mean_interarrival_30s, 29, "from second 1 to second 30");
    });

    it("counts an event up to the tolerance late in its own second, a later one at the latest time", async () => {
      const { send } = await deploy({ windows: "3, 30", tolerance: "5" });
      const [atTen, fiveLate, moreThanFiveLate] = await send(
        event(10, "cowrie.login.failed"),
        event(5, "cowrie.login.failed"), // exactly 5 s late: second 5, outside the 3 s window (8-10)
        event(4.999, "cowrie.login.failed"), // 5.001 s late: counted at 10.000
      );
      assert.deepEqual([atTen.failed_logins_3s, atTen.failed_logins_30s], [1, 1]);
      assert.deepEqual([fiveLate.failed_logins_3s, fiveLate.failed_logins_30s], [1, 2]);
      assert.equal(fiveLate.mean_interarrival_30s, 5, "from 5.000 to 10.000 over two events");
      assert.deepEqual([moreThanFiveLate.failed_logins_3s, moreThanFiveLate.failed_logins_30s], [2, 3]);
      assert.equal(moreThanFiveLate.mean_interarrival_30s, 2.5, "from 5.000 to 10.000 (the re-timed event) over three events");
      const hourOfOwnTime = 10 + 4.999 / 3600;
      assert.ok(Math.abs(moreThanFiveLate.hour_sin - Math.sin((2 * Math.PI * hourOfOwnTime) / 24)) < 1e-12, "calendar features keep the event's own time");
    });

    it("gives the same features when the same events are replayed after a reset", async () => {
      const { node, send } = await deploy();
      const events = [0, 0.5, 7, 31, 31.2, 95].map((s, i) => event(s, i % 2 ? "cowrie.login.failed" : "cowrie.session.connect", { dst_port: 22, username: `u${i % 3}` }));
      const live = await send(...events);
      node.receive({ reset: true });
      const replayed = await send(...events);
      assert.deepEqual(replayed, live);
    });
  });

  describe("bounded memory", () => {
    it("forgets the least recently seen IP beyond the bound, and it counts as new when it returns", async () => {
      const { send } = await deploy({ maxIps: "2" });
      const a = { src_ip: "198.51.100.1" };
      const b = { src_ip: "198.51.100.2" };
      const c = { src_ip: "198.51.100.3" };
      const [, , aAgain, , aThird, bBack] = await send(
        event(0, "cowrie.login.failed", a),
        event(1, "cowrie.login.failed", b),
        event(2, "cowrie.login.failed", a), // a is now more recent than b
        event(3, "cowrie.login.failed", c), // evicts b, the least recently seen
        event(4, "cowrie.login.failed", a),
        event(5, "cowrie.login.failed", b), // new again; evicts c, now the least recently seen
      );
      assert.equal(aAgain.failed_logins_30s, 2);
      assert.equal(aThird.failed_logins_30s, 3, "a kept its history: it was used more recently than b");
      assert.equal(bBack.failed_logins_30s, 1, "b's first attempt was forgotten with it");
      assert.equal(bBack.new_ips_per_min, 4, "a, b, c, and b again");
    });

    it("forgets an IP idle for the TTL of event time, and not one idle a second less", async () => {
      const { send } = await deploy({ windows: "30", idleTtl: "60" });
      const [, , , kept, forgotten] = await send(
        event(0, "cowrie.login.failed", { src_ip: "198.51.100.1" }),
        event(1, "cowrie.login.failed", { src_ip: "198.51.100.4" }),
        event(30, "cowrie.login.failed", { src_ip: "198.51.100.9" }),
        event(60, "cowrie.login.failed", { src_ip: "198.51.100.4" }), // idle 59 s: still tracked
        event(60.5, "cowrie.login.failed", { src_ip: "198.51.100.1" }), // idle 60 s: forgotten, new again
      );
      // The minute ending at second 60 holds seconds 1-60.
      assert.equal(kept.new_ips_per_min, 2, ".4 (second 1) and .9 are new; .4's return is not");
      assert.equal(forgotten.new_ips_per_min, 3, ".1 came back after the TTL and counts as new");
    });
  });

  describe("control and bad input", () => {
    it("reports bad input with done(err) and its status, and keeps working", async () => {
      const { node, outputs, errors, statuses, send } = await deploy();
      node.receive({ payload: "cowrie.login.failed" });
      node.receive({ payload: null });
      node.receive({ payload: [event(0, "cowrie.login.failed")] });
      const withoutIp: Partial<CanonicalEvent> = event(0, "cowrie.login.failed");
      delete withoutIp.src_ip;
      node.receive({ payload: withoutIp });
      node.receive({ payload: { ...event(0, "cowrie.login.failed"), time_ms: "1773828000000" } });
      await until(() => errors.length === 5, "five errors");
      // The helper's RED._ returns message keys; the real catalog's text is checked by its JSON.
      assert.deepEqual(errors.map((e) => /window-features\.error\.(\w+)/.exec(e)?.[1]), ["notAnEvent", "notAnEvent", "notAnEvent", "noSourceIp", "noTime"]);
      await until(() => statuses.some((s) => s.text === "window-features.status.rejected" && s.fill === "yellow"), "the rejected status");
      assert.equal(outputs.length, 0);
      const [features] = await send(event(0, "cowrie.login.failed"));
      assert.equal(features.failed_logins_30s, 1);
      await until(() => statuses.at(-1)?.text === "window-features.status.tracking", "the tracking status");
    });

    it("rejects an event whose text is not text or whose time no date holds, before it counts anything", async () => {
      const { node, errors, send } = await deploy();
      node.receive({ payload: event(0, 7 as unknown as string) });
      node.receive({ payload: event(0, "cowrie.login.failed", { username: "root", password: 123456 as unknown as string }) });
      node.receive({ payload: event(0, "cowrie.login.failed", { time_ms: 1e300 }) });
      await until(() => errors.length === 3, "three errors");
      assert.deepEqual(errors.map((e) => /window-features\.error\.(\w+)/.exec(e)?.[1]), ["notText", "notText", "noTime"]);
      const [features] = await send(event(0, "cowrie.login.failed"));
      assert.deepEqual([features.events_30s, features.events_per_min, features.new_ips_per_min], [1, 1, 1], "as if they never came");
    });

    it("forgets everything on msg.reset and sends nothing for it", async () => {
      const { node, outputs, send } = await deploy();
      await send(event(0, "cowrie.login.failed"), event(1, "cowrie.login.failed"));
      node.receive({ reset: true });
      const [afterReset] = await send(event(2, "cowrie.login.failed"));
      assert.equal(outputs.length, 3);
      assert.equal(afterReset.failed_logins_30s, 1);
      assert.equal(afterReset.new_ips_per_min, 1);
    });

    it("refuses an invalid configuration with a red status and an error per message", async () => {
      const { node, outputs, errors, statuses } = await deploy({ windows: "0, 30" });
      node.receive({ payload: event(0, "cowrie.login.failed") });
      await until(() => errors.length === 1 && statuses.length > 0, "an error and a status");
      assert.match(errors[0], /window-features\.error\.config/);
      assert.deepEqual(statuses.at(-1), { fill: "red", shape: "ring", text: errors[0].replace(/^Error: /, "") });
      assert.equal(outputs.length, 0);
    });

    it("takes windows a hand-edited flow gives as a number or a list of numbers", async () => {
      for (const windows of [60, [30, 60]]) {
        const { send } = await deploy({ windows });
        const [features] = await send(event(0, "cowrie.login.failed"));
        assert.equal(features.failed_logins_1m, 1, JSON.stringify(windows));
        await helper.unload();
      }
    });

    it("refreshes its status at most every 500 ms however fast events come", async () => {
      const { statuses, send } = await deploy();
      const started = Date.now();
      await send(...Array.from({ length: 3000 }, (_, i) => event(i / 100, "cowrie.login.failed")));
      await until(() => statuses.at(-1)?.text === "window-features.status.tracking", "the tracking status");
      const elapsed = Date.now() - started;
      assert.ok(statuses.length <= 2 + Math.ceil(elapsed / 500), `${statuses.length} statuses in ${elapsed} ms`);
    });
  });
});
