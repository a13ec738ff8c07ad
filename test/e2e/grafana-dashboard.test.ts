/**
 * flows/grafana/honeyflow.json against a real InfluxDB 1.x: sample points of every measurement the
 * bundled flows write, then every query of the dashboard (panels, template variables, annotations)
 * as Grafana sends it, with its variables filled in the way Grafana fills them.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { encodeLine, type TypedValue } from "../../src/delivery/influx/line-protocol";
import { InfluxdProcess, type InfluxSeries } from "../support/influxd-process";
import { requireExecutable } from "../support/service-requirement";

const dashboardFile = path.join(__dirname, "..", "..", "flows", "grafana", "honeyflow.json");
const DATABASE = "honeyflow";
const DATASOURCE = { type: "influxdb", uid: "${DS_INFLUXDB}" };

interface Target { refId: string; query: string; rawQuery?: boolean; resultFormat?: string; datasource?: unknown }
interface Panel { id: number; type: string; title: string; datasource?: unknown; gridPos: { x: number; y: number; w: number; h: number }; targets?: Target[] }
interface Variable { name: string; query: string; datasource?: unknown; allValue?: string }
interface Annotation { name: string; builtIn?: number; datasource?: unknown; target?: Target }
interface Dashboard {
  __inputs: Array<{ name: string; type: string; pluginId: string }>;
  schemaVersion: number;
  panels: Panel[];
  templating: { list: Variable[] };
  annotations: { list: Annotation[] };
}

/** Sensor names with regex metacharacters: Grafana must escape them, and the queries must still match. */
const SENSORS = ["ip-172-31-24-36", "tpot.example.org"];
const DETECTORS = ["default", "z-score"];
const NODES = ["edge clean", "ed6e5e0500000004"];
const ATTACK_TYPES = ["brute-force", "port-scan/tunnel"];
const HOSTILE_SUMMARY = '45.148.10.66: brute-force, 40 anomalous events; last tried "root", <script>alert(1)</script>\nand =,\\';

/** What each query must return: the values of the tag it groups by, or the columns of its table. */
const EXPECTED: Record<string, { tag?: [string, string[]]; columns?: string[] }> = {
  "Events per minute by sensor/A": { tag: ["sensor", SENSORS] },
  "Events per minute by sensor/B": { tag: ["sensor", SENSORS] },
  "Anomaly score and threshold/A": { tag: ["detector", DETECTORS] },
  "Anomaly score and threshold/B": { tag: ["detector", DETECTORS] },
  "PCA reconstruction error/A": { tag: ["sensor", SENSORS] },
  "Alerts per attack type/A": { tag: ["type", ATTACK_TYPES] },
  "Alerts/A": { columns: ["time", "severity", "type", "src_ip", "count", "score", "summary", "sensor", "id"] },
  "Data quality/A": { tag: ["node", NODES] },
  "Timeliness and volume/A": { tag: ["node", NODES] },
  "Timeliness and volume/B": { tag: ["node", NODES] },
  // missing-timestamp is written with count 0 only: a reason that never occurred is not drawn.
  "Rejects by reason/A": { tag: ["reason", ["bad-src_ip", "future-timestamp"]] },
  "Drift events/A": { columns: ["time", "detector", "position", "old_mean", "new_mean", "value"] },
  "Completeness by eventid/A": { tag: ["eventid", ["cowrie.login.failed", "cowrie.session.connect"]] },
  "Consistency by check/A": { tag: ["check", ["timestamp", "duration_ms"]] },
  "Alerts by country/A": { tag: ["country", ["KR", "CN"]] },
  "Alerts by network/A": { tag: ["asn", ["4766", "4134"]] },
};

