// `npm start`: Node-RED with Honeyflow's nodes, Dashboard 2.0 and the bundled flows, fed by a
// generated sensor log that grows at a steady pace, as a real cowrie.json does. When nothing
// listens on the MQTT port, an embedded broker (aedes) takes its place so that alerts have
// somewhere to go; without InfluxDB, `influx write` spools and says so in its status.
const { spawn, execFileSync } = require("child_process");
const fs = require("fs");
const net = require("net");
const path = require("path");

const root = path.join(__dirname, "..");
const userDir = path.join(root, ".demo");
const port = Number(process.env.HONEYFLOW_DEMO_PORT || 1880);
const url = `http://127.0.0.1:${port}`;
const cli = path.join(root, "dist", "src", "cli", "honeyflow.js");
const generatedLog = path.join(userDir, "generated.json");
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
    // pca and drift keep their models in node context: on disk, so they outlive a restart.
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

async function main() {
  fs.mkdirSync(userDir, { recursive: true });
  installIntoUserDir();
  await startEmbeddedBrokerIfNeeded();
  if (!fs.existsSync(generatedLog)) {
    console.log("demo: generating a sensor log with injected attacks...");
    execFileSync(process.execPath, [cli, "generate", "--events", "200000", "--seed", "1", "--rate", "5", "--out", generatedLog], { stdio: "inherit" });
  }
  // A fresh live log each run, so the replay below is the sensor's whole history.
  fs.rmSync(liveLog, { force: true });
  fs.rmSync(path.join(userDir, "honeyflow", "cowrie-in"), { recursive: true, force: true });

  const nodeRed = run(process.execPath, [require.resolve("node-red/red.js"), "--userDir", userDir, "--port", String(port), "--settings", path.join(userDir, "settings.js")], {
    env: { ...process.env, HONEYFLOW_COWRIE_LOG: liveLog, HONEYFLOW_MQTT_URL: mqttUrl.href },
  });
  nodeRed.on("exit", (code) => stopAll(code ?? 1));
  await waitForAdminApi(nodeRed);
  await deployBundledFlows();
  run(process.execPath, [cli, "replay", "--input", generatedLog, "--speed", "10", "--out", liveLog], { stdio: ["ignore", "ignore", "ignore"] });
  console.log(`\ndemo: Node-RED is running at ${url} - open it to watch the pipeline score the live log ${liveLog}`);
  console.log(`demo: the dashboard is at ${url}/dashboard; alerts go to ${mqttUrl.href} under honeyflow/alerts/#`);
  console.log("demo: Ctrl-C stops it\n");
}

main().catch((err) => {
  console.error(`demo: ${err.message}`);
  stopAll(1);
});
