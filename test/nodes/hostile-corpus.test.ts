/**
 * The hostile corpus through the nodes in a real Node-RED runtime: `cowrie in` in each of its
 * modes accounts for every line, and what clean keeps of it reaches the alert node's MQTT topics
 * and InfluxDB without its text ever landing in a topic level or breaking line protocol.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { connect } from "mqtt";
import helper from "node-red-node-test-helper";
import alertNode from "../../nodes/alert/alert";
import cowrieInNode from "../../nodes/cowrie-in/cowrie-in";
import influxWriteNode from "../../nodes/influx-write/influx-write";
import influxdbConfigNode from "../../nodes/influxdb-config/influxdb-config";
import brokerNode from "../../nodes/mqtt-broker-config/mqtt-broker-config";
import { CowrieEventCleaner } from "../../src/clean/cowrie-event-cleaner";
import { ATTACK_TYPES } from "../../src/domain/attack-types";
import type { CanonicalEvent } from "../../src/domain/canonical-event";
import { SEVERITIES } from "../../src/domain/severities";
import { alertTopic } from "../../src/delivery/mqtt/mqtt-topic";
import { GENERATED, hostileCorpus, type CorpusLine, type HostileCorpus } from "../support/hostile-corpus";
import { storedTag, wellFormed } from "../support/hostile-text";
import { InfluxdProcess } from "../support/influxd-process";
import { MosquittoProcess } from "../support/mosquitto-process";
import { nodeRedRuntimeModule } from "../support/node-red-under-test";
import { freshUserDirEachTest } from "../support/node-red-user-dir";
import { requireExecutable } from "../support/service-requirement";

helper.init(nodeRedRuntimeModule);

type Msg = Record<string, unknown> & { payload: unknown };
type RuntimeNode = NodeJS.EventEmitter & { receive(msg: object): void };
const nodeById = (id: string) => helper.getNode(id) as unknown as RuntimeNode;

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const corpus: HostileCorpus = hostileCorpus({ seed: "nodes", validLines: 800 });
/** Lines `cowrie in` must send on its first output: every JSON object (clean judges them later). */
const isObjectLine = (line: CorpusLine) => line.kind === "event" || line.kind === "rejected";
const lineNumbers = (keep: (line: CorpusLine) => boolean) => corpus.lines.flatMap((line, i) => (keep(line) ? [i + 1] : []));

/** The corpus's events as clean keeps them; `hostile` for those the corpus made, not the generator. */
function cleanEvents(): Array<{ event: CanonicalEvent; hostile: boolean }> {
  const cleaner = new CowrieEventCleaner({ futureToleranceMs: Number.POSITIVE_INFINITY });
  return corpus.lines.flatMap((line) => {
    if (line.kind !== "event") return [];
    const outcome = cleaner.clean(line.text);
    assert.equal(outcome.kind, "clean", line.what);
    return outcome.kind === "clean" ? [{ event: outcome.event, hostile: line.what !== GENERATED }] : [];
  });
}
const TEXT_FIELDS = ["username", "password", "input", "url", "client_version"] as const;