/** The last 40 minutes of two sensors, in the shapes the full-pipeline flow writes (influx write, precision ms). */
function samplePoints(now: number): string {
  const lines: string[] = [];
  const point = (measurement: string, tags: Record<string, string>, fields: Record<string, number | boolean | string>, minutesAgo: number, integers: string[] = []) => {
    const typed: Record<string, TypedValue> = {};
    for (const [key, value] of Object.entries(fields)) {
      typed[key] = typeof value === "boolean" ? { type: "boolean", value } : typeof value === "string" ? { type: "string", value }
        : { type: integers.includes(key) ? "integer" : "float", value };
    }
    lines.push(encodeLine({ measurement, tags, fields: typed, timestampMs: Math.floor(now / 60_000 - minutesAgo) * 60_000 + 7 }));
  };
  for (let minute = 40; minute >= 1; minute--) {
    SENSORS.forEach((sensor, s) => {
      point("honeyflow_events", { sensor }, { events: 280 + minute + s, distinct_ips: 40 + s }, minute, ["events", "distinct_ips"]);
      DETECTORS.forEach((detector, d) => {
        const anomaly = minute % 10 === d;
        const score = anomaly ? 0.999 : 0.2 + minute / 100;
        point("honeyflow_scores", { detector, sensor }, { score, threshold: 0.97, anomaly, src_ip: `203.0.113.${minute}`, pca_error: 1.5 + s }, minute);
      });
    });
    NODES.forEach((node) => {
      point("honeyflow_clean", { node }, {
        events: 3000, clean: 2990, rejected: 10, duplicates: 0, events_per_second: 5, validity: 0.9967, completeness: 0.98,
        consistency: 1, lag_p50_ms: 150, lag_p95_ms: 900, interval_s: 10,
      }, minute);
      point("honeyflow_clean_completeness", { node, eventid: "cowrie.login.failed" }, { completeness: 1, events: 900 }, minute);
      point("honeyflow_clean_completeness", { node, eventid: "cowrie.session.connect" }, { completeness: 0.95, events: 300 }, minute);
      point("honeyflow_clean_consistency", { node, check: "timestamp" }, { consistency: 1, events: 2990 }, minute);
      point("honeyflow_clean_consistency", { node, check: "duration_ms" }, { consistency: 0.5, events: 12 }, minute);
      point("honeyflow_clean_rejects", { node, reason: "bad-src_ip" }, { count: minute % 3 }, minute);
      point("honeyflow_clean_rejects", { node, reason: "future-timestamp" }, { count: minute === 5 ? 2 : 0 }, minute);
      point("honeyflow_clean_rejects", { node, reason: "missing-timestamp" }, { count: 0 }, minute);
    });
  }
  point("honeyflow_drift", { detector: "adwin" }, { position: 4160, old_mean: 0.31, new_mean: 0.58, value: 0.61 }, 25);
  point("honeyflow_drift", { detector: "adwin" }, { position: 5952, old_mean: 0.58, new_mean: 0.33, value: 0.3 }, 12);
  const alert = (type: string, severity: string, id: string, count: number, summary: string, minutesAgo: number, geo: Record<string, string> = {}) => point("honeyflow_alerts", { type, severity, ...geo }, {
    id, src_ip: "211.198.221.100", summary, sensor: SENSORS[0], score: 0.9991, count,
  }, minutesAgo);
  // Tagged with country and network as the bundled flow tags what enrich placed.
  alert("brute-force", "medium", "962731d25ba91a7fd1d6", 1, "211.198.221.100: brute-force, 1 anomalous event", 30, { country: "KR", asn: "4766" });
  alert("brute-force", "medium", "962731d25ba91a7fd1d6", 73, "211.198.221.100: brute-force, 73 anomalous events in 55 s", 24, { country: "KR", asn: "4766" });
  alert("port-scan/tunnel", "high", "0b5e2f1c9d8a7e6f5a4b", 12, "219.81.218.124: port-scan/tunnel, 12 anomalous events", 20, { country: "CN", asn: "4134" });
  alert("brute-force", "critical", "c0ffee00c0ffee00c0ff", 40, HOSTILE_SUMMARY, 3);
  return `${lines.join("\n")}\n`;
}

