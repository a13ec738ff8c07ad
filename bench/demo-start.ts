/**
 * `npm run bench:demo`: starts the demo the way the README does (`npm start`: build, demo log,
 * Node-RED, flows, replay), on free ports and in a fresh demo directory, listens on MQTT as a user
 * would, and prints the seconds from the start to Node-RED answering, to the first alert, to the
 * first alert about a fresh event (under a minute old: not the log's backlog), and to the first,
 * second and third kind of attack.
 *
 * The baseline in the same run is the start itself: how long the build and Node-RED take before
 * anything could alert. HONEYFLOW_BENCH_DEMO_MINUTES sets how long it listens (default 10).
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { connect } from "mqtt";
import { isAttackType } from "../src/domain/attack-types";
import { printFigures, type Figure } from "./figure";
import { PROJECT_ROOT } from "./project-root";

const LISTEN_MINUTES = Number(process.env.HONEYFLOW_BENCH_DEMO_MINUTES ?? 10);

interface SeenAlert {
  atSeconds: number;
  type: string;
  /** About an event under FRESH_MS old when it arrived: the live log, not its backlog. */
  fresh: boolean;
}

const FRESH_MS = 60_000;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().once("error", reject).listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function main(): Promise<void> {
  const [uiPort, mqttPort] = [await freePort(), await freePort()];
  const demoDir = fs.mkdtempSync(path.join(os.tmpdir(), "honeyflow-demo-bench-"));
  const startedMs = Date.now();
  const seconds = () => (Date.now() - startedMs) / 1000;
  const demo = spawn("npm", ["start"], {
    cwd: PROJECT_ROOT,
    detached: true,
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, HONEYFLOW_DEMO_DIR: demoDir, HONEYFLOW_DEMO_PORT: String(uiPort), HONEYFLOW_MQTT_URL: `mqtt://127.0.0.1:${mqttPort}` },
  });
  const stop = () => {
    try {
      process.kill(-(demo.pid as number), "SIGTERM");
    } catch {
      // already gone
    }
  };
  process.once("SIGINT", () => { stop(); process.exit(130); });

  const alerts: SeenAlert[] = [];
  // The embedded broker starts after the build; the client keeps trying until it is there.
  const client = connect(`mqtt://127.0.0.1:${mqttPort}`, { reconnectPeriod: 250, connectTimeout: 2000 });
  client.on("error", () => undefined);
  client.on("connect", () => client.subscribe("honeyflow/alerts/#", { qos: 1 }));
  client.on("message", (_topic, payload) => {
    const alert = JSON.parse(payload.toString()) as { type?: string; time?: string };
    const fresh = Date.now() - Date.parse(alert.time ?? "") < FRESH_MS;
    alerts.push({ atSeconds: seconds(), type: String(alert.type), fresh });
    process.stderr.write(`bench demo: ${seconds().toFixed(1)} s  ${alert.type}${fresh ? "" : " (backlog)"}\n`);
  });

  let answeredSeconds: number | undefined;
  const deadline = startedMs + LISTEN_MINUTES * 60_000;
  while (Date.now() < deadline && demo.exitCode === null) {
    if (answeredSeconds === undefined) {
      try {
        if ((await fetch(`http://127.0.0.1:${uiPort}/settings`)).ok) answeredSeconds = seconds();
      } catch {
        // not listening yet
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  stop();
  client.end(true);
  if (demo.exitCode === null) await new Promise((resolve) => demo.once("exit", resolve));
  // Node-RED, a grandchild, may still be saving its context as the directory goes.
  setTimeout(() => fs.rmSync(demoDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 }), 2000);
  if (answeredSeconds === undefined) throw new Error(`Node-RED never answered on port ${uiPort} (demo exit code ${demo.exitCode})`);

  const attacks = alerts.filter((a) => isAttackType(a.type));
  const firstOfEachKind = (seen: SeenAlert[]) => {
    const kinds: SeenAlert[] = [];
    for (const alert of seen) if (!kinds.some((k) => k.type === alert.type)) kinds.push(alert);
    return kinds;
  };
  const kinds = firstOfEachKind(attacks);
  const freshKinds = firstOfEachKind(attacks.filter((a) => a.fresh));
  const firstFresh = attacks.find((a) => a.fresh);
  const figure = (name: string, value: number | undefined): Figure | undefined =>
    value === undefined ? undefined : { bench: "demo", name, value, unit: "s", baseline: { name: "Node-RED answering", value: answeredSeconds as number }, ratio: value / (answeredSeconds as number) };
  const figures = [
    { bench: "demo", name: "npm start -> Node-RED answering (build included)", value: answeredSeconds, unit: "s" },
    figure("npm start -> first alert on MQTT", attacks[0]?.atSeconds),
    figure("npm start -> first alert on a fresh event", firstFresh?.atSeconds),
    ...kinds.slice(0, 3).map((k, i) => figure(`npm start -> kind ${i + 1} (${k.type})`, k.atSeconds)),
    ...freshKinds.slice(0, 3).map((k, i) => figure(`npm start -> kind ${i + 1} on fresh events (${k.type})`, k.atSeconds)),
    { bench: "demo", name: `alerts in ${LISTEN_MINUTES} min (backlog ones too)`, value: attacks.length, unit: "alerts" },
    { bench: "demo", name: `kinds of attack in ${LISTEN_MINUTES} min`, value: kinds.length, unit: "kinds" },
  ].filter((f): f is Figure => f !== undefined);
  printFigures(figures);
}

main().catch((err) => {
  console.error(`bench demo: ${(err as Error).message}`);
  process.exit(1);
});
