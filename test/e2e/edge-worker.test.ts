/**
 * The bundled edge-sensor and analysis-worker flows as two machines would run them: two Node-RED
 * runtimes, each deploying its flow unchanged, joined by a real Mosquitto and configured only
 * through ${HONEYFLOW_*} environment variables. A real mqtt.js client subscribes as a SIEM
 * bridge would and checks what crosses the broker.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { connectAsync, type MqttClient } from "mqtt";
import { CowrieEventCleaner } from "../../src/clean/cowrie-event-cleaner";
import { OfflineGeoLookup } from "../../src/enrich/offline-geo-lookup";
import { runHoneyflow } from "../support/honeyflow-cli";
import { MosquittoProcess } from "../support/mosquitto-process";
import { startNodeRed, type FlowNode, type NodeRedRuntime } from "../support/node-red-runtime";
import { requireExecutable } from "../support/service-requirement";

const examples = path.join(__dirname, "..", "..", "examples");
const brokerSettings = path.join(__dirname, "..", "..", "flows", "mosquitto", "honeyflow.conf");
const bundled = (name: string) => JSON.parse(fs.readFileSync(path.join(examples, `${name}.json`), "utf8")) as FlowNode[];

interface Episode {
  type: string;
  src_ips: string[];
  start: string;
  end: string;
}

interface AlertPayload {
  schema: number; id: string; time: string; src_ip: string; type: string; severity: string; score: number; count: number; src_geo?: object;
  first_seen: string; last_seen: string; top_features: Array<{ name: string; value: number }>; sensor: string; summary: string;
}

interface QualityPoint {
  measurement: string;
  tags: Record<string, string>;
  fields: Record<string, number>;
  timestamp: number;
}

const ATTACK_TYPES = ["brute-force", "credential-stuffing", "port-scan/tunnel", "traffic-spike", "malware-drop", "unusual-behaviour"];
const SEVERITIES = ["low", "medium", "high", "critical"];

/** An event whose sensor name and credentials are built to break an MQTT topic, were they put in one. */
function hostileEvent(template: Record<string, unknown>, timestamp: string): Record<string, unknown> {
  return {
    ...template, timestamp, src_ip: "198.51.100.66", session: "feedbeef0001",
    sensor: "evil/+/#\n<script>alert(1)</script>", username: "root/#/+", password: "$SYS/broker\u0000",
    message: "login attempt [root/#/+/$SYS/broker] failed",
  };
}

/** What a worker rejects, each with the words of the node that reports it. */
const MALFORMED: Array<{ payload: string; reported: RegExp }> = [
  { payload: "{ not json", reported: /Failed to parse JSON string/ },
  { payload: "[1, 2, 3]", reported: /not an event object but array/ },
  { payload: "null", reported: /not an event object but null/ },
  { payload: JSON.stringify({ eventid: "cowrie.login.failed", time_ms: 1_773_792_000_000 }), reported: /the event has no src_ip/ },
  { payload: JSON.stringify({ src_ip: "203.0.113.9", time_ms: "yesterday" }), reported: /the event has no time_ms/ },
];
const DRIFT_REPORT = /\[honeyflow-drift:[^\]]*\] Error: regime drift reads cleaned events/;

