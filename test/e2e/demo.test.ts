/**
 * The demo as the README starts it (`scripts/demo.js`, what `npm start` runs after the build), in
 * a fresh demo directory on free ports: its alerts arrive on MQTT about events of the live log
 * (not only its backlog), and the dashboard shows them in headless Chromium. How soon is measured
 * by `npm run bench:demo`, not asserted here.
 */
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import * as os from "node:os";
import * as path from "node:path";
import { connect, type MqttClient } from "mqtt";
import { chromium, type Browser } from "playwright-core";
import { freePorts } from "../support/free-port";
import { requireExecutable } from "../support/service-requirement";

const root = path.join(__dirname, "..", "..");

/** The largest body the rest-api flow takes: its predict node refuses a longer one itself (below). */
const FLOW_BODY_LIMIT = 1_048_576;

interface PostOutcome {
  status?: number;
  contentType?: string;
  body?: string;
  /** Bytes of the body the client wrote before it had its answer or the connection closed. */
  written: number;
}

/**
 * POSTs to the demo's `path` a body of `declared` bytes by Content-Length, or chunked when left out,
 * writing 64 KiB at a time as fast as the connection takes them, at most `cap` bytes, and never
 * ending it: only an answer the server gives before the body is over, or its closing the
 * connection, ends the request. Fails after `ms` without either.
 */
function postUnendingBody(port: number, path: string, cap: number, ms: number, declared?: number): Promise<PostOutcome> {
  return new Promise((resolve, reject) => {
    const outcome: PostOutcome = { written: 0 };
    const headers: Record<string, string | number> = { "Content-Type": "application/json" };
    if (declared !== undefined) headers["Content-Length"] = declared;
    const request = http.request({ host: "127.0.0.1", port, path, method: "POST", headers });
    const timer = setTimeout(() => {
      request.destroy();
      reject(new Error(`no answer within ${ms / 1000} s, ${outcome.written} bytes written`));
    }, ms);
    const finish = () => {
      clearTimeout(timer);
      request.destroy();
      resolve(outcome);
    };
    const piece = Buffer.alloc(65_536, "a");
    const write = () => {
      while (outcome.written + piece.length <= cap && !request.destroyed) {
        outcome.written += piece.length;
        if (!request.write(piece)) return void request.once("drain", write);
      }
    };
    request.on("response", (response) => {
      outcome.status = response.statusCode;
      outcome.contentType = response.headers["content-type"];
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => { body += chunk; });
      response.on("end", () => { outcome.body = body; finish(); });
      response.on("error", finish);
    });
    // The server closing the connection while the body is still being written.
    request.on("error", () => { if (outcome.status === undefined) finish(); });
    write();
  });
}

interface ReceivedAlert {
  topic: string;
  alert: { id: string; type: string; src_ip: string; time: string; severity: string };
  receivedMs: number;
}

