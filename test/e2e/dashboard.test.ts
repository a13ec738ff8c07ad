import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { CowrieLogGenerator } from "../../src/datasets/synth/cowrie/cowrie-log-generator";
import { ATTACK_TYPES } from "../../src/domain/attack-types";
import { startNodeRed, type FlowNode, type NodeRedRuntime } from "../support/node-red-runtime";
import { requireExecutable } from "../support/service-requirement";

const examples = path.join(__dirname, "..", "..", "examples");
const tab = "dashboard-feeder";

const hostileUsername = "<script>alert(1)</script>";
const hostilePassword = "<img src=x onerror=alert(2)>";
const hostileSensor = "<b>sensor</b><img src=x onerror=alert(3)>";
const bruteForcer = "45.148.10.66";
/** A network name as anyone can register it, and a country name a custom flow could send. */
const hostileNetwork = "<img src=x onerror=alert(4)>";
const hostileCountry = "<script>alert(5)</script>";

/**
 * A generated sensor log (17 minutes of event time, every attack type) ending now, with a burst of
 * failed logins under hostile credentials near its end, one attempt per connection as bots do, and
 * one event from a sensor whose name is hostile (a spoofed `mqtt in` feed could write any name).
 */
function writeSensorLog(file: string): { sensor: string; events: number } {
  const generator = new CowrieLogGenerator({ events: 6000, seed: "dashboard", rate: 5, startMs: wholeMinutesAgo(17) });
  const lines = [...generator].map(({ line }) => line);
  const template = JSON.parse(lines.find((line) => line.includes('"cowrie.login.failed"') && line.includes('"password"')) as string);
  const burst = { from: 5850, attempts: 40 };
  const out: string[] = [];
  lines.forEach((line, i) => {
    out.push(line);
    const { timestamp } = JSON.parse(line) as { timestamp: string };
    if (i >= burst.from && i < burst.from + burst.attempts) {
      out.push(JSON.stringify({
        ...template, username: hostileUsername, password: hostilePassword, src_ip: bruteForcer, timestamp,
        session: `b0${String(i).padStart(10, "0")}`, message: `login attempt [${hostileUsername}/${hostilePassword}] failed`,
      }));
    }
    if (i === burst.from) out.push(JSON.stringify({ ...template, sensor: hostileSensor, timestamp }));
  });
  fs.writeFileSync(file, out.join("\n") + "\n");
  return { sensor: template.sensor, events: lines.length + burst.attempts };
}

/** Whole minutes, so that every run sees the same events in the same windows of whole seconds. */
function wholeMinutesAgo(minutes: number): number {
  return (Math.floor(Date.now() / 60_000) - minutes) * 60_000;
}

const linkOut = (id: string, target: string, y: number): FlowNode => ({
  id, type: "link out", z: tab, name: `to ${target}`, mode: "link", links: [target], x: 900, y, wires: [],
});

/**
 * The pipeline the dashboard watches: a replay of the log at 60x through clean, window features,
 * the online detector and drift, into the dashboard's link-ins. The `alert` node is tested on its
 * own; here a function node stands in for it and turns anomalies into alert-shaped objects
 * (src/alerting/alert-policy.ts `Alert`), one per source and attack type, updated by later anomalies.
 * `POST /test/alert` sends an alert straight to the dashboard.
 */
