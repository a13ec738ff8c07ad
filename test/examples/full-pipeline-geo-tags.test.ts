import assert from "node:assert/strict";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import helper from "node-red-node-test-helper";
import influxWriteNode from "../../nodes/influx-write/influx-write";
import influxdbConfigNode from "../../nodes/influxdb-config/influxdb-config";
import { InfluxdProcess } from "../support/influxd-process";
import { requireExecutable } from "../support/service-requirement";
import { nodeRedRuntimeModule } from "../support/node-red-under-test";

helper.init(nodeRedRuntimeModule);

type RuntimeNode = NodeJS.EventEmitter & { receive(msg: object): void };

/** The full-pipeline flow's own point builders, as shipped, writing through influx write into a real influxd. */
const shipped = (JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "examples", "full-pipeline.json"), "utf8")) as Array<Record<string, unknown>>)
  .filter((n) => n.id === "honeyflow-full-score-point" || n.id === "honeyflow-full-alert-point");
const functionNode = createRequire(nodeRedRuntimeModule)("@node-red/nodes/core/function/10-function.js") as (red: unknown) => void;

const T = Date.UTC(2026, 2, 18, 10, 0);
const HOSTILE_ORG = '<img src=x onerror=alert(1)>,asn=1 x="y"\nDROP';
const digitalOcean = { country: "NL", country_name: "Netherlands", asn: 14061, as_org: HOSTILE_ORG };

function scoredEvent(n: number, srcGeo?: unknown) {
  return {
    src_ip: `198.51.100.${n}`, time: new Date(T + n).toISOString(), sensor: "honeypot-1",
    detection: { detector: "default", score: 0.5, threshold: 0.97, anomaly: false, warm: true },
    ...(srcGeo === undefined ? {} : { src_geo: srcGeo }),
  };
}

describe("full-pipeline example: country and asn tags on scores and alerts", function () {
  this.timeout(60_000);
  let influxd: InfluxdProcess;
  let userDir: string;
  before(async function () {
    influxd = await InfluxdProcess.start(requireExecutable(this, "influxd"));
  });
  after(async () => {
    await influxd?.dispose();
  });
  afterEach(async () => {
    await helper.unload();
    fs.rmSync(userDir, { recursive: true, force: true });
  });

  it("tags a point with the source's country and AS number when src_geo has them, and never with its organisation", async () => {
    userDir = fs.mkdtempSync(path.join(os.tmpdir(), "honeyflow-geo-tags-"));
    helper.settings({ userDir });
    const flow = [
      { id: "tab", type: "tab", label: "full pipeline" },
      ...shipped.map((n) => ({ ...n, z: "tab", wires: [["write"]] })),
      { id: "influx", type: "honeyflow-influxdb", url: influxd.url, database: "honeyflow", retentionPolicy: "", createDatabase: true },
      { id: "write", z: "tab", type: "honeyflow-influx-write", influxdb: "influx", batchSize: "500", flushInterval: "50" },
    ];
    await helper.load([functionNode, influxWriteNode, influxdbConfigNode], flow as unknown as Parameters<typeof helper.load>[1]);
    const scorePoint = helper.getNode("honeyflow-full-score-point") as unknown as RuntimeNode;
    const alertPoint = helper.getNode("honeyflow-full-alert-point") as unknown as RuntimeNode;
    scorePoint.receive({ payload: scoredEvent(1, digitalOcean) });
    scorePoint.receive({ payload: scoredEvent(2) });
    scorePoint.receive({ payload: scoredEvent(3, { country: null, country_name: null, asn: null, as_org: null, special_use: "documentation" }) });
    // A custom flow's src_geo: neither free text nor a fraction becomes a tag.
    scorePoint.receive({ payload: scoredEvent(4, { country: "N L,x=1", asn: 1.5, as_org: HOSTILE_ORG }) });
    alertPoint.receive({ payload: {
      schema: 2, id: "a1", time: new Date(T).toISOString(), src_ip: "198.51.100.1", type: "brute-force", severity: "medium", score: 0.99, count: 1,
      first_seen: new Date(T).toISOString(), last_seen: new Date(T).toISOString(), top_features: [], sensor: "honeypot-1", summary: "s", src_geo: digitalOcean,
    } });
    alertPoint.receive({ payload: {
      schema: 3, id: "a2", time: new Date(T + 5).toISOString(), src_ip: "198.51.100.5", type: "malware-drop", severity: "high", score: 0.99, count: 1,
      first_seen: new Date(T + 5).toISOString(), last_seen: new Date(T + 5).toISOString(), top_features: [], sensor: "honeypot-1", summary: "d",
      dropped_payload: HOSTILE_ORG,
    } });

    const rows = async (influxql: string) => (await influxd.query(influxql, "honeyflow").catch(() => []))[0]?.values ?? [];
    const deadline = Date.now() + 20_000;
    while ((await rows('SELECT count("score") FROM "honeyflow_scores"'))[0]?.[1] !== 4 || (await rows('SELECT count("id") FROM "honeyflow_alerts"'))[0]?.[1] !== 2) {
      if (Date.now() > deadline) throw new Error("timed out waiting for four score points and an alert point");
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.deepEqual(await rows('SELECT "src_ip", "country", "asn" FROM "honeyflow_scores"'), [
      [T + 1, "198.51.100.1", "NL", "14061"],
      [T + 2, "198.51.100.2", null, null],
      [T + 3, "198.51.100.3", null, null],
      [T + 4, "198.51.100.4", null, null],
    ]);
    assert.deepEqual(await rows('SELECT "id", "country", "asn", "type", "dropped_payload" FROM "honeyflow_alerts"'), [
      [T, "a1", "NL", "14061", "brute-force", null],
      [T + 5, "a2", null, null, "malware-drop", HOSTILE_ORG],
    ], "what a malware drop ran is stored as written, a field");
    for (const measurement of ["honeyflow_scores", "honeyflow_alerts"]) {
      const keys = (await rows(`SHOW TAG KEYS FROM "${measurement}"`)).map(([key]) => key);
      assert.ok(keys.includes("country") && keys.includes("asn"), `${measurement}: ${keys.join(", ")}`);
      assert.ok(!keys.includes("as_org") && !keys.includes("dropped_payload"), "an organisation's name, or a fetch, is no tag");
    }
  });
});