/** Grafana's regex escaping of a variable's value in an InfluxQL query (multi-value: `(a|b)`). */
function grafanaRegex(values: string[]): string {
  return `(${values.map((value) => value.replace(/[\\^$*+?.()|[\]{}/]/g, "\\$&")).join("|")})`;
}

/** The query as Grafana sends it for the last hour, a 1 minute interval and the given variable values. */
function interpolate(query: string, variables: Record<string, string>): string {
  let text = query.replace(/\$timeFilter/g, "time >= now() - 1h").replace(/\$__interval/g, "1m");
  for (const [name, value] of Object.entries(variables)) text = text.replace(new RegExp(`\\$${name}\\b`, "g"), value);
  assert.doesNotMatch(text, /\$\{?[A-Za-z_]/, `a variable left in ${text}`);
  return text;
}

const tagValues = (series: InfluxSeries[], tag: string) => [...new Set(series.map((s) => s.tags?.[tag]))].sort();
const hasValue = (series: InfluxSeries) => series.values.some((row) => row.slice(1).some((cell) => cell !== null));

describe("grafana dashboard (flows/grafana/honeyflow.json)", function () {
  this.timeout(60_000);
  const dashboard = JSON.parse(fs.readFileSync(dashboardFile, "utf8")) as Dashboard;
  const panelTargets = dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((target) => ({ panel, target, key: `${panel.title}/${target.refId}` })));
  const all = Object.fromEntries(dashboard.templating.list.map((variable) => [variable.name, variable.allValue as string]));
  let influxd: InfluxdProcess;

  before(async function () {
    influxd = await InfluxdProcess.start(requireExecutable(this, "influxd"));
    await influxd.query(`CREATE DATABASE "${DATABASE}"`);
    await influxd.write(samplePoints(Date.now()), DATABASE);
  });

  after(() => influxd?.dispose());

  it("imports with one InfluxDB data source input, which every panel, query, variable and annotation uses", function () {
    assert.deepEqual(dashboard.__inputs.map(({ name, type, pluginId }) => ({ name, type, pluginId })), [{ name: "DS_INFLUXDB", type: "datasource", pluginId: "influxdb" }]);
    assert.ok(dashboard.schemaVersion >= 36, `schemaVersion ${dashboard.schemaVersion}`);
    for (const panel of dashboard.panels) assert.deepEqual(panel.datasource, DATASOURCE, panel.title);
    for (const { key, target } of panelTargets) {
      assert.deepEqual(target.datasource, DATASOURCE, key);
      assert.equal(target.rawQuery, true, key);
      assert.match(target.query, /\$timeFilter/, `${key} follows the dashboard's time range`);
    }
    for (const variable of dashboard.templating.list) assert.deepEqual(variable.datasource, DATASOURCE, variable.name);
    for (const annotation of dashboard.annotations.list.filter((a) => !a.builtIn)) assert.deepEqual(annotation.datasource, DATASOURCE, annotation.name);
    const ids = dashboard.panels.map((panel) => panel.id);
    assert.equal(new Set(ids).size, ids.length, "panel ids are unique");
    for (const [i, a] of dashboard.panels.entries()) {
      for (const b of dashboard.panels.slice(i + 1)) {
        const apart = a.gridPos.x + a.gridPos.w <= b.gridPos.x || b.gridPos.x + b.gridPos.w <= a.gridPos.x
          || a.gridPos.y + a.gridPos.h <= b.gridPos.y || b.gridPos.y + b.gridPos.h <= a.gridPos.y;
        assert.ok(apart, `${a.title} and ${b.title} overlap`);
      }
    }
    assert.deepEqual(panelTargets.map(({ key }) => key).sort(), Object.keys(EXPECTED).sort(), "every panel query has an expectation below");
  });

  it("every panel's InfluxQL runs on InfluxDB 1.x and returns the sample series", async function () {
    for (const { key, target } of panelTargets) {
      const series = await influxd.query(interpolate(target.query, all), DATABASE);
      assert.ok(series.length > 0 && series.every(hasValue), `${key} returned no data: ${JSON.stringify(series).slice(0, 300)}`);
      const { tag, columns } = EXPECTED[key];
      if (tag) assert.deepEqual(tagValues(series, tag[0]), [...tag[1]].sort(), `${key} grouped by ${tag[0]}`);
      if (columns) assert.deepEqual(series[0].columns, columns, key);
    }
  });

  it("lists alerts newest first with attacker text intact, and each update of an alert", async function () {
    const alerts = dashboard.panels.find((panel) => panel.title === "Alerts")?.targets?.[0] as Target;
    assert.equal(alerts.resultFormat, "table");
    const [table] = await influxd.query(interpolate(alerts.query, all), DATABASE);
    const rows = table.values.map((row) => Object.fromEntries(table.columns.map((column, i) => [column, row[i]])));
    assert.deepEqual(rows.map((row) => [row.severity, row.type, row.count]), [
      ["critical", "brute-force", 40], ["high", "port-scan/tunnel", 12], ["medium", "brute-force", 73], ["medium", "brute-force", 1],
    ]);
    assert.equal(rows[0].summary, HOSTILE_SUMMARY);
  });

  it("filters by the selected sensors and detectors, their names escaped as Grafana escapes them", async function () {
    const selected = { ...all, sensor: grafanaRegex([SENSORS[1]]), detector: grafanaRegex([DETECTORS[1]]) };
    const bySensor = panelTargets.filter(({ target }) => /\$sensor\b/.test(target.query) && /GROUP BY .*"sensor"/.test(target.query));
    assert.ok(bySensor.length >= 2);
    for (const { key, target } of bySensor) {
      assert.deepEqual(tagValues(await influxd.query(interpolate(target.query, selected), DATABASE), "sensor"), [SENSORS[1]], key);
    }
    const score = panelTargets.find(({ key }) => key === "Anomaly score and threshold/A")?.target as Target;
    assert.deepEqual(tagValues(await influxd.query(interpolate(score.query, selected), DATABASE), "detector"), [DETECTORS[1]]);
    // Alerts carry their sensor as a field: the same filter applies to them.
    const alerts = panelTargets.find(({ key }) => key === "Alerts/A")?.target as Target;
    assert.deepEqual(await influxd.query(interpolate(alerts.query, selected), DATABASE), []);
  });

  it("fills the sensor and detector variables from the data, and draws drift and alert annotations", async function () {
    const values = async (variable: Variable) => (await influxd.query(variable.query, DATABASE)).flatMap((s) => s.values.map((row) => row[1])).sort();
    const variables = Object.fromEntries(dashboard.templating.list.map((variable) => [variable.name, variable]));
    assert.deepEqual(await values(variables.sensor), SENSORS);
    assert.deepEqual(await values(variables.detector), DETECTORS);

    const annotations = Object.fromEntries(dashboard.annotations.list.filter((a) => !a.builtIn).map((a) => [a.name, a.target as Target & { textColumn: string; tagsColumn: string }]));
    const [drift] = await influxd.query(interpolate(annotations.Drift.query, all), DATABASE);
    assert.equal(drift.values.length, 2);
    assert.ok(drift.columns.includes(annotations.Drift.textColumn) && drift.columns.includes(annotations.Drift.tagsColumn), drift.columns.join());
    const high = annotations["High and critical alerts"];
    const [severe] = await influxd.query(interpolate(high.query, all), DATABASE);
    const column = (name: string) => severe.values.map((row) => row[severe.columns.indexOf(name)]);
    assert.deepEqual(column("severity").sort(), ["critical", "high"]);
    assert.ok(column(high.textColumn).includes(HOSTILE_SUMMARY));
    for (const name of high.tagsColumn.split(",")) assert.ok(severe.columns.includes(name), name);
  });
});
