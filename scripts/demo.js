// `npm start`: Node-RED with Honeyflow's nodes, Dashboard 2.0 and the bundled flows, fed by a
// sensor log that grows as a real cowrie.json does, stamped with the wall-clock time. When
// nothing listens on the MQTT port, an embedded broker (aedes) takes its place so that alerts
// have somewhere to go; without InfluxDB, `influx write` spools and says so in its status.
//
// The log (made once, by the same commands a user has): generated background traffic without
// attacks, with the botnet behind it replaced twice (the drift the dashboard should mark), and
// attacks drilled into it - five kinds 80 s apart as soon as the demo is live, then one of the
// six every 8 minutes. Its first 15 minutes are written at once, as the history a sensor has
// when Node-RED starts: enough for the detector's warm-up, so that the first live attack alerts.
const { spawn, execFileSync } = require("child_process");
const fs = require("fs");
const net = require("net");
const path = require("path");

const root = path.join(__dirname, "..");
const userDir = process.env.HONEYFLOW_DEMO_DIR ? path.resolve(process.env.HONEYFLOW_DEMO_DIR) : path.join(root, ".demo");
const port = Number(process.env.HONEYFLOW_DEMO_PORT || 1880);
const url = `http://127.0.0.1:${port}`;
const cli = path.join(root, "dist", "src", "cli", "honeyflow.js");
const demoLog = path.join(userDir, "demo-log.json");
const liveLog = path.join(userDir, "cowrie.json");
const demoFlows = ["full-pipeline.json", "dashboard.json", "rest-api.json"].map((name) => path.join(root, "examples", name));
const mqttUrl = new URL(process.env.HONEYFLOW_MQTT_URL || "mqtt://127.0.0.1:1883");

const children = [];
function run(command, args, options = {}) {
  const child = spawn(command, args, { stdio: "inherit", ...options });
  children.push(child);
  return child;
}
function stopAll(code) {
  for (const child of children) child.kill("SIGTERM");
  setTimeout(() => process.exit(code), 500).unref();
}
process.on("SIGINT", () => stopAll(0));
process.on("SIGTERM", () => stopAll(0));

function installIntoUserDir() {
  // Node-RED loads palette modules from <userDir>/node_modules; a link to this checkout is
  // the same as `npm install` for the demo, and picks up each rebuild.
  const link = path.join(userDir, "node_modules", "@honeyflow", "node-red-honeyflow");
  fs.mkdirSync(path.dirname(link), { recursive: true });
  fs.rmSync(link, { recursive: true, force: true });
  fs.symlinkSync(root, link, "dir");
  const dashboard = path.join(userDir, "node_modules", "@flowfuse", "node-red-dashboard");
  fs.mkdirSync(path.dirname(dashboard), { recursive: true });
  fs.rmSync(dashboard, { recursive: true, force: true });
  fs.symlinkSync(path.dirname(require.resolve("@flowfuse/node-red-dashboard/package.json")), dashboard, "dir");
  fs.writeFileSync(path.join(userDir, "settings.js"), `module.exports = ${JSON.stringify({
    uiHost: "127.0.0.1",
    flowFile: "flows.json",
    credentialSecret: "honeyflow-demo",
    editorTheme: { tours: false, projects: { enabled: false } },
    telemetry: { enabled: false },
    // The dashboard's function nodes keep their tables in context: on disk, so they outlive a restart.
    contextStorage: { default: { module: "localfilesystem" } },
  }, null, 2)};\n`);
}