function feederFlow(log: string, sensor: string): FlowNode[] {
  const alertStandIn = `
const type = msg.payload.detection.explanation.attack_type;
const id = msg.payload.src_ip + "/" + type;
const open = context.get("open") || {};
const alert = open[id] || { schema: 1, id, src_ip: msg.payload.src_ip, type, severity: "medium", score: 0, count: 0,
    first_seen: msg.payload.time, sensor: ${JSON.stringify(sensor)} };
alert.count += 1;
alert.time = alert.last_seen = msg.payload.time;
if (msg.payload.detection.score >= alert.score) {
    alert.score = msg.payload.detection.score;
    alert.top_features = msg.payload.detection.explanation.top_features;
}
alert.summary = alert.src_ip + ": " + type + ", " + alert.count + " anomalous events";
open[id] = alert;
context.set("open", open);
return { payload: { ...alert } };`;
  return [
    { id: tab, type: "tab", label: "pipeline feeding the dashboard (test)" },
    {
      id: "replay", type: "honeyflow-cowrie-in", z: tab, name: "", mode: "replay", path: log, startAt: "beginning", resume: false,
      speed: "60", autoStart: true, maxLineBytes: "1048576", pollSeconds: "1", x: 120, y: 100, wires: [["clean"], []],
    },
    {
      id: "clean", type: "honeyflow-clean", z: tab, name: "", futureToleranceHours: "24", missingTimestamp: "reject",
      sessionTableSize: "20000", duplicateWindow: "10000", metricsSeconds: "2", x: 300, y: 100,
      wires: [["features", "events-out"], [], ["quality-out"]],
    },
    {
      id: "features", type: "honeyflow-window-features", z: tab, name: "", windows: "30, 60, 300", maxIps: "100000", idleTtl: "3600",
      tolerance: "5", x: 480, y: 100, wires: [["detector"]],
    },
    {
      id: "detector", type: "honeyflow-online-detector", z: tab, name: "", detector: "default", vectorProperty: "payload.vector",
      namesProperty: "payload.names", thresholdMode: "adaptive", quantile: "0.995", fixedThreshold: "0.9", warmUp: "500",
      topFeatures: "3", ignoreFeatures: "^(hour|weekday)_(sin|cos)$|_(30s|5m)$", persist: false, x: 680, y: 100,
      // Scores reach the chart at once; enrich's copies (held while its databases open) feed the country tables.
      wires: [["scores-out", "enrich", "drift"], ["alert-stand-in"]],
    },
    {
      id: "enrich", type: "honeyflow-enrich", z: tab, name: "", geoDatabase: "", asnDatabase: "", cacheSize: "65536", intelFor: "alerts",
      intelTtlHours: "24", intelTimeoutSeconds: "5", x: 860, y: 140, wires: [["scores-out"], []],
    },
    {
      id: "drift", type: "honeyflow-drift", z: tab, name: "", detector: "adwin", property: "payload.detection.score", action: "reset",
      store: "", x: 680, y: 180, wires: [["drift-out"], []],
    },
    {
      id: "alert-stand-in", type: "function", z: tab, name: "stands in for the alert node", func: alertStandIn, outputs: 1,
      timeout: 0, noerr: 0, initialize: "", finalize: "", libs: [], x: 700, y: 240, wires: [["alerts-out"]],
    },
    { id: "post-alert", type: "http in", z: tab, name: "", url: "/test/alert", method: "post", upload: false, swaggerDoc: "", x: 140, y: 300, wires: [["posted-alert-out", "posted"]] },
    { id: "posted", type: "http response", z: tab, name: "", statusCode: "", headers: {}, x: 330, y: 340, wires: [] },
    { id: "post-score", type: "http in", z: tab, name: "", url: "/test/score", method: "post", upload: false, swaggerDoc: "", x: 140, y: 400, wires: [["thousand"]] },
    {
      id: "thousand", type: "function", z: tab, name: "a thousand times", outputs: 2, timeout: 0, noerr: 0, initialize: "", finalize: "", libs: [],
      func: "return [Array.from({ length: 1000 }, () => ({ payload: RED.util.cloneMessage(msg.payload) })), msg];",
      x: 330, y: 400, wires: [["posted-score-out"], ["posted"]],
    },
    linkOut("events-out", "honeyflow-dashboard-events", 60),
    linkOut("quality-out", "honeyflow-dashboard-quality", 120),
    linkOut("scores-out", "honeyflow-dashboard-scores", 160),
    linkOut("drift-out", "honeyflow-dashboard-drift", 200),
    linkOut("alerts-out", "honeyflow-dashboard-alerts", 240),
    linkOut("posted-alert-out", "honeyflow-dashboard-alerts", 300),
    linkOut("posted-score-out", "honeyflow-dashboard-scores", 400),
  ];
}

