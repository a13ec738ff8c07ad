import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import { connect, type MqttClient } from "mqtt";
import helper from "node-red-node-test-helper";
import alertNode from "../../nodes/alert/alert";
import brokerNode, { type MqttBrokerNode } from "../../nodes/mqtt-broker-config/mqtt-broker-config";
import { MosquittoProcess } from "../support/mosquitto-process";
import { requireExecutable } from "../support/service-requirement";
import { SlackWebhookStandIn } from "../support/slack-webhook-stand-in";
import { nodeRedRuntimeModule } from "../support/node-red-under-test";

helper.init(nodeRedRuntimeModule);

type RuntimeNode = NodeJS.EventEmitter & { receive(msg: object): void };
const nodeById = (id: string) => helper.getNode(id) as unknown as RuntimeNode;
interface AlertPayload {
  schema: number; id: string; time: string; src_ip: string; type: string; severity: string; score: number; count: number;
  first_seen: string; last_seen: string; top_features: Array<{ name: string; value: number }>; sensor: string; summary: string;
  resolved?: boolean; resolves?: string; dropped_payload?: string; held_back?: number; src_geo?: { country: string | null; country_name: string | null; asn: number | null; as_org: string | null };
}
interface Output { topic: string; payload: AlertPayload }
/** The helper's runtime has no message catalogue: status texts and errors arrive as their locale keys. */
interface Status { fill?: string; shape?: string; text?: string }
interface Received { topic: string; payload: AlertPayload; retain: boolean }

const DOCUMENTED_FIELDS = ["count", "first_seen", "id", "last_seen", "schema", "score", "sensor", "severity", "src_ip", "summary", "time", "top_features", "type"];

/** What the online detector sends on its anomalies output, after window features. */
function scoredEvent(srcIp: string, attackType: string, score: number, overrides: Record<string, unknown> = {}) {
  return {
    src_ip: srcIp, time: new Date().toISOString(), sensor: "sensor-1", vector: [540, 212], names: ["failed_logins_30s", "unique_usernames_30s"],
    detection: {
      detector: "default", score, threshold: 0.97, anomaly: true, warm: true,
      explanation: { attack_type: attackType, top_features: [{ name: "failed_logins_30s", value: 540, usual: [0, 3], outlyingness: 9 }, { name: "unique_usernames_30s", value: 212, usual: [0, 2], outlyingness: 8 }] },
    },
    ...overrides,
  };
}

