/**
 * The bundled full pipeline, as a user gets it: examples/full-pipeline.json and
 * examples/dashboard.json deployed unchanged through the admin API, a generated Cowrie log with
 * injected attacks, a real Mosquitto, a real InfluxDB 1.x and a real HTTP server standing in for
 * Slack's webhook, all reached through the flow's ${HONEYFLOW_*} environment variables.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { connect, type MqttClient } from "mqtt";
import { CowrieLogGenerator } from "../../src/datasets/synth/cowrie/cowrie-log-generator";
import { InfluxdProcess } from "../support/influxd-process";
import { MosquittoProcess } from "../support/mosquitto-process";
import { startNodeRed, waitFor, type FlowNode, type NodeRedRuntime } from "../support/node-red-runtime";
import { requireExecutable } from "../support/service-requirement";
import { SlackWebhookStandIn } from "../support/slack-webhook-stand-in";

const examples = path.join(__dirname, "..", "..", "examples");
/** The bundled flow's detector warm-up, in events. */
const WARM_UP = 2000;
const bundled = (name: string) => JSON.parse(fs.readFileSync(path.join(examples, `${name}.json`), "utf8")) as FlowNode[];

interface AlertPayload {
  schema: number; id: string; time: string; src_ip: string; type: string; severity: string; score: number; count: number;
  src_geo?: { country: string | null; asn: number | null };
  first_seen: string; last_seen: string; top_features: unknown[]; sensor: string; summary: string;
}

