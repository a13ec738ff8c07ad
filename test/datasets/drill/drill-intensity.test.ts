import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { drillAttacks } from "../../../src/datasets/drill/attack-drill";
import type { EpisodeIntensity } from "../../../src/datasets/drill/drill-intensity";
import type { AttackEpisodeLabel, AttackType } from "../../../src/domain/attack-types";
import { cowrieTimestampToEpochMs } from "../../../src/ingest/cowrie-timestamp";
import { builtBackground } from "./built-background";

type CowrieEvent = Record<string, unknown> & { timeMs: number };

/** What the SOC rule for each type counts, in its window, at its most. */
const RULE_MEASURES: Record<AttackType, (events: CowrieEvent[], log: CowrieEvent[]) => number> = {
  // Failed logins from one source in 60 s.
  "brute-force": (events) => mostInWindow(events.filter((e) => e.eventid === "cowrie.login.failed"), 60_000, () => 1),
  // Sources trying one credential pair in 5 minutes.
  "credential-stuffing": (events) => {
    const sourcesOfPair = new Map<string, Set<unknown>>();
    for (const e of events.filter((e) => e.eventid === "cowrie.login.failed")) {
      const pair = `${String(e.username)}\u0000${String(e.password)}`;
      sourcesOfPair.set(pair, (sourcesOfPair.get(pair) ?? new Set()).add(e.src_ip));
    }
    return Math.max(...[...sourcesOfPair.values()].map((s) => s.size));
  },
  // Distinct tunnel ports from one source in 60 s.
  "port-scan/tunnel": (events) => new Set(events.filter((e) => e.eventid === "cowrie.direct-tcpip.request").map((e) => e.dst_port)).size,
  // The sensor's busiest minute during the spike, as a multiple of its median busy minute.
  "traffic-spike": (events, log) => {
    const perMinute = countPerMinute(log);
    const busiest = Math.max(...events.map((e) => perMinute.get(Math.floor(e.timeMs / 60_000)) ?? 0));
    return busiest / median([...countPerMinute(log.filter((e) => !e.drilled)).values()]);
  },
  // Downloads in a session that then makes them executable.
  "malware-drop": (events) => events.filter((d) => d.eventid === "cowrie.session.file_download" &&
    events.some((e) => e.session === d.session && e.timeMs > d.timeMs && /^chmod /.test(String(e.input)))).length,
  // Commands typed.
  "unusual-behaviour": (events) => events.filter((e) => e.eventid === "cowrie.command.input").length,
};

/**
 * What a low episode reaches: at least what the rule needs, and not far beyond (credential
 * stuffing's low is 25 sources, five times the rule's 5).
 */
const LOW_BANDS: Record<AttackType, readonly [number, number]> = {
  "brute-force": [20, 40], "credential-stuffing": [5, 30], "port-scan/tunnel": [10, 20], "traffic-spike": [10, 30], "malware-drop": [1, 1], "unusual-behaviour": [5, 8],
};

// 1.x writes an SSH client's handshake as one event where 3.x writes two: a spike's size in events must hold for both.
for (const style of ["ssh-3.x", "ssh-1.x"] as const) describe(`drill intensities on a ${style} log`, () => {
  let dir: string;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "honeyflow-drill-intensity-"));
    fs.writeFileSync(path.join(dir, "real.json"), builtBackground(style, 1500));
  });

  after(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function measures(intensity: EpisodeIntensity): Promise<Map<AttackType, number>> {
    const file = path.join(dir, `${intensity}.json`);
    const { log } = await drillAttacks({ files: [path.join(dir, "real.json")], out: fs.createWriteStream(file), seed: "5", episodes: 6, intensity });
    const drilledIps = new Set(log.labels.flatMap((l) => l.src_ips));
    const events = fs.readFileSync(file, "utf8").trim().split("\n").map((line) => {
      const event = JSON.parse(line) as CowrieEvent;
      return { ...event, timeMs: cowrieTimestampToEpochMs(event.timestamp as string) as number, drilled: drilledIps.has(event.src_ip as string) };
    });
    return new Map(log.labels.map((label) => [label.type, RULE_MEASURES[label.type](linesOf(label, events), events)]));
  }

  it("low just reaches what a hand-written SOC rule catches, and high goes far beyond it", async () => {
    const low = await measures("low");
    const high = await measures("high");
    for (const [type, [least, most]] of Object.entries(LOW_BANDS) as [AttackType, readonly [number, number]][]) {
      const [atLow, atHigh] = [low.get(type) as number, high.get(type) as number];
      assert.ok(atLow >= least && atLow <= most, `${type} at low: ${atLow}, the rule needs ${least}`);
      assert.ok(atHigh > atLow, `${type} at high: ${atHigh}, at low ${atLow}`);
    }
  });
});

function linesOf(label: AttackEpisodeLabel, events: CowrieEvent[]): CowrieEvent[] {
  const sources = new Set(label.src_ips);
  return events.slice(label.first_line - 1, label.last_line).filter((e) => sources.has(e.src_ip as string));
}

function mostInWindow(events: CowrieEvent[], windowMs: number, weight: (e: CowrieEvent) => number): number {
  let most = 0;
  for (let i = 0, j = 0, sum = 0; i < events.length; i++) {
    sum += weight(events[i]);
    while (events[i].timeMs - events[j].timeMs > windowMs) sum -= weight(events[j++]);
    most = Math.max(most, sum);
  }
  return most;
}

function countPerMinute(events: CowrieEvent[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const e of events) counts.set(Math.floor(e.timeMs / 60_000), (counts.get(Math.floor(e.timeMs / 60_000)) ?? 0) + 1);
  return counts;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
