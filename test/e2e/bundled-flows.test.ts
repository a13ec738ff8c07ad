/**
 * Every bundled flow under examples/, deployed together through the admin API into one real
 * Node-RED as a user who imported them all would run them: each starts, none logs an error, and
 * the services they talk to (a private Mosquitto and InfluxDB) hear from them. The flows with
 * their own end-to-end tests (full-pipeline, dashboard, rest-api, edge-sensor/analysis-worker)
 * are checked in depth there; this proves they also live side by side with every node's example.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { connect, type MqttClient } from "mqtt";
import { CowrieLogGenerator } from "../../src/datasets/synth/cowrie/cowrie-log-generator";
import { bundledFlowNames, importedBundledFlow } from "../support/bundled-flows";
import { InfluxdProcess } from "../support/influxd-process";
import { MosquittoProcess } from "../support/mosquitto-process";
import { startNodeRed, waitFor, type FlowNode, type NodeRedRuntime } from "../support/node-red-runtime";
import { requireExecutable } from "../support/service-requirement";

describe("every bundled flow, deployed together through the admin API", function () {
  this.timeout(120_000);
  let dir: string;
  let log: string;
  let growing: NodeJS.Timeout | undefined;
  let broker: MosquittoProcess;
  let influxd: InfluxdProcess;
  let subscriber: MqttClient;
  const topics = new Set<string>();
  let runtime: NodeRedRuntime;
  let deployed: FlowNode[];

  before(async function () {
    const mosquitto = requireExecutable(this, "mosquitto");
    const influx = requireExecutable(this, "influxd");
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "honeyflow-bundled-"));
    log = path.join(dir, "cowrie.json");
    const generator = new CowrieLogGenerator({ events: 4000, seed: "bundled", rate: 5, startMs: Date.now() - 15 * 60_000 });
    fs.writeFileSync(log, [...generator].map(({ line }) => `${line}\n`).join(""));
    [broker, influxd] = await Promise.all([MosquittoProcess.start(mosquitto), InfluxdProcess.start(influx)]);
    subscriber = connect(broker.url, { clientId: "bundled-flows-test" });
    subscriber.on("message", (topic) => topics.add(topic.split("/").slice(0, 2).join("/")));
    await new Promise<void>((resolve, reject) => subscriber.once("connect", () => subscriber.subscribe("#", { qos: 0 }, (err) => (err ? reject(err) : resolve()))));

    const influxUrl = `http://127.0.0.1:${influxd.port}`;
    runtime = await startNodeRed({
      env: { HONEYFLOW_COWRIE_LOG: log, HONEYFLOW_MQTT_URL: broker.url, HONEYFLOW_INFLUX_URL: influxUrl },
      settings: { contextStorage: { default: { module: "memory" } } },
    });
    deployed = bundledFlowNames().flatMap((name) => importedBundledFlow(name, { mqttUrl: broker.url, influxUrl }));
    const ids = deployed.map((node) => node.id);
    assert.equal(new Set(ids).size, ids.length, "no two examples share a node id, so importing all of them keeps each intact");
    await runtime.deploy(deployed);
    // The edge sensor tails from the end, as a new sensor would: the log keeps growing, as a live one does.
    const more = [...new CowrieLogGenerator({ events: 3000, seed: "bundled-more", rate: 5, startMs: Date.now() })].map(({ line }) => `${line}\n`);
    growing = setInterval(() => fs.appendFileSync(log, more.splice(0, 25).join("")), 500);
  });

  after(async () => {
    clearInterval(growing);
    await runtime?.dispose();
    subscriber?.end(true);
    await Promise.all([broker?.dispose(), influxd?.dispose()]);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("runs them all: every node is deployed, and the runtime logs no error", async () => {
    const running = await runtime.getJson<FlowNode[]>("/flows");
    assert.equal(running.length, deployed.length);
    // The examples' injects and tails keep data flowing for a while; errors would show meanwhile.
    await waitFor(() => topics.has("honeyflow/alerts") && topics.has("honeyflow/events"), 60_000,
      "alerts (alert, full-pipeline, analysis-worker) and clean events (edge-sensor) on MQTT", () => [...topics].join(", "));
    assert.deepEqual(runtime.log.filter((line) => /\[error\]/.test(line)), [], "the runtime logged errors");
  });

  it("writes to InfluxDB from the influx write example and the full pipeline", async () => {
    const measurements = async () => (await influxd.query("SHOW MEASUREMENTS", "honeyflow").catch(() => []))[0]?.values.flat() ?? [];
    await waitFor(async () => {
      const names = await measurements();
      return names.includes("honeyflow_scores") && names.includes("honeyflow_clean") && names.length >= 4;
    }, 60_000, "the pipeline's and the example's measurements", () => "");
  });
});