describe("the bundled full pipeline against Mosquitto, InfluxDB and a Slack webhook", function () {
  this.timeout(180_000);
  let dir: string;
  let broker: MosquittoProcess;
  let influxd: InfluxdProcess;
  let slack: SlackWebhookStandIn;
  const slackPosts = () => slack.received as Array<{ text: string; blocks: unknown[] }>;
  let subscriber: MqttClient;
  const alerts: Array<{ topic: string; payload: AlertPayload }> = [];
  const statuses: string[] = [];
  let runtime: NodeRedRuntime;
  let events: number;
  let episodeSources: Set<string>;
  let closedMinutes: number;

  before(async function () {
    const mosquitto = requireExecutable(this, "mosquitto");
    const influx = requireExecutable(this, "influxd");
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "honeyflow-full-pipeline-"));
    // 40 minutes of a sensor at 5 events/s with every attack type, ending now.
    const generator = new CowrieLogGenerator({ events: 12_000, seed: "full-pipeline", rate: 5, startMs: Date.now() - 40 * 60_000 });
    const lines = [...generator].map(({ line }) => line);
    events = lines.length;
    // Each sensor's minutes of event time; its last minute is still open when the log ends.
    const parsed = lines.map((line) => JSON.parse(line) as { sensor: string; timestamp: string });
    const sensorMinutes = new Set(parsed.map((e) => `${e.sensor} ${Math.floor(Date.parse(e.timestamp) / 60_000)}`));
    closedMinutes = sensorMinutes.size - new Set(parsed.map((e) => e.sensor)).size;
    episodeSources = new Set(generator.labels.flatMap((label) => label.src_ips));
    fs.writeFileSync(path.join(dir, "cowrie.json"), `${lines.join("\n")}\n`);

    [broker, influxd] = await Promise.all([MosquittoProcess.start(mosquitto), InfluxdProcess.start(influx)]);
    slack = new SlackWebhookStandIn();
    const webhook = await slack.listen();

    subscriber = connect(broker.url, { clientId: "full-pipeline-test", clean: true });
    subscriber.on("message", (topic, payload) => {
      if (topic.startsWith("honeyflow/alerts/")) alerts.push({ topic, payload: JSON.parse(payload.toString("utf8")) as AlertPayload });
      else if (topic === "honeyflow/status") statuses.push(payload.toString("utf8"));
    });
    await new Promise<void>((resolve, reject) => subscriber.once("connect", () => subscriber.subscribe(["honeyflow/alerts/#", "honeyflow/status"], { qos: 1 }, (err) => (err ? reject(err) : resolve()))));

    runtime = await startNodeRed({
      env: {
        HONEYFLOW_COWRIE_LOG: path.join(dir, "cowrie.json"),
        HONEYFLOW_MQTT_URL: broker.url,
        HONEYFLOW_INFLUX_URL: `http://127.0.0.1:${influxd.port}`,
        HONEYFLOW_SLACK_WEBHOOK: webhook,
      },
    });
    await runtime.deploy([...bundled("full-pipeline"), ...bundled("dashboard")]);
  });

  after(async () => {
    await runtime?.dispose();
    subscriber?.end(true);
    await slack?.close();
    await Promise.all([broker?.dispose(), influxd?.dispose()]);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const count = async (query: string): Promise<number> => {
    const [series] = await influxd.query(query, "honeyflow").catch(() => []);
    return series ? Number(series.values[0][1]) : 0;
  };

  it("scores every event of the log and stores the scores, events per minute and data quality in InfluxDB", async () => {
    const detector = bundled("full-pipeline").find((node) => node.type === "honeyflow-online-detector");
    assert.equal(detector?.warmUp, String(WARM_UP));
    // After the detector's warm-up every scored event is stored, events of one millisecond too.
    await waitFor(async () => (await count("SELECT count(score) FROM honeyflow_scores")) === events - WARM_UP, 120_000,
      `${events - WARM_UP} score points`, () => runtime.logTail());
    const [scores] = await influxd.query("SELECT min(score), max(score), count(pca_error) FROM honeyflow_scores", "honeyflow");
    const [, min, max, pcaErrors] = scores.values[0] as number[];
    assert.ok(min >= 0 && max <= 1, `scores in [0, 1], got ${min}..${max}`);
    assert.ok(pcaErrors > 0, "pca's reconstruction error is stored with the scores");
    await waitFor(async () => (await count("SELECT count(events) FROM honeyflow_events")) === closedMinutes, 30_000,
      `a point for each of the ${closedMinutes} closed minutes of each sensor`);
    const [total] = await influxd.query("SELECT sum(events) FROM honeyflow_events", "honeyflow");
    assert.ok((total.values[0][1] as number) <= events, "no event counted twice");
    await waitFor(() => count("SELECT count(validity) FROM honeyflow_clean"), 30_000, "a data-quality report");
  });

  it("publishes the log's attacks as alerts on honeyflow/alerts/<type>/<severity>, with the documented payload", async () => {
    await waitFor(() => alerts.length > 0, 60_000, "an alert on MQTT", () => runtime.logTail());
    for (const { topic, payload } of alerts) {
      assert.match(topic, /^honeyflow\/alerts\/[a-z-]+\/(low|medium|high|critical)$/);
      assert.equal(topic, `honeyflow/alerts/${payload.type.replace("/", "-")}/${payload.severity}`);
      for (const field of ["schema", "id", "time", "src_ip", "type", "severity", "score", "count", "first_seen", "last_seen", "top_features", "sensor"]) {
        assert.ok(field in payload, `${field} in ${JSON.stringify(payload)}`);
      }
      assert.ok(payload.sensor.length > 0, "window features pass the sensor on to the alert");
      assert.ok(typeof payload.src_geo === "object" && payload.src_geo !== null, `enrich placed ${payload.src_ip} before the alert`);
    }
    assert.ok(alerts.some((a) => episodeSources.has(a.payload.src_ip)), `an injected attack is alerted: ${alerts.map((a) => `${a.payload.src_ip} ${a.payload.type}`).join(", ")}`);
    assert.ok(statuses.some((s) => (JSON.parse(s) as { status: string }).status === "online"), "the retained status says online");
  });

  it("posts every alert to the Slack webhook and stores it in InfluxDB", async () => {
    await waitFor(() => slackPosts().length >= alerts.length && alerts.length > 0, 60_000, "a Slack post per alert");
    assert.ok(slackPosts().every((post) => Array.isArray(post.blocks) && post.blocks.length > 0), "Block Kit messages");
    await waitFor(async () => (await count("SELECT count(id) FROM honeyflow_alerts")) >= alerts.length, 30_000, "every alert in InfluxDB");
    const [stored] = await influxd.query("SELECT src_ip, type FROM honeyflow_alerts", "honeyflow");
    const storedSources = new Set(stored.values.map((row) => row[1]));
    for (const { payload } of alerts) assert.ok(storedSources.has(payload.src_ip), `${payload.src_ip} stored`);
    // Scores and alerts from placed sources are tagged with their country and network.
    const [tagged] = await influxd.query("SELECT src_ip, country, asn FROM honeyflow_alerts", "honeyflow");
    const placed = alerts.filter(({ payload }) => typeof payload.src_geo?.country === "string");
    assert.ok(placed.length > 0, "the generated log's public sources have countries");
    for (const { payload } of placed) {
      assert.ok(tagged.values.some((row) => row[1] === payload.src_ip && row[2] === payload.src_geo?.country && row[3] === (typeof payload.src_geo?.asn === "number" ? String(payload.src_geo.asn) : null)),
        `${payload.src_ip} stored with country ${payload.src_geo?.country} and asn ${payload.src_geo?.asn}`);
    }
    const [countries] = await influxd.query('SHOW TAG VALUES FROM honeyflow_scores WITH KEY = "country"', "honeyflow");
    assert.ok(countries.values.length > 0, "score points carry country tags");
  });

  it("runs every node without an error", async () => {
    const errors = runtime.log.filter((line) => /\[error\]/.test(line));
    assert.deepEqual(errors, []);
  });
});