async function until(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A subscriber as a SIEM bridge would run one: QoS 1 and a persistent session (clean false, a
 * fixed id), so that what is published while it reconnects after a broker restart waits for it.
 */
async function subscriber(url: string, topics: string[]): Promise<{ client: MqttClient; received: Received[] }> {
  const client = connect(url, { clientId: `honeyflow-test-subscriber-${process.pid}-${Date.now()}`, clean: false, reconnectPeriod: 200 });
  const received: Received[] = [];
  client.on("message", (topic, payload, packet) => received.push({ topic, payload: JSON.parse(payload.toString()) as AlertPayload, retain: packet.retain }));
  await client.subscribeAsync(topics, { qos: 1 });
  return { client, received };
}

describe("alert (honeyflow-alert)", function () {
  this.timeout(30_000);
  let clients: MqttClient[] = [];
  afterEach(async () => {
    await helper.unload();
    await Promise.all(clients.map((client) => client.endAsync(true)));
    clients = [];
  });

  /** Deploys broker config (when a URL is given) -> alert -> helper, and collects what comes out. */
  async function deploy(alertConfig: Record<string, unknown>, brokerUrl?: string, credentials: Record<string, unknown> = {}) {
    const flow = [
      ...(brokerUrl ? [{ id: "broker", type: "honeyflow-mqtt-broker", url: brokerUrl, clientId: "honeyflow-alert-test", protocolVersion: "4", statusPrefix: "honeyflow" }] : []),
      { id: "alert", type: "honeyflow-alert", broker: brokerUrl ? "broker" : "", cooldown: "300", maxPerMinute: "1000", topicPrefix: "honeyflow", silence: "0", wires: [["out"]], ...alertConfig },
      { id: "out", type: "helper" },
    ];
    await helper.load([brokerNode, alertNode], flow, { alert: credentials });
    const outputs: Output[] = [];
    const statuses: Status[] = [];
    const errors: unknown[] = [];
    const node = nodeById("alert");
    nodeById("out").on("input", (msg: Output) => outputs.push(msg));
    node.on("call:status", (call: { args: Status[] }) => statuses.push(call.args[0]));
    node.on("call:error", (call: { args: unknown[] }) => errors.push(call.args[0]));
    return { node, outputs, statuses, errors };
  }

  describe("with a real Mosquitto", function () {
    let broker: MosquittoProcess | undefined;
    before(async function () {
      broker = await MosquittoProcess.start(requireExecutable(this, "mosquitto"), { persistence: true });
    });
    afterEach(async () => {
      if (broker && !broker.running) await broker.start();
    });
    after(() => broker?.dispose());

    it("publishes every alert with the documented payload on <prefix>/alerts/<type>/<severity>, and the same alert on its output", async () => {
      const sub = await subscriber(broker!.url, ["honeyflow/alerts/#", "honeyflow/status"]);
      clients.push(sub.client);
      const { node, outputs } = await deploy({}, broker!.url);
      await until(() => sub.received.some((m) => m.topic === "honeyflow/status" && (m.payload as unknown as { status: string }).status === "online"), "the online status");
      node.receive({ payload: scoredEvent("203.0.113.7", "brute-force", 0.99) });
      node.receive({ payload: scoredEvent("198.51.100.2", "port-scan/tunnel", 0.9995) });
      node.receive({ payload: { ...scoredEvent("192.0.2.9", "brute-force", 0.1), detection: { score: 0.1, threshold: 0.97, anomaly: false, warm: true } } });
      const alerts = () => sub.received.filter((m) => m.topic.startsWith("honeyflow/alerts/"));
      await until(() => alerts().length === 2 && outputs.length === 2, "two alerts on MQTT and on the output");
      await sleep(300);
      assert.equal(alerts().length, 2, "a normal event makes no alert");
      assert.deepEqual(alerts().map((m) => m.topic), ["honeyflow/alerts/brute-force/medium", "honeyflow/alerts/port-scan-tunnel/high"]);
      for (const [i, { payload }] of alerts().entries()) {
        assert.deepEqual(Object.keys(payload).sort(), DOCUMENTED_FIELDS);
        assert.equal(payload.schema, 5);
        assert.equal(payload.count, 1);
        assert.equal(payload.sensor, "sensor-1");
        assert.deepEqual(payload.top_features.map((f) => f.name), ["failed_logins_30s", "unique_usernames_30s"]);
        assert.deepEqual(outputs[i].payload, payload, "the output carries the published alert");
        assert.equal(outputs[i].topic, alerts()[i].topic);
      }
      assert.equal(alerts()[0].payload.src_ip, "203.0.113.7");
      assert.equal(alerts()[1].payload.severity, "high", "medium raised one level by a score at the escalation threshold");
      assert.match(alerts()[0].payload.summary, /^203\.0\.113\.7: brute-force, 1 anomalous event; failed_logins_30s=540 \(usual 0-3\), unique_usernames_30s=212/);
    });

    it("puts enrich's src_geo into the alert on MQTT and on the output, its organisation name capped", async () => {
      const sub = await subscriber(broker!.url, ["honeyflow/alerts/#"]);
      clients.push(sub.client);
      const { node, outputs } = await deploy({}, broker!.url);
      const hostile = `<img src=x onerror=alert(1)>"},"severity":"low\n${"x".repeat(1_000_000)}`;
      const src_geo = { country: "NL", country_name: "Netherlands", asn: 14061, as_org: hostile };
      node.receive({ payload: scoredEvent("203.0.113.7", "brute-force", 0.99, { src_geo }) });
      await until(() => sub.received.length === 1 && outputs.length === 1, "the enriched alert");
      const { payload } = sub.received[0];
      assert.deepEqual(Object.keys(payload).sort(), [...DOCUMENTED_FIELDS, "src_geo"].sort());
      assert.equal(payload.severity, "medium", "the organisation's quote and newline stay inside its JSON string");
      assert.deepEqual({ ...payload.src_geo, as_org: undefined }, { country: "NL", country_name: "Netherlands", asn: 14061, as_org: undefined });
      assert.ok(payload.src_geo?.as_org?.startsWith(hostile.slice(0, 100)));
      assert.ok((payload.src_geo?.as_org?.length ?? Infinity) <= 128);
      assert.deepEqual(outputs[0].payload, payload);
    });

    it("aggregates a burst into its first alert and one update with the same id when the cooldown ends", async () => {
      const sub = await subscriber(broker!.url, ["honeyflow/alerts/#"]);
      clients.push(sub.client);
      const { node, outputs } = await deploy({ cooldown: "1" }, broker!.url);
      for (let i = 0; i < 5; i++) node.receive({ payload: scoredEvent("203.0.113.7", "brute-force", 0.99) });
      await until(() => sub.received.length === 2, "the first alert and its update");
      const [first, update] = sub.received.map((m) => m.payload);
      assert.equal(first.count, 1);
      assert.equal(update.id, first.id, "an update keeps the incident's id");
      assert.equal(update.count, 5);
      assert.match(update.summary, /5 anomalous events/);
      assert.equal(outputs.length, 2);
    });

    it("sends the closing update of an open incident when it stops", async () => {
      const sub = await subscriber(broker!.url, ["honeyflow/alerts/#"]);
      clients.push(sub.client);
      const { node } = await deploy({ cooldown: "300" }, broker!.url);
      for (let i = 0; i < 3; i++) node.receive({ payload: scoredEvent("203.0.113.7", "brute-force", 0.99) });
      await until(() => sub.received.length === 1, "the first alert");
      await helper.unload();
      await until(() => sub.received.length === 2, "the update sent while stopping");
      assert.equal(sub.received[1].payload.id, sub.received[0].payload.id);
      assert.equal(sub.received[1].payload.count, 3);
    });

    it("tells a subscriber of the alerts the rate limit held back, at the latest when it stops", async () => {
      const sub = await subscriber(broker!.url, ["honeyflow/alerts/#"]);
      clients.push(sub.client);
      const { node } = await deploy({ cooldown: "300", maxPerMinute: "1" }, broker!.url);
      for (const ip of ["203.0.113.1", "203.0.113.2", "203.0.113.3"]) node.receive({ payload: scoredEvent(ip, "brute-force", 0.99) });
      await until(() => sub.received.length === 1, "the one alert within the limit");
      await helper.unload();
      await until(() => sub.received.some((m) => m.payload.held_back !== undefined), "what was held back, told while stopping");
      const told = sub.received.find((m) => m.payload.held_back !== undefined)!;
      assert.equal(told.topic, "honeyflow/alerts/brute-force/medium");
      assert.deepEqual([told.payload.held_back, told.payload.src_ip, told.payload.schema], [2, "203.0.113.2", 5]);
      assert.match(told.payload.summary, /^rate limit: 2 brute-force alerts held back in \d+ s from 2 sources; the first: 203\.0\.113\.2: brute-force/);
    });

    it("sends the closing update of every open incident when it stops, one stamped a day ahead too", async () => {
      const sub = await subscriber(broker!.url, ["honeyflow/alerts/#"]);
      clients.push(sub.client);
      const { node } = await deploy({ cooldown: "300" }, broker!.url);
      const ahead = new Date(Date.now() + 86_400_000).toISOString();
      for (let i = 0; i < 2; i++) node.receive({ payload: scoredEvent("192.0.2.1", "port-scan/tunnel", 0.99, { sensor: "skewed", time: ahead }) });
      for (let i = 0; i < 2; i++) node.receive({ payload: scoredEvent("203.0.113.7", "brute-force", 0.99) });
      await until(() => sub.received.length === 2, "the first alerts");
      await helper.unload();
      await until(() => sub.received.length === 4, "both updates sent while stopping");
      assert.deepEqual(sub.received.map((m) => `${m.payload.src_ip} ${m.payload.count}`).sort(), ["192.0.2.1 1", "192.0.2.1 2", "203.0.113.7 1", "203.0.113.7 2"]);
    });

    it("loses no alert while the broker is down for 15 s, and duplicates only whole (id, count) versions", async function () {
      this.timeout(180_000);
      const sub = await subscriber(broker!.url, ["honeyflow/alerts/#"]);
      clients.push(sub.client);
      const { node, outputs, statuses } = await deploy({}, broker!.url);
      let sent = 0;
      const anomalyFromNextSource = () => node.receive({ payload: scoredEvent(`198.51.100.${++sent}`, "brute-force", 0.99) });
      for (let i = 0; i < 3; i++, await sleep(1000)) anomalyFromNextSource();
      await broker!.stop();
      // Fifteen reconnect attempts at mqtt.js's one a second, and an alert each second meanwhile.
      const downUntil = Date.now() + 15_000;
      while (Date.now() < downUntil) {
        anomalyFromNextSource();
        await sleep(1000);
      }
      const outage = statuses.filter((s) => s.fill === "red");
      await broker!.start();
      assert.ok(outage.length > 0 && outage.every((s) => s.shape === "ring" && s.text === "alert.status.disconnected"), "a red ring while the broker is away");
      for (let i = 0; i < 3; i++, await sleep(1000)) anomalyFromNextSource();
      await until(() => outputs.length === sent, "an alert per anomaly on the output");
      const expected = new Set(outputs.map((o) => o.payload.id));
      assert.equal(expected.size, sent, "one alert per source");
      await until(() => new Set(sub.received.map((m) => m.payload.id)).size === expected.size, "every alert at the subscriber", 60_000);
      assert.deepEqual(new Set(sub.received.map((m) => m.payload.id)), expected, "zero lost");
      for (const message of sub.received) {
        const original = outputs.find((o) => o.payload.id === message.payload.id);
        assert.deepEqual(message.payload, original?.payload, "a duplicate is the same version, byte for byte");
      }
      await until(() => statuses.at(-1)?.text === "alert.status.connected" && statuses.at(-1)?.fill === "green", "a green status again");
    });

    it("turns its status red when the broker goes away and green when it returns, as the broker config node tells it", async () => {
      const { statuses } = await deploy({}, broker!.url);
      const last = () => statuses.at(-1);
      await until(() => last()?.fill === "green" && last()?.text === "alert.status.connected", "a green status once connected");
      await broker!.stop();
      await until(() => last()?.fill === "red" && last()?.shape === "ring" && last()?.text === "alert.status.disconnected", "a red ring without the broker");
      await broker!.start();
      await until(() => last()?.fill === "green" && last()?.text === "alert.status.connected", "a green status again");
    });

    it("keeps <prefix>/status retained: online, offline by the last will when the connection dies, offline when stopped", async () => {
      const sub = await subscriber(broker!.url, ["honeyflow/status"]);
      clients.push(sub.client);
      await deploy({}, broker!.url);
      const states = () => sub.received.map((m) => m.payload as unknown as { status: string; reason?: string; client_id: string });
      await until(() => states().some((s) => s.status === "online"), "online");
      assert.equal(states().at(-1)?.client_id, "honeyflow-alert-test");
      // Kill the connection without a goodbye, as a crash or a cut cable would.
      (helper.getNode("broker") as unknown as MqttBrokerNode).client?.stream.destroy();
      await until(() => states().some((s) => s.status === "offline" && s.reason === "connection lost"), "the last will");
      // The broker sends the will when it notices, long after the will was written at connect: it says no time it cannot know.
      assert.equal("time" in (states().find((s) => s.reason === "connection lost") as object), false);
      assert.ok("time" in (states().find((s) => s.status === "online") as object), "online says when");
      await until(() => states().at(-1)?.status === "online", "online again after the reconnect");
      await helper.unload();
      const later = await subscriber(broker!.url, ["honeyflow/status"]);
      clients.push(later.client);
      await until(() => later.received.length > 0, "the retained status");
      assert.equal(later.received[0].retain, true);
      assert.deepEqual([(later.received[0].payload as unknown as { status: string }).status, (later.received[0].payload as unknown as { reason: string }).reason], ["offline", "stopped"]);
    });
    it("stays in the flow when a hand-edited flow gives the client id and status prefix as numbers, and uses them", async () => {
      const watcher = await subscriber(broker!.url, ["7/status"]);
      clients.push(watcher.client);
      const flow = [
        { id: "broker", type: "honeyflow-mqtt-broker", url: broker!.url, clientId: 42, protocolVersion: "4", statusPrefix: 7 },
        { id: "alert", type: "honeyflow-alert", broker: "broker", wires: [] },
      ];
      await helper.load([brokerNode, alertNode], flow);
      assert.ok(helper.getNode("broker"));
      await until(() => watcher.received.some((m) => (m.payload as unknown as { status: string }).status === "online"), "online on 7/status");
      assert.equal((watcher.received[0].payload as unknown as { client_id: string }).client_id, "42");
    });

    it("speaks MQTT 5 when a hand-edited flow gives the protocol version as the number 5", async () => {
      const flow = [
        { id: "broker", type: "honeyflow-mqtt-broker", url: broker!.url, protocolVersion: 5 },
        { id: "alert", type: "honeyflow-alert", broker: "broker", wires: [] },
      ];
      await helper.load([brokerNode, alertNode], flow);
      const client = (helper.getNode("broker") as unknown as MqttBrokerNode).client;
      await until(() => client?.connected === true, "connected");
      assert.equal(client?.options.protocolVersion, 5);
    });

    it("runs the bundled example: alerts on the output and at an MQTT subscriber", async () => {
      type FlowNode = { id: string; type: string; name?: string; repeat?: string; url?: string };
      const example = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "examples", "alert.json"), "utf8")) as FlowNode[];
      // Node-RED's core nodes (inject, function, ...), loaded from the node-red installation the helper runs.
      const fromNodeRed = createRequire(nodeRedRuntimeModule);
      const core = (file: string) => fromNodeRed(`@node-red/nodes/core/${file}`) as (red: unknown) => void;
      // Imported flows land on a tab; the debug node becomes a collector; the broker is this test's; anomalies come 40x faster.
      const flow = [{ id: "tab", type: "tab", label: "alert" }, ...example.map((n) => ({
        ...n, z: "tab", type: n.type === "debug" ? "helper" : n.type, repeat: n.type === "inject" ? "0.05" : n.repeat,
        ...(n.type === "honeyflow-mqtt-broker" ? { url: broker!.url } : {}),
      }))];
      const sub = await subscriber(broker!.url, ["honeyflow/alerts/#"]);
      clients.push(sub.client);
      await helper.load([brokerNode, alertNode, core("common/20-inject.js"), core("common/90-comment.js"), core("function/10-function.js")], flow);
      const outputs: Output[] = [];
      nodeById(example.find((n) => n.type === "debug")?.id ?? "").on("input", (msg: Output) => outputs.push(msg));
      await until(() => sub.received.some((m) => m.topic === "honeyflow/alerts/malware-drop/high") && sub.received.length >= 4, "brute-force and malware alerts");
      for (const { topic } of sub.received.slice(0, 3)) assert.match(topic, /^honeyflow\/alerts\/brute-force\/(medium|high)$/, "high when the score reaches 0.999");
      assert.deepEqual(new Set(sub.received.slice(0, 3).map((m) => m.payload.src_ip)), new Set(["203.0.113.1", "203.0.113.2", "203.0.113.3"]), "one alert per brute-forcing source: the rest is aggregated");
      await until(() => outputs.length >= sub.received.length, "the same alerts on the output");
      assert.deepEqual(outputs.slice(0, 4).map((o) => o.payload.id), sub.received.slice(0, 4).map((m) => m.payload.id));
    });
  });

  describe("with a real Mosquitto that refuses the connection at first", function () {
    let broker: MosquittoProcess | undefined;
    let passwords: string;
    let mosquittoPasswd: string;
    before(async function () {
      const mosquitto = requireExecutable(this, "mosquitto");
      mosquittoPasswd = requireExecutable(this, "mosquitto_passwd");
      passwords = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "honeyflow-passwords-")), "passwords");
      execFileSync(mosquittoPasswd, ["-b", "-c", passwords, "honeyflow", "old-password"]);
      // Anonymous clients (the test's subscriber) are let in; a wrong password is refused.
      broker = await MosquittoProcess.start(mosquitto, { persistence: true, settings: `password_file ${passwords}` });
    });
    after(async () => {
      await broker?.dispose();
      if (passwords) fs.rmSync(path.dirname(passwords), { recursive: true, force: true });
    });

    it("keeps trying after the broker refused its credentials, and delivers what it queued once they are accepted", async () => {
      const sub = await subscriber(broker!.url, ["honeyflow/alerts/#"]);
      clients.push(sub.client);
      const flow = [
        { id: "broker", type: "honeyflow-mqtt-broker", url: broker!.url, clientId: "honeyflow-alert-test", protocolVersion: "4", statusPrefix: "honeyflow" },
        { id: "alert", type: "honeyflow-alert", broker: "broker", cooldown: "300", maxPerMinute: "1000", topicPrefix: "honeyflow", silence: "0", wires: [] },
      ];
      await helper.load([brokerNode, alertNode], flow, { broker: { username: "honeyflow", password: "new-password" } });
      await until(() => broker!.said(/not authorised|not authorized|bad user name or password/i), "the refused connection");
      nodeById("alert").receive({ payload: scoredEvent("203.0.113.7", "brute-force", 0.99) });
      // The broker's operator rolls out the new password and restarts it.
      execFileSync(mosquittoPasswd, ["-b", passwords, "honeyflow", "new-password"]);
      await broker!.stop();
      await broker!.start();
      await until(() => sub.received.length === 1, "the queued alert at the subscriber");
      assert.equal(sub.received[0].payload.src_ip, "203.0.113.7");
    });
  });

  describe("with a local HTTP server as Slack's webhook", () => {
    let slack: SlackWebhookStandIn;
    let webhook: string;
    let bodies: string[];
    beforeEach(async () => {
      slack = new SlackWebhookStandIn();
      webhook = await slack.listen();
      bodies = slack.bodies;
    });
    afterEach(() => slack.close());

    it("counts an alert Slack refused for good as dropped in its status", async () => {
      slack.answer({ status: 400, body: "invalid_payload" });
      const { node, statuses } = await deploy({}, undefined, { slackWebhook: webhook });
      node.receive({ payload: scoredEvent("203.0.113.7", "brute-force", 0.99) });
      await until(() => bodies.length === 1, "the refused post");
      await until(() => statuses.at(-1)?.text?.includes("alert.status.dropped") === true, "the lost alert in the status", 3000);
    });

    it("posts each alert as Block Kit with attacker text escaped, after honouring a 429", async () => {
      slack.answer({ status: 429, headers: { "Retry-After": "1" }, body: "rate_limited" });
      const { node, outputs } = await deploy({}, undefined, { slackWebhook: webhook });
      const hostile = "<!channel> *bold* <@U123> <http://evil|click>\nline two";
      node.receive({ payload: { time_ms: Date.now(), src_ip: hostile, sensor: hostile, score: 0.99, attack_type: "brute-force", top_features: [{ name: hostile, value: 1 }] } });
      await until(() => bodies.length === 2, "the post and its retry after the 429");
      assert.equal(bodies[1], bodies[0], "the same message again");
      assert.ok(!bodies[0].includes("<"), "no <!channel>, <@U123> or <http...> reaches Slack");
      assert.ok(bodies[0].includes("&lt;!channel&gt; *bold* &lt;@U123&gt; &lt;http://evil|click&gt; line two"));
      const message = JSON.parse(bodies[0]) as { blocks: Array<{ text?: { type: string }; fields?: Array<{ type: string }> }> };
      const textTypes = message.blocks.flatMap((b) => [b.text?.type, ...(b.fields ?? []).map((f) => f.type)]).filter(Boolean);
      assert.ok(textTypes.every((type) => type === "plain_text"), "no mrkdwn: *bold* shows as typed");
      assert.equal(outputs[0].topic, "honeyflow/alerts/brute-force/medium", "attacker text never reaches a topic");
      assert.equal(outputs[0].payload.src_ip, hostile, "the output keeps the original (JSON carries it safely)");
    });
  });

  it("stays in the flow when a hand-edited flow gives the topic prefix as a number, and alerts under it", async () => {
    const { node, outputs } = await deploy({ topicPrefix: 7 });
    assert.ok(helper.getNode("alert"));
    node.receive({ payload: scoredEvent("203.0.113.7", "brute-force", 0.99) });
    await until(() => outputs.length === 1, "one alert");
    assert.equal(outputs[0].topic, "7/alerts/brute-force/medium");
  });

  it("reports bad input with done(err) and keeps working", async () => {
    const { node, outputs, errors } = await deploy({});
    node.receive({ payload: "not an event" });
    node.receive({ payload: { vector: [1, 2, 3] } });
    node.receive({ payload: scoredEvent("203.0.113.7", "alien-invasion", 0.99) });
    node.receive({ payload: scoredEvent("203.0.113.7", "brute-force", 0.99) });
    await until(() => errors.length === 3 && outputs.length === 1, "three errors and one alert");
    assert.deepEqual(errors.map(String), Array(3).fill("Error: alert.error.input"));
  });

  it("makes one alert of the sources that drop the same payload, and says what they dropped", async () => {
    const { node, outputs } = await deploy({ cooldown: "60" });
    const loader = "wget http://*/i";
    for (const ip of ["203.0.113.1", "203.0.113.2", "203.0.113.3"]) node.receive({ payload: scoredEvent(ip, "malware-drop", 0.99, { dropped_payload: loader }) });
    node.receive({ payload: scoredEvent("203.0.113.4", "malware-drop", 0.99, { dropped_payload: "sha256:94f2" }) });
    await until(() => outputs.length === 2, "one alert per payload");
    await sleep(200);
    assert.deepEqual(outputs.map((o) => [o.payload.src_ip, o.payload.dropped_payload]), [["203.0.113.1", loader], ["203.0.113.4", "sha256:94f2"]]);
  });

  it("names a wave by its first seconds: a spike whose sources share credentials is one credential-stuffing alert, a plain spike is sent once they pass", async () => {
    const { node, outputs } = await deploy({ cooldown: "60" });
    const ago = (seconds: number) => new Date(Date.now() - seconds * 1000).toISOString();
    node.receive({ payload: scoredEvent("198.51.100.1", "traffic-spike", 0.99, { sensor: "campaign", time: ago(10) }) });
    node.receive({ payload: scoredEvent("198.51.100.2", "credential-stuffing", 0.99, { sensor: "campaign", time: ago(9) }) });
    node.receive({ payload: scoredEvent("192.0.2.1", "traffic-spike", 0.99, { sensor: "spike", time: ago(10) }) });
    // The spike's sensor's clock moves on by its next anomaly (or by the wall clock, five seconds later).
    node.receive({ payload: scoredEvent("192.0.2.2", "brute-force", 0.99, { sensor: "spike", time: ago(0) }) });
    await until(() => outputs.length === 3, "the campaign's alert, the spike's and the brute force's");
    await sleep(1200);
    assert.deepEqual(outputs.map((o) => [o.payload.sensor, o.payload.src_ip, o.payload.type]), [
      ["campaign", "198.51.100.1", "credential-stuffing"],
      ["spike", "192.0.2.1", "traffic-spike"],
      ["spike", "192.0.2.2", "brute-force"],
    ]);
  });

  it("sends a spike stamped a day ahead once its sensor's next event sets the clock back, not when that day comes", async () => {
    const { node, outputs } = await deploy({});
    const ahead = new Date(Date.now() + 86_400_000).toISOString();
    node.receive({ payload: scoredEvent("198.51.100.1", "traffic-spike", 0.99, { sensor: "reset", time: ahead }) });
    node.receive({ payload: scoredEvent("192.0.2.2", "brute-force", 0.99, { sensor: "reset" }) });
    await until(() => outputs.length === 2, "the spike's alert and the brute force's", 3000);
    assert.deepEqual(outputs.map((o) => [o.payload.src_ip, o.payload.type]), [["198.51.100.1", "traffic-spike"], ["192.0.2.2", "brute-force"]]);
    assert.ok(Date.parse(outputs[0].payload.time) < Date.parse(ahead), "sent at the sensor's time, not the day ahead");
  });

  it("counts the alerts the rate limit held back in its status", async () => {
    const { node, outputs, statuses } = await deploy({ maxPerMinute: "1" });
    for (const ip of ["203.0.113.1", "203.0.113.2", "203.0.113.3"]) node.receive({ payload: scoredEvent(ip, "brute-force", 0.99) });
    await until(() => outputs.length === 1, "the one alert within the limit");
    await until(() => statuses.at(-1)?.text?.includes("alert.status.rateLimited") === true, "the held-back alerts in the status", 3000);
  });

  it("holds its rate limit by the wall clock, however the events' times jump about", async () => {
    const { node, outputs } = await deploy({ maxPerMinute: "5" });
    const day = 86_400_000;
    for (let i = 0; i < 40; i++) {
      node.receive({ payload: scoredEvent(`203.0.113.${i}`, "brute-force", 0.99, { time: new Date(Date.now() + (i % 2 ? day : -day) * (i % 5)).toISOString() }) });
    }
    await until(() => outputs.length >= 5, "the alerts within the limit");
    await sleep(300);
    assert.equal(outputs.length, 5);
  });

  it("keeps one sensor's incidents to its own clock: a second sensor's clock 30 minutes ahead ends none of them", async () => {
    const { node, outputs } = await deploy({ cooldown: "300" });
    for (let i = 0; i < 4; i++, await sleep(1100)) {
      node.receive({ payload: scoredEvent("203.0.113.7", "brute-force", 0.99) });
      node.receive({ payload: scoredEvent("192.0.2.1", "port-scan/tunnel", 0.99, { sensor: "skewed", time: new Date(Date.now() + 1_800_000).toISOString() }) });
    }
    assert.deepEqual(outputs.filter((o) => o.payload.src_ip === "203.0.113.7").map((o) => o.payload.count), [1], "one alert; the rest waits for the cooldown's update");
  });

  it("keeps a burst in one incident after an event stamped a day ahead (a sensor whose clock is wrong)", async () => {
    const { node, outputs } = await deploy({ cooldown: "300" });
    node.receive({ payload: scoredEvent("192.0.2.1", "port-scan/tunnel", 0.99, { sensor: "skewed", time: new Date(Date.now() + 86_400_000).toISOString() }) });
    for (let i = 0; i < 4; i++, await sleep(1100)) node.receive({ payload: scoredEvent("203.0.113.7", "brute-force", 0.99) });
    assert.deepEqual(outputs.filter((o) => o.payload.src_ip === "203.0.113.7").map((o) => o.payload.count), [1], "one alert; the rest waits for the cooldown's update");
  });

  it("refuses an event time no date can hold with done(err), and goes on aggregating by the times that follow", async () => {
    const { node, outputs, errors } = await deploy({ cooldown: "1" });
    // Past ECMAScript's range of dates, and at its very end, where the node's clock runs over it.
    for (const time_ms of [1e16, 8.64e15]) node.receive({ payload: { time_ms, src_ip: "203.0.113.7", sensor: "sensor-1", score: 0.99, attack_type: "brute-force" } });
    node.receive({ payload: scoredEvent("203.0.113.7", "brute-force", 0.99, { time: "+275760-09-13T00:00:00.000Z" }) });
    await until(() => errors.length === 3, "the refused events");
    for (let i = 0; i < 2; i++) node.receive({ payload: scoredEvent("203.0.113.8", "brute-force", 0.99) });
    await until(() => outputs.length === 2, "the alert and its update a cooldown later");
    assert.deepEqual(outputs.map((o) => o.payload.count), [1, 2]);
    assert.deepEqual(errors.map(String), Array(3).fill("Error: alert.error.input"));
  });

  it("stops alerting on a pattern an analyst marked as a false positive, and refuses a bad mark", async () => {
    const { node, outputs, errors } = await deploy({ cooldown: "1" });
    node.receive({ control: "false-positive", payload: { type: "brute-force", src_ip: "10.0.0.9" } });
    node.receive({ control: "false-positive", payload: { type: "traffic-spike" } });
    node.receive({ control: "false-positive", payload: { type: "alien-invasion" } });
    node.receive({ control: "forget-everything" });
    node.receive({ payload: scoredEvent("10.0.0.9", "brute-force", 0.999) }); // marked: no alert
    node.receive({ payload: scoredEvent("198.51.100.3", "traffic-spike", 0.999) }); // marked for every source
    node.receive({ payload: scoredEvent("10.0.0.9", "port-scan/tunnel", 0.999) }); // another type: alerts
    node.receive({ payload: scoredEvent("10.0.0.10", "brute-force", 0.999) }); // another source: alerts
    await until(() => outputs.length === 2 && errors.length === 2, "two alerts and two refused marks");
    assert.deepEqual(outputs.map((o) => `${o.payload.src_ip} ${o.payload.type}`), ["10.0.0.9 port-scan/tunnel", "10.0.0.10 brute-force"]);
    assert.deepEqual(errors.map(String), Array(2).fill("Error: alert.error.control"));
  });

  it("raises one sensor-silence alert when input stops, and a recovery when it returns", async () => {
    const { node, outputs } = await deploy({ silence: "1" });
    node.receive({ payload: { ...scoredEvent("192.0.2.1", "brute-force", 0.1), detection: { score: 0.1, anomaly: false } } });
    await until(() => outputs.length === 1, "the silence alert");
    await sleep(2500);
    assert.equal(outputs.length, 1, "once per silence");
    assert.equal(outputs[0].topic, "honeyflow/alerts/sensor-silence/high");
    assert.equal(outputs[0].payload.resolved, false);
    assert.equal(outputs[0].payload.sensor, "sensor-1");
    node.receive({ payload: { ...scoredEvent("192.0.2.1", "brute-force", 0.1), detection: { score: 0.1, anomaly: false } } });
    await until(() => outputs.length === 2, "the recovery");
    assert.equal(outputs[1].topic, "honeyflow/alerts/sensor-silence/low");
    assert.equal(outputs[1].payload.resolved, true);
    assert.equal(outputs[1].payload.resolves, outputs[0].payload.id);
  });
});