/** (x, y) pairs of a chart series as ECharts' accessible description lists them (its first 10 points). */
function describedPoints(description: string): Array<[number, number]> {
  return [...description.matchAll(/(\d{13}), (-?\d+(?:\.\d+)?(?:e-?\d+)?|NaN)/g)].map((m) => [Number(m[1]), Number(m[2])]);
}

/**
 * Each series of a chart and its listed points, read from the description ECharts gives screen
 * readers ("... The 0 series is a Line chart representing score.The first 10 items are: x, y, ...").
 * The canvas itself cannot be read, and this is the chart as a screen-reader user gets it.
 */
function describedSeries(description: string): Map<string, Array<[number, number]>> {
  const series = new Map<string, Array<[number, number]>>();
  const single = /named (.+?)\.(?:The first|The data)/.exec(description);
  if (single) return series.set(single[1], describedPoints(description));
  for (const part of description.split(/ representing /).slice(1)) {
    const name = part.slice(0, part.indexOf("."));
    series.set(name, describedPoints(part));
  }
  return series;
}

describe("dashboard: the Dashboard 2.0 page in headless Chromium", function () {
  this.timeout(120_000);
  let runtime: NodeRedRuntime;
  let browser: Browser;
  let page: Page;
  let mainSensor: string;
  let mainSensorEvents: number;
  const dialogs: string[] = [];
  const pageErrors: string[] = [];

  const widget = (nodeId: string) => page.locator(`#nrdb-ui-widget-honeyflow-dashboard-${nodeId}`);
  /** A chart's description, "" until the chart is drawn: the probe asks, it does not wait (waitUntil waits, up to its own bound). */
  const chartDescription = async (nodeId: string) => {
    const chart = widget(nodeId).locator(".nrdb-ui-chart[aria-label]");
    return (await chart.count()) === 0 ? "" : ((await chart.first().getAttribute("aria-label", { timeout: 5_000 })) ?? "");
  };
  /** The texts of each frame a chart's canvas has shown (its axis labels and legend), recorded by the page's init script. */
  const chartFrames = (nodeId: string) => widget(nodeId).locator("canvas").first().evaluate((canvas) => {
    const drawn = canvas as HTMLCanvasElement & { frame?: string[]; frames?: Set<string> };
    return [...(drawn.frames ?? []), JSON.stringify(drawn.frame ?? [])].map((frame) => JSON.parse(frame) as string[]);
  });
  /** The rows of a ui-table, each as {column key: the cell's text}. */
  const tableRows = (nodeId: string) => widget(nodeId).locator("tbody tr").evaluateAll((rows) => rows.map((row) =>
    Object.fromEntries(Array.from(row.querySelectorAll("td[data-column-key]")).map((td) => [td.getAttribute("data-column-key"), td.textContent?.trim() ?? ""]))));
  const waitUntil = <T>(probe: () => Promise<T>, description: string) => runtime.waitFor(probe, 60_000, description);
  const sensorStatus = async () => (await widget("sensor-text").locator(".nrdb-ui-text-value").textContent()) ?? "";
  /** The main sensor's line once every one of its events is counted: then the replay is over. */
  const allEventsCounted = () => new RegExp(`${escapeRegExp(mainSensor)}: (live|silent[^·]*) · ${mainSensorEvents.toLocaleString("en")} events`);

  before(async function () {
    const executablePath = requireExecutable(this, "chromium");
    // Node-RED loads palette modules from the node_modules it runs from as well as from the userDir,
    // so Dashboard 2.0, a devDependency beside it, is there as if installed from Manage palette.
    runtime = await startNodeRed();
    const modules = await runtime.getJson<Array<{ module: string; types: string[] }>>("/nodes");
    assert.ok(modules.some((set) => set.module === "@flowfuse/node-red-dashboard" && set.types.includes("ui-base")),
      "Dashboard 2.0 is not loaded: is @flowfuse/node-red-dashboard installed (npm ci installs devDependencies)?");
    const log = path.join(runtime.userDir, "sensor.json");
    ({ sensor: mainSensor, events: mainSensorEvents } = writeSensorLog(log));
    const dashboard = JSON.parse(fs.readFileSync(path.join(examples, "dashboard.json"), "utf8")) as FlowNode[];
    browser = await chromium.launch({ executablePath, args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
    page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    page.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    page.on("pageerror", (err) => pageErrors.push(err.message));
    // The texts (axis labels, legend) of every frame each chart's canvas has shown, as a reader saw
    // them: the canvas itself cannot be read back. A frame ends where the canvas is cleared whole.
    await page.addInitScript(() => {
      type Drawn = HTMLCanvasElement & { frame?: string[]; frames?: Set<string> };
      const { clearRect, fillText } = CanvasRenderingContext2D.prototype;
      CanvasRenderingContext2D.prototype.clearRect = function (this: CanvasRenderingContext2D, x: number, y: number, width: number, height: number) {
        const canvas = this.canvas as Drawn;
        if (x <= 0 && y <= 0 && width >= canvas.width && height >= canvas.height && canvas.frame?.length) {
          (canvas.frames ??= new Set()).add(JSON.stringify(canvas.frame));
          canvas.frame = [];
        }
        return clearRect.call(this, x, y, width, height);
      };
      CanvasRenderingContext2D.prototype.fillText = function (this: CanvasRenderingContext2D, text: string, ...rest: [number, number, number?]) {
        ((this.canvas as Drawn).frame ??= []).push(String(text));
        return fillText.call(this, text, ...rest);
      };
    });
    await runtime.deploy([...dashboard, ...feederFlow(log, mainSensor)]);
    // Opened while the replay runs: what follows arrives live over the dashboard's socket.
    await page.goto(`${runtime.url}/dashboard/honeyflow`);
  });

  afterEach(function () {
    if (this.currentTest?.state === "failed") console.log(runtime.logTail(60));
  });

  after(async function () {
    await browser?.close();
    await runtime?.dispose();
  });

  it("charts events per minute and shows each sensor live, a hostile sensor name as text", async function () {
    const perMinute = await waitUntil(async () => {
      const points = describedSeries(await chartDescription("events-chart")).get("events/min") ?? [];
      return points.length >= 5 && points;
    }, "five points on the events-per-minute chart");
    assert.ok(perMinute.every(([, y]) => Number.isInteger(y) && y >= 0), JSON.stringify(perMinute));
    assert.ok(perMinute.some(([, y]) => y > 100), `a generated sensor at 5 events/s: ${JSON.stringify(perMinute)}`);

    const status = await waitUntil(async () => {
      const shown = await sensorStatus();
      return allEventsCounted().test(shown) && shown;
    }, `all ${mainSensorEvents} events of ${mainSensor} in the sensor status`);
    assert.match(status, new RegExp(`${escapeRegExp(mainSensor)}: live · [\\d,]+ events · last \\d+ s ago`));
    assert.match(status, new RegExp(`${escapeRegExp(hostileSensor)}: live · 1 event · last \\d+ s ago`));
  });

  it("plots the anomaly score against the adaptive threshold, with drift markers", async function () {
    const series = await waitUntil(async () => {
      const described = describedSeries(await chartDescription("score-chart"));
      return ["score", "threshold", "drift"].every((name) => (described.get(name) ?? []).length > 0) && described;
    }, "score, threshold and drift series on the score chart");
    for (const name of ["score", "threshold"]) {
      const points = series.get(name) ?? [];
      assert.ok(points.every(([, y]) => y >= 0 && y <= 1), `${name}: ${JSON.stringify(points)}`);
    }
    const drifts = await tableRows("drift-table");
    assert.ok(drifts.length > 0);
    assert.ok(drifts.every((row) => row.detector === "adwin" && /^\d+$/.test(row.position) && /^[\d.]+ → [\d.]+$/.test(row.change)), JSON.stringify(drifts));
  });

  it("shows completeness, validity, consistency and timeliness on gauges", async function () {
    for (const gauge of ["completeness", "validity", "consistency", "timeliness"]) {
      const text = await waitUntil(async () => {
        const shown = (await widget(gauge).locator(".nrdb-ui-gauge-value span").textContent())?.trim();
        return shown !== "" && Number.isFinite(Number(shown)) && shown;
      }, `a value on the ${gauge} gauge`);
      const value = Number(text);
      // Timeliness stops at its scale's 60 s: the replayed log is minutes late, which once showed as hundreds of seconds.
      assert.ok(gauge === "timeliness" ? value >= 0 && value <= 60 : value > 0 && value <= 100, `${gauge}: ${text}`);
    }
  });

  it("ranks source IPs, usernames and passwords, the hostile ones as literal text", async function () {
    const usernames = await waitUntil(async () => {
      const rows = await tableRows("usernames-table");
      return rows.some((row) => row.value === hostileUsername) && rows;
    }, `${hostileUsername} among the top usernames`);
    const passwords = await tableRows("passwords-table");
    assert.ok(passwords.some((row) => row.value === hostilePassword), JSON.stringify(passwords));
    const ips = await tableRows("ips-table");
    for (const rows of [usernames, passwords, ips]) {
      assert.ok(rows.length > 0 && rows.length <= 10, JSON.stringify(rows));
      const counts = rows.map((row) => Number(row.count));
      assert.deepEqual(counts, [...counts].sort((a, b) => b - a), "most frequent first");
      assert.deepEqual(rows.map((row) => row.rank), rows.map((_, i) => String(i + 1)));
    }
    assert.ok(ips.every((row) => /^[\d.]+$/.test(row.value)), JSON.stringify(ips));
  });

  it("lists alerts newest first, attacker text as literal text, and counts their attack types", async function () {
    await waitUntil(async () => (await tableRows("alerts-table")).length > 0, "an alert from the pipeline in the alerts table");
    // Once the replay is over, no alert from the pipeline can overtake the posted ones.
    await waitUntil(async () => allEventsCounted().test(await sensorStatus()), "the end of the replay");
    const now = Date.now();
    const posted = (n: number, summary: string) => ({
      schema: 1, id: `posted-${n}`, time: new Date(now + n).toISOString(), src_ip: bruteForcer, type: "brute-force", severity: "high",
      score: 0.999, count: 40, first_seen: new Date(now).toISOString(), last_seen: new Date(now + n).toISOString(), top_features: [],
      sensor: hostileSensor, summary,
    });
    // As an alert quoting what the attacker typed would read, from a sensor fed by a hostile MQTT publisher.
    const first = posted(1, `${bruteForcer}: brute-force, 40 anomalous events; last tried ${hostileUsername} / ${hostilePassword}`);
    const second = posted(2, `${bruteForcer}: brute-force <!channel> & "quoted" ${hostilePassword}`);
    await runtime.request("POST", "/test/alert", first);
    await waitUntil(async () => (await tableRows("alerts-table"))[0]?.summary === first.summary, "the posted alert on top");
    await runtime.request("POST", "/test/alert", second);
    const rows = await waitUntil(async () => {
      const shown = await tableRows("alerts-table");
      return shown[0]?.summary === second.summary && shown;
    }, "the newer posted alert above it");
    assert.equal(rows[1].summary, first.summary);
    assert.equal(rows[0].sensor, hostileSensor);
    // A malware campaign's row says what it dropped: a fetch is attacker text, shown as text.
    const dropped = { ...posted(3, `${bruteForcer}: malware-drop, 1 anomalous event`), type: "malware-drop", schema: 3, dropped_payload: `wget http://*/${hostileUsername}` };
    await runtime.request("POST", "/test/alert", dropped);
    await waitUntil(async () => (await tableRows("alerts-table"))[0]?.summary === `${dropped.summary}; dropped ${dropped.dropped_payload}`, "the malware drop on top, with what it dropped");
    assert.ok(rows.slice(2).every((row) => row.type !== "" && Number(row.count) > 0 && Number(row.score) > 0), JSON.stringify(rows));

    // Each attack type is a series named in the legend: as labels on a category axis, the chart
    // dropped every other one when they did not fit its card, and a bar went unnamed.
    const types = await waitUntil(async () => {
      const series = describedSeries(await chartDescription("types-chart"));
      return series.has("brute-force") && [...series.keys()];
    }, "brute-force on the attack types chart");
    assert.deepEqual(types, [...ATTACK_TYPES]);
    // Alerts come in whole numbers: an axis stepping 0, 0.5, 1, 1.5 ... read as fractions of an alert.
    // Every frame with the bars' legend counts, from the first alert (seen while the replay ran) on.
    const axes = (await chartFrames("types-chart")).filter((frame) => frame.includes("brute-force"))
      .map((frame) => frame.filter((text) => /^-?[\d.,]+$/.test(text)));
    assert.ok(axes.length > 0 && axes.every((axis) => axis.length >= 2 && axis.every((text) => /^[\d,]+$/.test(text))), `the y axis read ${JSON.stringify(axes)}`);
  });

  it("ranks the sources' countries and networks from enrich, a hostile network or country name as literal text", async function () {
    const countries = await waitUntil(async () => {
      const rows = await tableRows("countries-table");
      return rows.length >= 3 && rows;
    }, "countries in the top countries table");
    const networks = await tableRows("networks-table");
    for (const [rows, pattern] of [[countries, /^[A-Z]{2} \S/], [networks, /^AS\d+/]] as const) {
      assert.ok(rows.length > 0 && rows.length <= 10, JSON.stringify(rows));
      assert.ok(rows.every((row) => pattern.test(row.value)), JSON.stringify(rows));
      const counts = rows.map((row) => Number(row.count));
      assert.deepEqual(counts, [...counts].sort((a, b) => b - a), "most frequent first");
      assert.deepEqual(rows.map((row) => row.rank), rows.map((_, i) => String(i + 1)));
    }
    await waitUntil(async () => allEventsCounted().test(await sensorStatus()), "the end of the replay");
    await runtime.request("POST", "/test/score", {
      src_ip: "192.0.2.44", time: new Date().toISOString(), sensor: mainSensor,
      detection: { detector: "default", score: 0.1, threshold: 0.9, anomaly: false, warm: true },
      src_geo: { country: "ZZ", country_name: hostileCountry, asn: 4_200_000_000, as_org: hostileNetwork },
    });
    await waitUntil(async () => (await tableRows("networks-table")).some((row) => row.value === `AS4200000000 ${hostileNetwork}`), "the hostile network, as text");
    await waitUntil(async () => (await tableRows("countries-table")).some((row) => row.value === `ZZ ${hostileCountry}`), "the hostile country name, as text");
  });

  it("shows a credential-stuffing campaign as one incident that counts its sources, with country and network", async function () {
    const at = Date.now() + 60_000;
    const sources = ["198.51.100.1", "198.51.100.2", "198.51.100.3"];
    for (const [n, ip] of sources.entries()) {
      await runtime.request("POST", "/test/alert", {
        schema: 2, id: `campaign-${n}`, time: new Date(at + n * 1000).toISOString(), src_ip: ip, type: "credential-stuffing", severity: "high",
        score: 0.99, count: 1, first_seen: new Date(at).toISOString(), last_seen: new Date(at + n * 1000).toISOString(), top_features: [],
        sensor: "campaign-sensor", summary: `${ip}: credential-stuffing`,
        src_geo: { country: "NL", country_name: "Netherlands", asn: 14061, as_org: hostileNetwork },
      });
    }
    const rows = await waitUntil(async () => {
      const shown = await tableRows("alerts-table");
      return shown[0]?.src_ip === "198.51.100.3 and 2 more" && shown;
    }, "the campaign as one row on top");
    assert.equal(rows.filter((row) => row.sensor === "campaign-sensor").length, 1, JSON.stringify(rows.slice(0, 4)));
    assert.equal(rows[0].count, "3", "the events of all three sources");
    assert.equal(rows[0].country, "NL Netherlands");
    assert.equal(rows[0].network, `AS14061 ${hostileNetwork}`, "the network name as literal text");
  });

  it("keeps every table inside its card on a 1366 or 1024 px screen: no count or column scrolled out of sight", async function () {
    // A malware drop's summary names its payload by hash: 71 characters with nowhere to wrap.
    const summary = `${bruteForcer}: malware-drop, 1 anomalous event; dropped sha256:${"e3b0c442".repeat(8)}`;
    await runtime.request("POST", "/test/alert", {
      schema: 1, id: "posted-hash", time: new Date().toISOString(), src_ip: bruteForcer, type: "malware-drop", severity: "high",
      score: 0.97, count: 1, first_seen: new Date().toISOString(), last_seen: new Date().toISOString(), top_features: [], sensor: mainSensor, summary,
    });
    await waitUntil(async () => (await tableRows("alerts-table")).some((row) => row.summary === summary), "the malware drop's hash in the alerts table");
    const scrolledOut = () => page.evaluate(() => Array.from(document.querySelectorAll("[id^=nrdb-ui-widget-] .v-table__wrapper"))
      .filter((wrapper) => wrapper.scrollWidth > wrapper.clientWidth + 1)
      .map((wrapper) => `${wrapper.closest("[id^=nrdb-ui-widget-]")?.id}: ${wrapper.scrollWidth} px wide in ${wrapper.clientWidth} px`));
    try {
      for (const width of [1366, 1024]) {
        await page.setViewportSize({ width, height: 1000 });
        // The grid lays its cards out again: a few looks, then what still scrolls is the finding.
        let found = await scrolledOut();
        for (let look = 0; look < 10 && found.length > 0; look++) {
          await page.waitForTimeout(200);
          found = await scrolledOut();
        }
        assert.deepEqual(found, [], `at ${width} px`);
      }
    } finally {
      await page.setViewportSize({ width: 1600, height: 1000 });
    }
  });

  it("ran nothing an attacker wrote", async function () {
    const injected = await page.evaluate(() => ({
      handlers: document.querySelectorAll("[onerror], [onload], [onclick]").length,
      images: Array.from(document.images).filter((img) => img.getAttribute("src") === "x").length,
      bold: Array.from(document.querySelectorAll("b")).filter((b) => b.textContent === "sensor").length,
      scripts: Array.from(document.scripts).filter((script) => script.textContent?.includes("alert(")).length,
    }));
    assert.deepEqual(injected, { handlers: 0, images: 0, bold: 0, scripts: 0 });
    assert.deepEqual(dialogs, [], "an alert() ran");
    assert.deepEqual(pageErrors, []);
    const errors = runtime.log.filter((line) => /\[error\]/.test(line));
    assert.deepEqual(errors, [], "the runtime logged errors");
    if (process.env.HONEYFLOW_SCREENSHOT === "1") {
      await page.screenshot({ path: path.join(__dirname, "..", "..", "docs", "dashboard.png"), fullPage: true });
    }
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