describe("the demo (npm start)", function () {
  this.timeout(300_000);
  let demoDir: string;
  const EARLIER_EVENTS = 9_000_000;
  let demo: ChildProcess | undefined;
  let client: MqttClient | undefined;
  let browser: Browser | undefined;
  let uiPort: number;
  const alerts: ReceivedAlert[] = [];
  let output = "";

  /** Resolves with the first alert `accept` takes, or fails after `ms` with what arrived. */
  async function alertWhere(accept: (a: ReceivedAlert) => boolean, ms: number, description: string): Promise<ReceivedAlert> {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = alerts.find(accept);
      if (found) return found;
      if (demo?.exitCode !== null) assert.fail(`the demo exited (${demo?.exitCode}) before ${description}:\n${output.slice(-3000)}`);
      if (Date.now() > deadline) assert.fail(`no ${description} within ${ms / 1000} s; alerts so far: ${JSON.stringify(alerts.map((a) => a.alert.type))}\n${output.slice(-3000)}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  before(async function () {
    const executablePath = requireExecutable(this, "chromium");
    assert.ok(fs.existsSync(path.join(root, "dist", "src", "cli", "honeyflow.js")), "build first (npm run build)");
    demoDir = fs.mkdtempSync(path.join(os.tmpdir(), "honeyflow-demo-"));
    // An earlier run's context, as the demo's on-disk store keeps it: a restarted demo starts afresh.
    fs.mkdirSync(path.join(demoDir, "context", "honeyflow-api-tab"), { recursive: true });
    fs.writeFileSync(path.join(demoDir, "context", "honeyflow-api-tab", "flow.json"), JSON.stringify({ honeyflow_api_events: EARLIER_EVENTS, honeyflow_api_alert_count: 0 }));
    let mqttPort: number, influxPort: number;
    [uiPort, mqttPort, influxPort] = await freePorts(3);
    demo = spawn(process.execPath, [path.join(root, "scripts", "demo.js")], {
      cwd: root,
      detached: true,
      // Nothing listens on these MQTT and InfluxDB ports: the demo starts its embedded broker and spools.
      env: { ...process.env, HONEYFLOW_DEMO_DIR: demoDir, HONEYFLOW_DEMO_PORT: String(uiPort), HONEYFLOW_MQTT_URL: `mqtt://127.0.0.1:${mqttPort}`, HONEYFLOW_INFLUX_URL: `http://127.0.0.1:${influxPort}` },
      stdio: ["ignore", "pipe", "pipe"],
    });
    demo.stdout?.on("data", (chunk: Buffer) => { output += chunk.toString(); });
    demo.stderr?.on("data", (chunk: Buffer) => { output += chunk.toString(); });
    client = connect(`mqtt://127.0.0.1:${mqttPort}`, { reconnectPeriod: 250, connectTimeout: 2000 });
    client.on("error", () => undefined);
    client.on("connect", () => client?.subscribe("honeyflow/alerts/#", { qos: 1 }));
    client.on("message", (topic, payload) => alerts.push({ topic, alert: JSON.parse(payload.toString()), receivedMs: Date.now() }));
    browser = await chromium.launch({ executablePath, args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
  });

  after(async () => {
    client?.end(true);
    await browser?.close();
    if (demo?.pid && demo.exitCode === null) {
      const exited = new Promise((resolve) => demo?.once("exit", resolve));
      process.kill(-demo.pid, "SIGTERM");
      await exited;
    }
    if (demoDir) fs.rmSync(demoDir, { recursive: true, force: true, maxRetries: 5 });
  });

  it("publishes alerts about the live log's attacks on MQTT, stamped with the time they happened", async () => {
    // Fresh: the event it is about happened less than a minute before it arrived (retimed replay).
    const fresh = await alertWhere((a) => a.receivedMs - Date.parse(a.alert.time) < 60_000 && a.alert.type !== "sensor-silence", 240_000, "alert about a fresh event");
    assert.match(fresh.topic, /^honeyflow\/alerts\/[a-z/-]+\/(low|medium|high)$/);
    assert.ok(Math.abs(fresh.receivedMs - Date.parse(fresh.alert.time)) < 60_000, "the event's time is the wall clock's");
  });

  it("starts afresh: the REST API counts this run's events, not an earlier run's", async () => {
    const health = await (await fetch(`http://127.0.0.1:${uiPort}/honeyflow/health`)).json() as { events: number };
    assert.ok(health.events > 0 && health.events < EARLIER_EVENTS, JSON.stringify(health));
  });

  /** Waits for the demo's REST API to answer (the flows deployed). */
  async function restApiAnswers(): Promise<void> {
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      if (demo?.exitCode !== null) assert.fail(`the demo exited (${demo?.exitCode}):\n${output.slice(-3000)}`);
      const answer = await fetch(`http://127.0.0.1:${uiPort}/honeyflow/health`).catch(() => undefined);
      if (answer?.ok) return;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    assert.fail(`the demo's REST API did not answer within 120 s:\n${output.slice(-3000)}`);
  }

  it("refuses a body declared over the REST flow's limit with its 413 too-large, before reading it", async () => {
    await restApiAnswers();
    const flow = JSON.parse(fs.readFileSync(path.join(root, "examples", "rest-api.json"), "utf8")) as Array<{ id: string; func?: string }>;
    assert.match(flow.find((node) => node.id === "honeyflow-api-validate")?.func ?? "", new RegExp(`event\\.length > ${FLOW_BODY_LIMIT}\\)`), "the demo's limit is the flow's");
    // Node-RED's http in node used to read a raw body whole before the flow could refuse it.
    for (const route of ["/honeyflow/predict", "/honeyflow/update"]) {
      const refused = await postUnendingBody(uiPort, route, 4 * 65_536, 15_000, 400 * 1024 * 1024);
      assert.equal(refused.status, 413, route);
      assert.match(refused.contentType ?? "", /^application\/json/);
      assert.deepEqual(JSON.parse(refused.body ?? ""), { error: "too-large", detail: `a body of ${400 * 1024 * 1024} bytes exceeds the limit of ${FLOW_BODY_LIMIT}` });
    }
  });

  it("refuses an oversized body to a REST route named by an absolute URL, which Node-RED routes as its path", async () => {
    await restApiAnswers();
    // `POST http://host/honeyflow/predict` (a proxy's request form): Node's parser takes it, and
    // Express and Node-RED's raw body reader route it by its path.
    for (const target of [`http://127.0.0.1:${uiPort}/honeyflow/predict`, `x://h//honeyflow/update?q`]) {
      const refused = await postUnendingBody(uiPort, target, 64 * 1024 * 1024, 30_000, 400 * 1024 * 1024);
      assert.equal(refused.status, 413, `${target}: ${JSON.stringify({ ...refused, body: refused.body?.slice(0, 200) })}`);
      assert.equal((JSON.parse(refused.body ?? "") as { error: string }).error, "too-large");
    }
  });

  it("stops reading a chunked body to the REST API once it passes the limit, and takes one under it", async () => {
    await restApiAnswers();
    // Loopback buffers hold a few MiB: a server that reads on takes all 64 MiB and never answers.
    const cap = 64 * 1024 * 1024;
    const refused = await postUnendingBody(uiPort, "/honeyflow/predict", cap, 30_000);
    assert.equal(refused.status, 413, JSON.stringify(refused));
    assert.ok(refused.written < cap, `the client wrote all ${refused.written} bytes: the server read on`);
    assert.equal((JSON.parse(refused.body ?? "") as { error: string }).error, "too-large");

    // Under the limit, a chunked body reaches the flow whole.
    const event = {
      eventid: "cowrie.login.failed", timestamp: new Date().toISOString().replace("Z", "000Z"), session: "c0ffee000001",
      src_ip: "198.51.100.90", sensor: "demo-chunked", message: "login attempt [root/root] failed", username: "root", password: "root",
      padding: "x".repeat(FLOW_BODY_LIMIT / 2),
    };
    const scored = await new Promise<{ status?: number; body: string }>((resolve, reject) => {
      const request = http.request({ host: "127.0.0.1", port: uiPort, path: "/honeyflow/predict", method: "POST", headers: { "Content-Type": "application/json" } }, (response) => {
        let body = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => { body += chunk; });
        response.on("end", () => resolve({ status: response.statusCode, body }));
      });
      request.on("error", reject);
      const text = JSON.stringify(event);
      for (let at = 0; at < text.length; at += 65_536) request.write(text.slice(at, at + 65_536));
      request.end();
    });
    assert.equal(scored.status, 200, scored.body);
    assert.equal(typeof (JSON.parse(scored.body) as { score: unknown }).score, "number");
  });

  it("shows them in the dashboard's alerts table, newest first, with their country", async () => {
    const page = await (browser as Browser).newPage({ viewport: { width: 1600, height: 1000 } });
    await page.goto(`http://127.0.0.1:${uiPort}/dashboard/honeyflow`);
    const rows = page.locator("#nrdb-ui-widget-honeyflow-dashboard-alerts-table tbody tr");
    const shown = async () => rows.evaluateAll((trs) => trs.map((tr) =>
      Object.fromEntries(Array.from(tr.querySelectorAll("td[data-column-key]")).map((td) => [td.getAttribute("data-column-key"), td.textContent?.trim() ?? ""]))));
    const deadline = Date.now() + 120_000;
    let table: Array<Record<string, string>> = [];
    // The table keeps the newest 50 that arrived since the flows were deployed; the page shows them on opening.
    while (Date.now() < deadline) {
      table = await shown();
      if (table.some((row) => alerts.some((a) => a.alert.src_ip === row.src_ip))) break;
      await page.waitForTimeout(500);
    }
    assert.ok(table.some((row) => alerts.some((a) => a.alert.src_ip === row.src_ip)), `no alert from MQTT in the table: ${JSON.stringify(table.slice(0, 5))}`);
    const times = table.map((row) => row.time);
    assert.deepEqual(times, [...times].sort().reverse(), "newest first");
    assert.ok(table.some((row) => /^[A-Z]{2}\b/.test(row.country ?? "")), `a country on some row: ${JSON.stringify(table.slice(0, 5))}`);
    // The demo says what drives the page (the group is hidden on a sensor's own Node-RED).
    await page.locator("#nrdb-ui-widget-honeyflow-dashboard-about-text").getByText("demo sensor").waitFor({ timeout: 30_000 });
    await page.close();
  });
});