describe("the hostile corpus through the nodes", function () {
  this.timeout(60_000);
  const userDir = freshUserDirEachTest("honeyflow-hostile-nodes-");

  describe("cowrie in (honeyflow-cowrie-in), every line accounted for", () => {
    async function deploy(config: Record<string, unknown>) {
      await helper.load(cowrieInNode, [
        { id: "in", type: "honeyflow-cowrie-in", name: "cowrie", wires: [["events"], ["rejects"]], ...config },
        { id: "events", type: "helper" },
        { id: "rejects", type: "helper" },
      ]);
      const events: Msg[] = [];
      const rejects: Msg[] = [];
      nodeById("events").on("input", (msg: Msg) => events.push(msg));
      nodeById("rejects").on("input", (msg: Msg) => rejects.push(msg));
      return { node: nodeById("in"), events, rejects };
    }
    const sourceLines = (messages: Msg[]) => messages.map((m) => (m.source as { line: number }).line);
    const shown = (value: unknown) => JSON.stringify(value);
    const objectsOf = (lines: CorpusLine[]) => lines.filter(isObjectLine).map((line) => shown(JSON.parse(line.text)));
    const payloadsOf = (messages: Msg[]) => messages.map((m) => shown(m.payload));

    it("input: one message per line, each an event or a reject with its reason, in order", async () => {
      const { node, events, rejects } = await deploy({ mode: "input" });
      for (const line of corpus.lines) node.receive({ payload: line.text });
      const notObjects = corpus.lines.filter((line) => !isObjectLine(line));
      await until(() => events.length + rejects.length >= corpus.lines.length, "every line", 30_000);
      assert.equal(events.length + rejects.length, corpus.lines.length);
      assert.deepEqual(payloadsOf(events), objectsOf(corpus.lines), "the events, __proto__ keys and all, as JSON.parse reads them");
      // An empty message is a reject too: a message cannot be skipped unseen.
      assert.deepEqual(rejects.map((m) => m.reason), notObjects.map((line) => line.reason ?? "malformed-json"));
    });

    it("replay: every line, the last one without a newline too, numbered as an editor numbers it", async () => {
      const file = path.join(userDir(), "cowrie.json");
      fs.writeFileSync(file, corpus.text);
      const { events, rejects } = await deploy({ mode: "replay", path: file, speed: "0", autoStart: true });
      const blank = corpus.lines.filter((line) => line.kind === "blank").length;
      await until(() => events.length + rejects.length >= corpus.lines.length - blank, "every line but the blank ones", 30_000);
      assert.deepEqual(sourceLines(events), lineNumbers(isObjectLine));
      assert.deepEqual(sourceLines(rejects), lineNumbers((line) => line.kind === "malformed"));
      assert.deepEqual(rejects.map((m) => m.reason), corpus.lines.filter((line) => line.kind === "malformed").map((line) => line.reason));
      assert.deepEqual(payloadsOf(events), objectsOf(corpus.lines));
    });

    it("tail: every complete line, and the last one once its newline is written", async () => {
      const file = path.join(userDir(), "cowrie.json");
      fs.writeFileSync(file, corpus.text);
      const { events, rejects } = await deploy({ mode: "tail", path: file, startAt: "beginning", resume: false, pollSeconds: "0.05" });
      const complete = corpus.lines.slice(0, -1);
      const expectedEvents = lineNumbers(isObjectLine).filter((n) => n < corpus.lines.length);
      const expectedRejects = lineNumbers((line) => line.kind === "malformed").filter((n) => n < corpus.lines.length);
      await until(() => events.length === expectedEvents.length && rejects.length === expectedRejects.length, "every complete line", 30_000);
      assert.deepEqual(sourceLines(events), expectedEvents);
      assert.deepEqual(sourceLines(rejects), expectedRejects);
      assert.deepEqual(payloadsOf(events), objectsOf(complete));
      fs.appendFileSync(file, "\n");
      await until(() => events.length + rejects.length === expectedEvents.length + expectedRejects.length + 1, "the last line");
      assert.deepEqual(payloadsOf(events.slice(-1)), objectsOf(corpus.lines.slice(-1)));
    });
  });

  describe("alert (honeyflow-alert) with a real Mosquitto", function () {
    let broker: MosquittoProcess | undefined;
    before(async function () {
      broker = await MosquittoProcess.start(requireExecutable(this, "mosquitto"));
    });
    after(() => broker?.dispose());

    it("publishes every alert of hostile events on a topic of known levels only, with the text in the JSON payload", async () => {
      const url = broker!.url;
      const subscriber = connect(url, { clientId: `honeyflow-hostile-${process.pid}` });
      const received: Array<{ topic: string; payload: { sensor: string; src_ip: string; id: string } }> = [];
      subscriber.on("message", (topic, payload) => received.push({ topic, payload: JSON.parse(payload.toString()) as (typeof received)[number]["payload"] }));
      await subscriber.subscribeAsync("#", { qos: 1 });
      try {
        const flow = [
          { id: "broker", type: "honeyflow-mqtt-broker", url, clientId: "honeyflow-hostile-alert", protocolVersion: "4", statusPrefix: "honeyflow" },
          { id: "alert", type: "honeyflow-alert", broker: "broker", cooldown: "300", maxPerMinute: "100000", topicPrefix: "honeyflow", silence: "0", wires: [["out"]] },
          { id: "out", type: "helper" },
        ];
        await helper.load([brokerNode, alertNode], flow);
        const outputs: Msg[] = [];
        const errors: unknown[] = [];
        nodeById("out").on("input", (msg: Msg) => outputs.push(msg));
        nodeById("alert").on("call:error", (call: { args: unknown[] }) => errors.push(call.args[0]));
        // The detector's anomaly for each hostile event, its attacker text as the sensor's name (every other one) and the feature's.
        const hostile = cleanEvents().filter((e) => e.hostile).map((e) => e.event);
        for (const [i, event] of hostile.entries()) {
          const text = TEXT_FIELDS.map((field) => event[field]).find((value) => value !== undefined) ?? event.sensor;
          nodeById("alert").receive({
            payload: {
              src_ip: event.src_ip, time: event.time, sensor: i % 2 === 0 ? text : event.sensor,
              detection: { score: 0.999, threshold: 0.9, anomaly: true, warm: true, explanation: { attack_type: ATTACK_TYPES[i % ATTACK_TYPES.length], top_features: [{ name: text, value: i }] } },
            },
          });
        }
        await until(() => outputs.length > 0 && received.filter((m) => m.topic.includes("/alerts/")).length === outputs.length, "every alert at the subscriber");
        assert.deepEqual(errors, []);
        const topics = new Set(ATTACK_TYPES.flatMap((type) => SEVERITIES.map((severity) => alertTopic("honeyflow", type, severity))));
        for (const { topic } of received) assert.ok(topics.has(topic) || topic === "honeyflow/status", `a topic of attacker text: ${JSON.stringify(topic)}`);
        const published = new Map(received.map((m) => [m.payload.id, m.payload]));
        for (const { payload } of outputs) {
          const alert = payload as { id: string; sensor: string; src_ip: string };
          assert.deepEqual(published.get(alert.id) && { sensor: published.get(alert.id)!.sensor, src_ip: published.get(alert.id)!.src_ip }, { sensor: alert.sensor, src_ip: alert.src_ip });
        }
        assert.ok(outputs.some((m) => /[<\n#+/]/.test((m.payload as { sensor: string }).sensor)), "some alert carries a hostile sensor name");
      } finally {
        await subscriber.endAsync(true);
      }
    });
  });

  describe("influx write (honeyflow-influx-write) with a real InfluxDB", function () {
    let influxd: InfluxdProcess | undefined;
    before(async function () {
      influxd = await InfluxdProcess.start(requireExecutable(this, "influxd"));
    });
    after(() => influxd?.dispose());

    it("stores every event's sensor (a tag) and attacker text (string fields) as written, in line protocol that parses", async () => {
      const database = "hostile";
      const flow = [
        { id: "influx", type: "honeyflow-influxdb", url: influxd!.url, database, retentionPolicy: "", createDatabase: true },
        { id: "write", type: "honeyflow-influx-write", influxdb: "influx", batchSize: "97", flushInterval: "50" },
      ];
      await helper.load([influxWriteNode, influxdbConfigNode], flow);
      const errors: unknown[] = [];
      nodeById("write").on("call:error", (call: { args: unknown[] }) => errors.push(call.args[0]));
      const T = Date.UTC(2026, 2, 18);
      const textFields = TEXT_FIELDS;
      // A sensor's name is written by whoever runs it; every other event takes its attacker text as one.
      const events = cleanEvents().map(({ event }, i) => {
        const text = TEXT_FIELDS.map((field) => event[field]).find((value) => value !== undefined);
        return i % 2 === 0 && text !== undefined ? { ...event, sensor: text } : event;
      });
      for (const [i, event] of events.entries()) {
        const fields: Record<string, unknown> = { seq: i, src_ip: event.src_ip };
        for (const field of textFields) if (typeof event[field] === "string") fields[field] = event[field];
        nodeById("write").receive({ payload: { measurement: "honeyflow_events", tags: { sensor: event.sensor, eventid: event.eventid }, fields, timestamp: T + i } });
      }
      const stored = async () => (await influxd!.query('SELECT count("seq") FROM "honeyflow_events"', database).catch(() => []))[0]?.values[0]?.[1];
      await until(async () => (await stored()) === events.length, `${events.length} points`);
      assert.deepEqual(errors, []);
      const [series] = await influxd!.query(`SELECT "seq", "sensor", "src_ip", ${textFields.map((f) => `"${f}"`).join(", ")} FROM "honeyflow_events"`, database);
      for (const [time, seq, sensor, srcIp, ...texts] of series.values) {
        const event = events[Number(seq)];
        assert.deepEqual([time, sensor, srcIp, ...texts], [T + Number(seq), storedTag(event.sensor) || null, event.src_ip,
          ...textFields.map((field) => (typeof event[field] === "string" ? wellFormed(event[field] as string) : null))], `event ${String(seq)}`);
      }
    });
  });
});
