/**
 * Window features: memory per tracked source IP, a scan storm of 1,000,000 distinct source IPs
 * streaming through the default 100,000-IP bound, brute-force bursts of 100,000 attempts from
 * one IP, and throughput on a generated sensor log against plain JSON.parse of the same lines.
 *
 *     node --expose-gc -r ts-node/register/transpile-only bench/window-features-memory.ts
 *
 * The storm runs in a child process whose V8 heap is capped (--max-old-space-size): state that
 * grew with the number of IPs seen would end it with an out-of-memory crash, and its RSS is
 * not inflated by the other phases. HONEYFLOW_BENCH_IPS sets the storm's distinct IPs (default
 * 1,000,000); HONEYFLOW_BENCH_QUICK=1 shrinks the other phases for a smoke run. Run by hand, it
 * prints every figure, then exits non-zero if a bound was broken; `npm run bench` runs it as a
 * child process (bench-process.ts) and gets the same report.
 */
import type { CanonicalEvent } from "../src/domain/canonical-event";
import { CowrieLogGenerator } from "../src/datasets/synth/cowrie/cowrie-log-generator";
import { FeatureRecord, WindowedEvent, WindowFeatures } from "../src/features/window-features";
import { benchInChildProcess, BenchReport, reportBench } from "./bench-process";
import { cleanedEvents } from "./cleaned-events";
import type { Figure } from "./figure";

const BENCH = "window-features";
const QUICK = Boolean(process.env.HONEYFLOW_BENCH_QUICK);
const PER_IP_SAMPLE = QUICK ? 20_000 : 100_000;
const GENERATED_LOG_LINES = QUICK ? 20_000 : 200_000;
const STORM_IPS = Number(process.env.HONEYFLOW_BENCH_IPS ?? 1_000_000);
const DEFAULT_MAX_IPS = 100_000;
/** The storm's V8 heap cap, and the RSS bound it promises with it. */
const STORM_HEAP_CAP_MB = 256;
const RSS_BOUND_MB = 400;
const START_MS = Date.UTC(2026, 2, 18, 0, 0, 0);

const gc = (globalThis as { gc?: () => void }).gc;