async function waitForAdminApi(nodeRed) {
  for (let attempt = 0; attempt < 300; attempt++) {
    if (nodeRed.exitCode !== null) throw new Error(`Node-RED exited with code ${nodeRed.exitCode} (is port ${port} in use?)`);
    try {
      if ((await fetch(`${url}/settings`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error("Node-RED did not answer within 60 s");
}

/** True when something accepts TCP connections on host:port. */
function listening(host, port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.once("connect", () => { socket.destroy(); resolve(true); });
    socket.once("error", () => resolve(false));
  });
}

async function startEmbeddedBrokerIfNeeded() {
  const host = mqttUrl.hostname;
  const port = Number(mqttUrl.port || 1883);
  if (await listening(host, port)) {
    console.log(`demo: using the MQTT broker at ${mqttUrl.href}`);
    return;
  }
  const aedes = require("aedes").createBroker();
  // Without Nagle's algorithm: an alert would otherwise wait up to 40 ms for a delayed ACK.
  const server = net.createServer({ noDelay: true }, aedes.handle);
  await new Promise((resolve, reject) => server.once("error", reject).listen(port, host, resolve));
  console.log(`demo: no MQTT broker on ${host}:${port}; started an embedded one (aedes)`);
}

async function deployBundledFlows() {
  const flows = demoFlows.flatMap((file) => JSON.parse(fs.readFileSync(file, "utf8")));
  const response = await fetch(`${url}/flows`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "Node-RED-Deployment-Type": "full" },
    body: JSON.stringify(flows),
  });
  if (!response.ok) throw new Error(`deploying the demo flows failed: ${response.status} ${await response.text()}`);
}

/** Minutes of history written at once: the detector's warm-up (2,000 events) at the background's 3 events/s. */
const BACKLOG_MINUTES = 15;
const LOG_START = "2026-03-18T00:00:00Z";
const at = (minutes) => new Date(Date.parse(LOG_START) + minutes * 60_000).toISOString();
/** The commands that make the demo log; a change to them makes it anew. */
const DEMO_LOG_RECIPE = [
  ["generate", "--events", "40000", "--rate", "3", "--seed", "demo", "--episodes", "0", "--start", LOG_START,
    "--regime-change", "70m", "--regime-change", "150m", "--out", "background.json"],
  // The seed picks the first round's order: a malware drop first, as it alerts on its first run.
  ["drill", "--input", "background.json", "--out", "first-round.json", "--seed", "demo-3", "--types",
    "brute-force,credential-stuffing,port-scan/tunnel,malware-drop,unusual-behaviour", "--episodes", "5",
    "--intensity", "mid", "--start", at(BACKLOG_MINUTES + 0.25), "--every", "80s", "--gap", "15s"],
  ["drill", "--input", "first-round.json", "--out", "demo-log.json", "--seed", "demo-later", "--episodes", "20",
    "--intensity", "mid", "--start", at(BACKLOG_MINUTES + 14), "--every", "8m", "--gap", "2m"],
];

function makeDemoLog() {
  const recipeFile = path.join(userDir, "demo-log.recipe.json");
  const recipe = JSON.stringify(DEMO_LOG_RECIPE);
  if (fs.existsSync(demoLog) && fs.existsSync(recipeFile) && fs.readFileSync(recipeFile, "utf8") === recipe) return;
  console.log("demo: writing a sensor log with drilled attacks...");
  for (const step of DEMO_LOG_RECIPE) {
    execFileSync(process.execPath, [cli, ...step], { cwd: userDir, stdio: ["ignore", "ignore", "inherit"] });
  }
  // Each drill labels its own episodes; the first round's lines all come before the second's, so
  // their line numbers hold in the final log, and `honeyflow eval --input demo-log.json` sees all.
  const labelsOf = (file) => JSON.parse(fs.readFileSync(path.join(userDir, `${file}.labels.json`), "utf8"));
  fs.writeFileSync(`${demoLog}.labels.json`, JSON.stringify([...labelsOf("first-round.json"), ...labelsOf("demo-log.json")], null, 2) + "\n");
  fs.writeFileSync(recipeFile, recipe);
}

async function main() {
  fs.mkdirSync(userDir, { recursive: true });
  installIntoUserDir();
  await startEmbeddedBrokerIfNeeded();
  makeDemoLog();
  // A fresh live log, fresh models and fresh context (the dashboard's tables, the REST API's lists
  // and counts) each run: the replay below is the sensor's whole history, and the show is the same
  // every time.
  fs.rmSync(liveLog, { force: true });
  for (const kept of ["honeyflow", "context"]) fs.rmSync(path.join(userDir, kept), { recursive: true, force: true });

  // Node-RED embedded behind the REST API's body limit (scripts/demo-body-limit.js).
  const nodeRed = run(process.execPath, [path.join(__dirname, "demo-node-red.js"), userDir, String(port), path.join(userDir, "settings.js")], {
    env: { ...process.env, HONEYFLOW_DEMO: "1", HONEYFLOW_COWRIE_LOG: liveLog, HONEYFLOW_MQTT_URL: mqttUrl.href },
  });
  nodeRed.on("exit", (code) => stopAll(code ?? 1));
  await waitForAdminApi(nodeRed);
  await deployBundledFlows();
  run(process.execPath, [cli, "replay", "--input", demoLog, "--retime", "--backlog", `${BACKLOG_MINUTES}m`, "--out", liveLog], { stdio: ["ignore", "ignore", "ignore"] });
  console.log(`\ndemo: Node-RED is running at ${url} - open it to watch the pipeline score the live log ${liveLog}`);
  console.log(`demo: the dashboard is at ${url}/dashboard; alerts go to ${mqttUrl.href} under honeyflow/alerts/#`);
  console.log("demo: Ctrl-C stops it\n");
}

main().catch((err) => {
  console.error(`demo: ${err.message}`);
  stopAll(1);
});
