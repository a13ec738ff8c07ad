/**
 * Busier sensors made from real ones, as backgrounds for bench:detection: ../shared/data holds
 * quiet sensors (hundreds to a couple of thousand events a day), while SPEC's busy sensor writes
 * 20-200 MB a day and the detector is judged on sensors it never sees. Two ways, both keeping
 * every line's fields and moving only its time (and, merged, its sensor's name):
 * - folded: a log's days laid onto fewer days, so that each source behaves as it did while the
 *   sensor's minutes hold several days' sources;
 * - merged: several sensors' logs as one sensor's, each moved by whole days onto the first one's
 *   first day (an SSH and a telnet sensor as one honeypot serving both, as T-Pot runs Cowrie).
 *
 *     foldOntoDays(lines, 2);          // nine days of a log within two, hour of day kept
 *     mergeIntoOneSensor([aws, telnet]);
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { cowrieTimestampToEpochMs, epochMsToCowrieTimestamp } from "../src/ingest/cowrie-timestamp";

const DAY_MS = 86_400_000;

interface TimedEvent {
  timeMs: number;
  event: Record<string, unknown>;
}

/** The lines' events with their times, in time order. */
function timedEvents(lines: readonly string[]): TimedEvent[] {
  const events: TimedEvent[] = [];
  for (const line of lines) {
    if (line.trim() === "") continue;
    const event = JSON.parse(line) as Record<string, unknown>;
    const timeMs = typeof event.timestamp === "string" ? cowrieTimestampToEpochMs(event.timestamp) : undefined;
    if (timeMs !== undefined) events.push({ timeMs, event });
  }
  return events.sort((a, b) => a.timeMs - b.timeMs);
}

function firstDayMs(events: readonly TimedEvent[]): number {
  const first = events.reduce((least, e) => Math.min(least, e.timeMs), Infinity);
  return Math.floor(first / DAY_MS) * DAY_MS;
}

/** The events as lines in time order, each stamped with its new time. */
function linesOf(events: TimedEvent[]): string[] {
  return events
    .sort((a, b) => a.timeMs - b.timeMs)
    .map(({ timeMs, event }) => JSON.stringify({ ...event, timestamp: epochMsToCowrieTimestamp(timeMs) }));
}

/**
 * The log's days laid onto `days` days from its first: day d goes onto day d mod `days`. A source
 * that comes back in a later lap gets an address of its own there (one the log never uses), so
 * that a bot returning at the same hour on another day does not become one source running twice
 * the sessions at once.
 */
export function foldOntoDays(lines: readonly string[], days: number): string[] {
  const events = timedEvents(lines);
  const start = firstDayMs(events);
  const span = days * DAY_MS;
  const used = new Set(events.map(({ event }) => event.src_ip));
  const firstLap = new Map<unknown, number>();
  const renamed = new Map<string, string>();
  let next = 0;
  const freshAddress = () => {
    let address: string;
    do address = `45.${(next >> 16) & 255}.${(next >> 8) & 255}.${next++ & 255}`;
    while (used.has(address));
    return address;
  };
  return linesOf(events.map(({ timeMs, event }) => {
    const lap = Math.floor((timeMs - start) / span);
    const source = event.src_ip;
    if (!firstLap.has(source)) firstLap.set(source, lap);
    const moved = { timeMs: start + ((timeMs - start) % span), event };
    if (firstLap.get(source) === lap || typeof source !== "string") return moved;
    const key = `${source} ${lap}`;
    if (!renamed.has(key)) renamed.set(key, freshAddress());
    return { ...moved, event: { ...event, src_ip: renamed.get(key) } };
  }));
}

/** The logs as one sensor's: each moved by whole days onto the first log's first day, under its sensor name. */
export function mergeIntoOneSensor(logs: ReadonlyArray<readonly string[]>): string[] {
  const all = logs.map(timedEvents);
  const start = firstDayMs(all[0]);
  const sensor = all[0][0]?.event.sensor;
  return linesOf(all.flatMap((events) => {
    const shift = start - firstDayMs(events);
    return events.map(({ timeMs, event }) => ({ timeMs: timeMs + shift, event: { ...event, sensor } }));
  }));
}

function spanDays(lines: readonly string[]): number {
  const times = timedEvents(lines).map((e) => e.timeMs);
  return (Math.max(...times) - Math.min(...times)) / DAY_MS;
}

/**
 * Writes the busier backgrounds made from `files` into `dir` and returns their paths: each log
 * folded onto a quarter of its days, all of them merged into one sensor, and that folded onto a
 * third of its days.
 */
export function writeBusierSensors(files: readonly string[], dir: string): string[] {
  const logs = files.map((file) => fs.readFileSync(file, "utf8").split("\n"));
  const written: string[] = [];
  const write = (name: string, lines: string[]) => {
    const out = path.join(dir, name);
    fs.writeFileSync(out, lines.join("\n") + "\n");
    written.push(out);
  };
  logs.forEach((lines, i) => {
    const days = Math.max(1, Math.round(spanDays(lines) / 4));
    write(`${path.basename(files[i], ".json")}.folded-${days}d.json`, foldOntoDays(lines, days));
  });
  if (logs.length > 1) {
    const merged = mergeIntoOneSensor(logs);
    write("all-sensors-as-one.json", merged);
    const days = Math.max(1, Math.round(spanDays(merged) / 3));
    write(`all-sensors-as-one.folded-${days}d.json`, foldOntoDays(merged, days));
  }
  return written;
}