describe("edge-sensor and analysis-worker: a sensor publishes clean events over MQTT, a worker scores them", function () {
  this.timeout(120_000);
  let dir: string;
  let broker: MosquittoProcess;
  let subscriber: MqttClient;
  let edge: NodeRedRuntime;
  let worker: NodeRedRuntime;
  const received: Array<{ topic: string; text: string }> = [];
  let expectedEvents: unknown[];
  let episodes: Episode[];
  let sensor: string;

  /** What arrived on a topic, parsed; on honeyflow/events, the malformed messages the test published itself are left out. */
  const onTopic = (topic: string) => received
    .filter((m) => m.topic === topic && !MALFORMED.some(({ payload }) => payload === m.text))
    .map((m) => JSON.parse(m.text) as unknown);
  const alerts = () => received.filter((m) => m.topic.startsWith("honeyflow/alerts/")).map((m) => ({ topic: m.topic, payload: JSON.parse(m.text) as AlertPayload }));
  const errorsLogged = (runtime: NodeRedRuntime) => runtime.log.filter((line) => /\[error\]/.test(line));

  before(async function () {
    const mosquitto = requireExecutable(this, "mosquitto");
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "honeyflow-edge-worker-"));
    const generated = path.join(dir, "generated.json");
    const run = runHoneyflow("generate", "--events", "6000", "--seed", "4", "--rate", "5", "--out", generated);
    assert.equal(run.status, 0, run.stderr);
    episodes = JSON.parse(fs.readFileSync(`${generated}.labels.json`, "utf8")) as Episode[];
    const lines = fs.readFileSync(generated, "utf8").split("\n").filter(Boolean);
    const template = JSON.parse(lines.find((line) => line.includes('"cowrie.login.failed"')) as string) as Record<string, unknown>;
    sensor = template.sensor as string;
    // After the last attack, so that it cannot change which events the detector finds anomalous.
    const last = JSON.parse(lines[lines.length - 1]) as { timestamp: string };
    lines.push(JSON.stringify(hostileEvent(template, new Date(Date.parse(last.timestamp) + 1000).toISOString())));
    fs.writeFileSync(generated, `${lines.join("\n")}\n`);
    // What `clean` makes of the log, as JSON carries it.
    const cleaner = new CowrieEventCleaner();
    expectedEvents = lines.map((line) => cleaner.clean(line)).flatMap((outcome) => (outcome.kind === "clean" ? [JSON.parse(JSON.stringify(outcome.event)) as unknown] : []));

    // The broker as the README sets it up for a worker: one that queues a burst rather than
    // dropping what the worker has not yet taken.
    broker = await MosquittoProcess.start(mosquitto, { settings: fs.readFileSync(brokerSettings, "utf8") });
    subscriber = await connectAsync(broker.url, { clientId: `edge-worker-test-${process.pid}`, clean: true });
    subscriber.on("message", (topic, payload) => received.push({ topic, text: payload.toString("utf8") }));
    await subscriber.subscribeAsync("#", { qos: 1 });

    // The sensor's log does not exist yet: it appears once the edge is connected (see below).
    const env = { HONEYFLOW_COWRIE_LOG: path.join(dir, "cowrie.json"), HONEYFLOW_MQTT_URL: broker.url };
    [edge, worker] = await Promise.all([startNodeRed({ env }), startNodeRed({ env })]);
    await Promise.all([edge.deploy(bundled("edge-sensor")), worker.deploy(bundled("analysis-worker"))]);

    // Node-RED's `mqtt out` drops what it is given before its connection is up: let the log appear
    // only once the edge has published its first data-quality report (every 10 s).
    await edge.waitFor(() => onTopic("honeyflow/quality").length > 0, 20_000, "the edge's first data-quality report on honeyflow/quality");
    // The worker's subscription is up once it has reported malformed messages; repeat them until it has.
    await worker.waitFor(async () => {
      await Promise.all(MALFORMED.map(({ payload }) => subscriber.publishAsync("honeyflow/events", payload, { qos: 1 })));
      await new Promise((resolve) => setTimeout(resolve, 200));
      return MALFORMED.every(({ reported }) => errorsLogged(worker).some((line) => reported.test(line)));
    }, 20_000, "the worker to report every malformed message");

    fs.renameSync(generated, path.join(dir, "cowrie.json"));
  });

  afterEach(function () {
    if (this.currentTest?.state === "failed") {
      console.log(`edge:\n${edge?.logTail(40)}\nworker:\n${worker?.logTail(40)}\nbroker:\n${broker?.log}`);
    }
  });

  after(async () => {
    await subscriber?.endAsync(true);
    await Promise.all([edge?.dispose(), worker?.dispose()]);
    await broker?.dispose();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("publishes every clean event of the log on honeyflow/events, in log order, as clean made it", async function () {
    const events = await edge.waitFor(() => {
      const events = onTopic("honeyflow/events");
      return events.length >= expectedEvents.length && events;
    }, 30_000, `${expectedEvents.length} clean events on honeyflow/events`);
    assert.equal(events.length, expectedEvents.length);
    assert.deepEqual(events, expectedEvents);
  });

  it("keeps attacker text out of topics: the sensor name travels in the payload", async function () {
    const hostile = onTopic("honeyflow/events").find((event) => (event as { src_ip?: string }).src_ip === "198.51.100.66") as Record<string, unknown>;
    assert.ok(hostile, "the hostile event on honeyflow/events");
    assert.equal(hostile.sensor, "evil/+/#\n<script>alert(1)</script>");
    assert.equal(hostile.username, "root/#/+");
    const topics = new Set(received.map((m) => m.topic));
    for (const topic of topics) {
      assert.match(topic, /^honeyflow\/(events|quality|status|alerts\/[a-z-]+\/(low|medium|high|critical))$/, `topic ${JSON.stringify(topic)}`);
    }
  });

  it("alerts on honeyflow/alerts/<type>/<severity> for the log's injected brute force, with the documented payload", async function () {
    const bruteForce = episodes.find((episode) => episode.type === "brute-force") as Episode;
    const alert = await worker.waitFor(
      () => alerts().find((a) => bruteForce.src_ips.includes(a.payload.src_ip) && a.payload.type === "brute-force"),
      30_000, `a brute-force alert for ${bruteForce.src_ips.join(", ")}`,
    );
    assert.equal(alert.topic, `honeyflow/alerts/brute-force/${alert.payload.severity}`);
    const firstSeen = Date.parse(alert.payload.first_seen);
    assert.ok(firstSeen >= Date.parse(bruteForce.start) && firstSeen <= Date.parse(bruteForce.end), `first seen ${alert.payload.first_seen} within the episode`);
    assert.equal(alert.payload.sensor, sensor);
    assert.match(alert.payload.summary, new RegExp(`^${bruteForce.src_ips[0].replace(/\./g, "\\.")}: brute-force`));

    // The worker's enrich places each source with the bundled offline databases, as this lookup does.
    const geo = await OfflineGeoLookup.open();
    for (const { topic, payload } of alerts()) {
      // A malware drop's alert says what was dropped: window features named it, the detector and enrich passed it on.
      assert.deepEqual(Object.keys(payload).sort(), [
        "count", "first_seen", "id", "last_seen", "schema", "score", "sensor", "severity", "src_ip", "src_geo", "summary", "time", "top_features", "type",
        ...(payload.type === "malware-drop" ? ["dropped_payload"] : []),
      ].sort());
      assert.equal(payload.schema, 5);
      assert.deepEqual(payload.src_geo, { ...geo.lookup(payload.src_ip) }, `src_geo of ${payload.src_ip}`);
      assert.ok(ATTACK_TYPES.includes(payload.type) && SEVERITIES.includes(payload.severity), `${payload.type} ${payload.severity}`);
      assert.equal(topic, `honeyflow/alerts/${payload.type.replace("/", "-")}/${payload.severity}`);
      assert.ok(payload.id.length > 0 && payload.count >= 1 && payload.score > 0 && payload.score <= 1, JSON.stringify(payload));
      assert.ok(Date.parse(payload.first_seen) <= Date.parse(payload.last_seen), JSON.stringify(payload));
      assert.ok(payload.top_features.length > 0 && payload.top_features.every((f) => typeof f.name === "string" && Number.isFinite(f.value)));
    }
  });

  it("reports the sensor's data quality on honeyflow/quality as InfluxDB points counting every clean event", async function () {
    const reports = await edge.waitFor(() => {
      const reports = onTopic("honeyflow/quality") as QualityPoint[][];
      const counted = reports.flat().filter((p) => p.measurement === "honeyflow_clean").reduce((sum, p) => sum + p.fields.clean, 0);
      return counted >= expectedEvents.length && reports;
    }, 30_000, `data-quality reports counting ${expectedEvents.length} clean events`);
    const points = reports.flat().filter((p) => p.measurement === "honeyflow_clean");
    assert.equal(points.reduce((sum, p) => sum + p.fields.clean, 0), expectedEvents.length);
    const busy = points.find((p) => p.fields.clean > 0) as QualityPoint;
    assert.equal(busy.fields.validity, 1);
    assert.ok(busy.fields.completeness > 0 && busy.fields.completeness <= 1, JSON.stringify(busy));
  });

  it("went on after the malformed messages, and logged no other error; the broker dropped nothing", function () {
    assert.ok(!broker.said(/messages are being dropped/), `the broker dropped messages for a client that lagged behind:\n${broker.log}`);
    assert.deepEqual(errorsLogged(edge), []);
    // The worker's drift also reads the clean events and reports each malformed one that parsed as JSON.
    const driftReports = errorsLogged(worker).filter((line) => DRIFT_REPORT.test(line));
    assert.equal(driftReports.length, MALFORMED.length - 1, driftReports.join("\n"));
    const unexpected = errorsLogged(worker).filter((line) => !DRIFT_REPORT.test(line) && !MALFORMED.some(({ reported }) => reported.test(line)));
    assert.deepEqual(unexpected, []);
  });
});