function heapAfterGc(): number {
  if (!gc) throw new Error("run with node --expose-gc (see the header of this file)");
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** The i-th address of a block of public IPv4 space, so that every i is a different source. */
function sourceIp(i: number): string {
  return `${45 + ((i >>> 24) & 0x7f)}.${(i >>> 16) & 0xff}.${(i >>> 8) & 0xff}.${i & 0xff}`;
}

function event(ip: string, timeMs: number, eventid: string, fields: Partial<CanonicalEvent> = {}): WindowedEvent {
  return { src_ip: ip, time_ms: timeMs, eventid, is_internal_ip: false, session: "bench", ...fields };
}

/** What one IP of a profile sends, starting at `t` ms. */
type Profile = (ip: string, t: number, i: number) => WindowedEvent[];

const scanner: Profile = (ip, t) => [event(ip, t, "cowrie.session.connect", { dst_port: 22 })];

const bruteForceSession: Profile = (ip, t, i) => [
  event(ip, t, "cowrie.session.connect", { dst_port: 22 }),
  event(ip, t + 20, "cowrie.client.version"),
  event(ip, t + 900, "cowrie.login.failed", { username: "root", password: `pw${i}` }),
  event(ip, t + 1900, "cowrie.login.failed", { username: "admin", password: `pw${i + 1}` }),
  event(ip, t + 2900, "cowrie.login.failed", { username: "ubuntu", password: `pw${i + 2}` }),
  event(ip, t + 4000, "cowrie.session.closed", { duration_ms: 4000 }),
];

/** Heap bytes per tracked IP: the heap's growth over PER_IP_SAMPLE IPs, after full GCs. */
function bytesPerIp(profile: Profile): number {
  const windows = new WindowFeatures({ maxTrackedIps: PER_IP_SAMPLE });
  const before = heapAfterGc();
  // 40 new IPs per second of event time: all of them stay tracked (2,500 s < the 1 h TTL).
  for (let i = 0; i < PER_IP_SAMPLE; i++) {
    for (const e of profile(sourceIp(i), START_MS + i * 25, i)) windows.update(e);
  }
  const after = heapAfterGc();
  if (windows.stats.trackedIps !== PER_IP_SAMPLE) throw new Error(`expected ${PER_IP_SAMPLE} tracked IPs, got ${windows.stats.trackedIps}`);
  return (after - before) / windows.stats.trackedIps;
}

/** The floor any per-IP table pays: the address string and a Map entry, nothing else. */
function bareMapBytesPerIp(): number {
  const map = new Map<string, number>();
  const before = heapAfterGc();
  for (let i = 0; i < PER_IP_SAMPLE; i++) map.set(sourceIp(i), i);
  const after = heapAfterGc();
  if (map.size !== PER_IP_SAMPLE) throw new Error("map lost entries");
  return (after - before) / map.size;
}

/** Scan storm: 2,000 new IPs a second of event time, each a connect and, a second later, one failed login. */
function scanStorm(): BenchReport {
  const windows = new WindowFeatures();
  const perSecond = 2000;
  let maxTracked = 0;
  let maxRss = 0;
  let events = 0;
  const started = process.hrtime.bigint();
  for (let i = 0; i < STORM_IPS + perSecond; i++) {
    const t = START_MS + (i * 1000) / perSecond;
    if (i < STORM_IPS) windows.update(event(sourceIp(i), t, "cowrie.session.connect", { dst_port: 22 }));
    const j = i - perSecond; // the IP that connected a second ago logs in now, keeping event time in order
    if (j >= 0) windows.update(event(sourceIp(j), t, "cowrie.login.failed", { username: "root", password: `pw${j % 5000}` }));
    events += (i < STORM_IPS ? 1 : 0) + (j >= 0 ? 1 : 0);
    if (i % 10_000 === 0) {
      maxTracked = Math.max(maxTracked, windows.stats.trackedIps);
      maxRss = Math.max(maxRss, process.memoryUsage().rss);
    }
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const { trackedIps, evictedLeastRecentlyUsed, outOfOrder } = windows.stats;
  maxTracked = Math.max(maxTracked, trackedIps);
  maxRss = Math.max(maxRss, process.memoryUsage().rss);
  const liveHeapMb = heapAfterGc() / 2 ** 20;
  const rssMb = maxRss / 2 ** 20;
  const broken: string[] = [];
  if (maxTracked > DEFAULT_MAX_IPS) broken.push(`tracked IPs reached ${maxTracked}, over the bound of ${DEFAULT_MAX_IPS}`);
  if (rssMb > RSS_BOUND_MB) broken.push(`RSS reached ${rssMb.toFixed(0)} MB, over the bound of ${RSS_BOUND_MB} MB`);
  if (outOfOrder !== 0) broken.push(`the storm is meant to be in time order, but ${outOfOrder} events were not`);
  const figures: Figure[] = [
    { bench: BENCH, name: "storm: distinct source IPs streamed", value: STORM_IPS, unit: "IPs" },
    { bench: BENCH, name: "storm: events/s", value: events / seconds, unit: "events/s" },
    { bench: BENCH, name: "storm: most IPs tracked at once", value: maxTracked, unit: `IPs (bound ${DEFAULT_MAX_IPS})` },
    { bench: BENCH, name: "storm: IPs evicted (LRU)", value: evictedLeastRecentlyUsed, unit: "IPs" },
    { bench: BENCH, name: "storm: peak RSS", value: rssMb, unit: `MB (bound ${RSS_BOUND_MB} MB, heap cap ${STORM_HEAP_CAP_MB} MB)` },
    { bench: BENCH, name: "storm: live heap at the end, after GC", value: liveHeapMb, unit: "MB" },
  ];
  return { figures, broken };
}

/** Runs the storm in a child process with a capped heap and collects its report. */
function scanStormInChild(): Promise<BenchReport> {
  return benchInChildProcess(__filename, ["--storm"], {
    execArgv: [`--max-old-space-size=${STORM_HEAP_CAP_MB}`],
    whenSilent: `out of its ${STORM_HEAP_CAP_MB} MB heap?`,
  });
}

/**
 * Brute-force bursts: `ips` IPs at once, each trying 250 different passwords a second. After
 * 400 s an IP has sent 100,000 attempts; its state stops growing once the 5 min window is full.
 */
function bruteForceBursts(ips: number): Figure[] {
  const windows = new WindowFeatures();
  const before = heapAfterGc();
  const figures: Figure[] = [];
  const started = process.hrtime.bigint();
  let attempts = 0;
  let last: FeatureRecord | undefined;
  for (let ms = 0; ms < 400_000; ms += 4) {
    for (let i = 0; i < ips; i++) {
      last = windows.update(event(`198.51.100.${i}`, START_MS + ms, "cowrie.login.failed", { username: `user${(ms / 4) % 300}`, password: `burst-${ms}` }));
    }
    attempts += 1;
    if (attempts === 25_000 || attempts === 75_000 || attempts === 100_000) {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      figures.push({ bench: BENCH, name: `burst: heap per IP after ${attempts.toLocaleString("en-US")} attempts (${ms / 1000 + 0.004} s)`, value: (heapAfterGc() - before) / ips, unit: "bytes/IP" });
      if (attempts === 100_000) figures.push({ bench: BENCH, name: "burst: events/s", value: (attempts * ips) / seconds, unit: "events/s" });
    }
  }
  if (windows.stats.trackedIps !== ips) throw new Error(`expected ${ips} tracked IPs`);
  figures.push({ bench: BENCH, name: "burst: unique_passwords_5m (true 75,000)", value: last?.features.unique_passwords_5m ?? NaN, unit: "passwords" });
  return figures;
}

function generatedLogThroughput(lines: number): Figure[] {
  const text = [...new CowrieLogGenerator({ events: lines, seed: "bench", rate: 50 })].map((l) => l.line);
  const parseAll = () => text.map((line) => JSON.parse(line) as Record<string, unknown>);
  parseAll(); // warm-up, so that the baseline is not measured cold
  let started = process.hrtime.bigint();
  parseAll();
  const parsePerSecond = lines / (Number(process.hrtime.bigint() - started) / 1e9);
  const events = cleanedEvents(text);
  const windows = new WindowFeatures();
  started = process.hrtime.bigint();
  for (const e of events) windows.update(e);
  const perSecond = events.length / (Number(process.hrtime.bigint() - started) / 1e9);
  return [
    {
      bench: BENCH, name: `generated log (${lines.toLocaleString("en-US")} lines): events/s`, value: perSecond, unit: "events/s",
      baseline: { name: "JSON.parse", value: parsePerSecond }, ratio: perSecond / parsePerSecond,
    },
  ];
}

async function main(): Promise<void> {
  if (process.argv.includes("--storm")) {
    reportBench(scanStorm());
    return;
  }
  // The storm first, while this process is small: forking copies nothing, but it is fairer to time it alone.
  const storm = await scanStormInChild();
  const bare = bareMapBytesPerIp();
  const perIp = (name: string, profile: Profile): Figure => {
    const value = bytesPerIp(profile);
    return { bench: BENCH, name, value, unit: "bytes/IP", baseline: { name: "bare Map<ip, number>", value: bare }, ratio: value / bare };
  };
  reportBench({
    figures: [
      ...storm.figures,
      { bench: BENCH, name: "bare Map<ip, number> entry", value: bare, unit: "bytes/IP" },
      perIp("tracked IP: scanner (1 connect)", scanner),
      perIp("tracked IP: brute-force session (6 events)", bruteForceSession),
      ...(QUICK ? [] : bruteForceBursts(10)),
      ...generatedLogThroughput(GENERATED_LOG_LINES),
    ],
    broken: storm.broken,
  });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
