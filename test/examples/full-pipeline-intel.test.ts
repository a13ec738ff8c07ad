import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import helper from "node-red-node-test-helper";
import alertNode from "../../nodes/alert/alert";
import enrichNode from "../../nodes/enrich/enrich";
import { IntelServiceStandIn } from "../support/intel-service-stand-in";
import { nodeRedRuntimeModule } from "../support/node-red-under-test";
import { SlackWebhookStandIn } from "../support/slack-webhook-stand-in";

helper.init(nodeRedRuntimeModule);

type FlowNode = Record<string, unknown> & { id: string; type: string; wires?: string[][] };
type RuntimeNode = NodeJS.EventEmitter & { receive(msg: object): void };
type Output = { topic: string; payload: Record<string, unknown> & { intel?: { abuseipdb?: { abuse_confidence: number } } } };

/** The full-pipeline flow's own enrich, alert and threat-intel nodes, as shipped. */
const shipped = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "examples", "full-pipeline.json"), "utf8")) as FlowNode[];
const [shippedEnrich, shippedThreatIntel] = ["honeyflow-full-enrich", "honeyflow-full-threat-intel"].map((id) => shipped.find((n) => n.id === id) as FlowNode);
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
  let slack: SlackWebhookStandIn;
  let webhook: string;

  beforeEach(async () => {
    intel = await IntelServiceStandIn.start();
    slack = new SlackWebhookStandIn();
    webhook = await slack.listen();
  });
  afterEach(async () => {
    await helper.unload();
    await intel.stop();
    await slack.close();
  });

  /** The three nodes wired as shipped among themselves; what left the flow goes to `out`. Keys pasted into threat intel. */
  async function deployShipped() {
    const present = new Set([shippedEnrich.id, shippedAlert.id, shippedThreatIntel.id]);
    const rewired = (node: FlowNode) => ({
      ...node, z: "tab", g: undefined,
      wires: (node.wires ?? []).map((port) => (port.some((id) => !present.has(id)) ? [...port.filter((id) => present.has(id)), "out"] : port)),
    });
    const flow = [
      { id: "tab", type: "tab", label: "full pipeline" },
      rewired(shippedEnrich),
      // No broker here: Slack is the sink under test.
      { ...rewired(shippedAlert), broker: "", credentials: undefined },
      // The stand-in answers as AbuseIPDB does.
      { ...rewired(shippedThreatIntel), abuseipdbUrl: intel.url },
      { id: "out", z: "tab", type: "helper" },
    ];
    await helper.load([enrichNode, alertNode], flow as unknown as Parameters<typeof helper.load>[1], {
      [shippedThreatIntel.id]: { abuseipdbKey: "key" }, [shippedAlert.id]: { slackWebhook: webhook },
    });
    const outputs: Output[] = [];
    (helper.getNode("out") as unknown as RuntimeNode).on("input", (msg: Output) => outputs.push(msg));
    return { enrich: helper.getNode(shippedEnrich.id) as unknown as RuntimeNode, outputs };
  }

  it("is wired as a user needs it: alert -> threat intel, whose late verdicts go back to alert", () => {
    assert.deepEqual(shippedAlert.wires, [[shippedThreatIntel.id]]);
    assert.deepEqual(shippedThreatIntel.wires?.[1], [shippedAlert.id]);
    assert.equal(shippedThreatIntel.intelFor, "alerts", "one lookup per alert, not per event");
  });

  it("sends the alert at once, then an update carrying the verdict that came after it, in Slack too", async () => {
    const { enrich, outputs } = await deployShipped();
    enrich.receive({ payload: anomalousEvent("185.220.101.5") });
    const alerts = () => outputs.filter((o) => o.payload.id !== undefined && o.payload.type !== undefined);
    await until(() => alerts().length === 2, "the alert, then its update");
    const [first, update] = alerts();
    assert.equal(first.payload.intel, undefined, "the alert did not wait for the service");
    assert.equal(update.payload.id, first.payload.id, "the update is the same incident");
    assert.equal(update.payload.intel?.abuseipdb?.abuse_confidence, 100);
    assert.equal(intel.requests.length, 1);
    await until(() => slack.bodies.length === 2, "both in Slack");
    assert.ok(!slack.bodies[0].includes("AbuseIPDB"));
    assert.ok(slack.bodies[1].includes("AbuseIPDB: confidence 100%, 312 reports, DigitalOcean LLC"), slack.bodies[1]);
  });

  it("asks once per alert: the anomalies a burst aggregates, and normal events, cost no lookup", async () => {
    const { enrich, outputs } = await deployShipped();
    const normal = { ...anomalousEvent("185.220.101.6"), detection: { detector: "default", score: 0.2, threshold: 0.97, anomaly: false, warm: true } };
    enrich.receive({ payload: normal });
    for (let i = 0; i < 5; i++) enrich.receive({ payload: anomalousEvent("185.220.101.7") });
    await until(() => outputs.some((o) => o.payload.intel !== undefined), "the update with its verdict");
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(intel.requests.map((r) => /ipAddress=([^&]+)/.exec(r.path)?.[1]), ["185.220.101.7"]);
  });
});
