import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import helper from "node-red-node-test-helper";
import alertNode from "../../nodes/alert/alert";
import enrichNode from "../../nodes/enrich/enrich";
import { IntelServiceStandIn } from "../support/intel-service-stand-in";
import { nodeRedRuntimeModule } from "../support/node-red-under-test";

helper.init(nodeRedRuntimeModule);

type FlowNode = Record<string, unknown> & { id: string; type: string; wires?: string[][] };
type RuntimeNode = NodeJS.EventEmitter & { receive(msg: object): void };
type Output = { topic: string; payload: Record<string, unknown> & { intel?: { abuseipdb?: { abuse_confidence: number } } } };

/** The full-pipeline flow's own enrich and alert nodes, as shipped, wired as shipped between each other. */
const shipped = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "examples", "full-pipeline.json"), "utf8")) as FlowNode[];
const shippedEnrich = shipped.find((n) => n.type === "honeyflow-enrich") as FlowNode;
const shippedAlert = shipped.find((n) => n.type === "honeyflow-alert") as FlowNode;

async function until(condition: () => boolean, what: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** An anomaly as the online detector sends it, from a public address (reserved ones are never looked up). */
function anomalousEvent(srcIp: string) {
  return {
    src_ip: srcIp, time: new Date().toISOString(), sensor: "honeypot-1",
    detection: { detector: "default", score: 0.999, threshold: 0.97, anomaly: true, warm: true,
      explanation: { attack_type: "brute-force", top_features: [{ name: "failed_logins_1m", value: 150, usual: [0, 9] }] } },
  };
}

describe("full-pipeline example: threat intel reaches the alert, in Slack too", function () {
  this.timeout(60_000);
  let intel: IntelServiceStandIn;
  let slack: http.Server;
  let webhook: string;
  let slackBodies: string[];

  beforeEach(async () => {
    intel = await IntelServiceStandIn.start();
    slackBodies = [];
    slack = http.createServer((request, response) => {
      let body = "";
      request.setEncoding("utf8");
      request.on("data", (chunk: string) => (body += chunk));
      request.on("end", () => {
        slackBodies.push(body);
        response.writeHead(200).end("ok");
      });
    });
    await new Promise<void>((resolve) => slack.listen(0, "127.0.0.1", resolve));
    webhook = `http://127.0.0.1:${(slack.address() as AddressInfo).port}/services/T0/B0/secret`;
  });
  afterEach(async () => {
    await helper.unload();
    await intel.stop();
    slack.closeAllConnections();
    await new Promise((resolve) => slack.close(resolve));
  });

  it("sends the alert at once, then an update carrying the verdict that came after it", async () => {
    // As shipped: enrich's second output (late verdicts) goes to the alert node.
    assert.deepEqual(shippedEnrich.wires?.[1], [shippedAlert.id]);
    const present = new Set([shippedEnrich.id, shippedAlert.id, "out"]);
    const keepPresent = (wires: string[][] | undefined) => (wires ?? []).map((port) => port.filter((id) => present.has(id)));
    const flow = [
      { id: "tab", type: "tab", label: "full pipeline" },
      // The user pastes a key; the stand-in answers as AbuseIPDB does. No broker here: Slack is the sink under test.
      { ...shippedEnrich, z: "tab", g: undefined, abuseipdbUrl: intel.url, wires: keepPresent(shippedEnrich.wires) },
      { ...shippedAlert, z: "tab", g: undefined, broker: "", credentials: undefined, wires: [["out"]] },
      { id: "out", z: "tab", type: "helper" },
    ];
    await helper.load([enrichNode, alertNode], flow as unknown as Parameters<typeof helper.load>[1], {
      [shippedEnrich.id]: { abuseipdbKey: "key" }, [shippedAlert.id]: { slackWebhook: webhook },
    });
    const outputs: Output[] = [];
    (helper.getNode("out") as unknown as RuntimeNode).on("input", (msg: Output) => outputs.push(msg));
    const enrich = helper.getNode(shippedEnrich.id) as unknown as RuntimeNode;

    enrich.receive({ payload: anomalousEvent("185.220.101.5") });
    await until(() => outputs.length === 2, "the alert, then its update");
    assert.equal(outputs[0].payload.intel, undefined, "the alert did not wait for the service");
    assert.equal(outputs[1].payload.id, outputs[0].payload.id, "the update is the same incident");
    assert.equal(outputs[1].payload.intel?.abuseipdb?.abuse_confidence, 100);
    assert.equal(intel.requests.length, 1);
    await until(() => slackBodies.length === 2, "both in Slack");
    assert.ok(!slackBodies[0].includes("AbuseIPDB"));
    assert.ok(slackBodies[1].includes("AbuseIPDB: confidence 100%, 312 reports, DigitalOcean LLC"), slackBodies[1]);

    // The next anomaly of the source finds the verdict cached: its incident's count grows, no new request.
    enrich.receive({ payload: anomalousEvent("185.220.101.5") });
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(intel.requests.length, 1);
  });

  it("asks the services about anomalies only, to spend their free quotas on what an analyst reads", async () => {
    const flow = [
      { id: "tab", type: "tab", label: "full pipeline" },
      { ...shippedEnrich, z: "tab", g: undefined, abuseipdbUrl: intel.url, wires: [["out"], []] },
      { id: "out", z: "tab", type: "helper" },
    ];
    await helper.load([enrichNode], flow as unknown as Parameters<typeof helper.load>[1], { [shippedEnrich.id]: { abuseipdbKey: "key" } });
    const outputs: Output[] = [];
    (helper.getNode("out") as unknown as RuntimeNode).on("input", (msg: Output) => outputs.push(msg));
    const enrich = helper.getNode(shippedEnrich.id) as unknown as RuntimeNode;
    const normal = { ...anomalousEvent("185.220.101.6"), detection: { detector: "default", score: 0.2, threshold: 0.97, anomaly: false, warm: true } };
    enrich.receive({ payload: normal });
    enrich.receive({ payload: { ...normal, detection: "anomaly: true" } });
    enrich.receive({ payload: anomalousEvent("185.220.101.7") });
    await until(() => outputs.length === 3 && intel.requests.length >= 1, "three messages and a lookup");
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(intel.requests.map((r) => /ipAddress=([^&]+)/.exec(r.path)?.[1]), ["185.220.101.7"]);
  });
});
