/**
 * Busier sensors made from real ones, as backgrounds for bench:detection: ../shared/data holds
 * quiet sensors (hundreds to a couple of thousand events a day), while SPEC's busy sensor writes
 * 20-200 MB a day and the detector is judged on sensors it never sees. Two ways, both keeping
 * every line's fields and moving only its time (and its source, session or sensor's name):
 * - laid over itself: copies of a log within its own days, each a few days on, so that every
 *   minute holds several days' sources, each behaving as it did;
 * - merged: several sensors' logs as one sensor's, each moved by whole days onto the first one's
 *   first day (an SSH and a telnet sensor as one honeypot serving both, as T-Pot runs Cowrie).
 *
 *     layOverItself(lines, 3);         // three times the sources, hour of day kept
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
 * `copies` copies of the log laid over each other within its own span, copy c moved on by c /
 * `copies` of its days (wrapping round to its first day). Each later copy's sources and sessions
 * get names of their own (ones the log never uses), so that a copy is other attackers doing what
 * the first ones did, not the same source running twice the sessions at once.
 */
export function layOverItself(lines: readonly string[], copies: number): string[] {
  const events = timedEvents(lines);
  const start = firstDayMs(events);
  const days = Math.max(1, Math.ceil((events[events.length - 1].timeMs - start) / DAY_MS));
  const sources = new FreshNames(events.map(({ event }) => event.src_ip), (n) => `45.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`);
  const sessions = new FreshNames(events.map(({ event }) => event.session), (n) => n.toString(16).padStart(12, "f"));
  const laid: TimedEvent[] = [];
  for (let copy = 0; copy < copies; copy++) {
    const shiftMs = Math.round((copy * days) / copies) * DAY_MS;
    for (const { timeMs, event } of events) {
      const moved = { timeMs: start + ((timeMs - start + shiftMs) % (days * DAY_MS)), event };
      if (copy > 0) moved.event = { ...event, src_ip: sources.of(event.src_ip, copy), session: sessions.of(event.session, copy) };
      laid.push(moved);
    }
  }
  return linesOf(laid);
}

/** A name of its own for each (name, copy), none of them among the names the log uses. */
class FreshNames {
  private readonly used: Set<unknown>;
  private readonly given = new Map<string, string>();
  private next = 0;

  constructor(used: unknown[], private readonly nameOf: (n: number) => string) {
    this.used = new Set(used);
  }

  of(name: unknown, copy: number): unknown {
    if (typeof name !== "string") return name;
    const key = `${copy} ${name}`;
    let fresh = this.given.get(key);
    if (fresh === undefined) {
      do fresh = this.nameOf(this.next++);
      while (this.used.has(fresh));
      this.given.set(key, fresh);
    }
    return fresh;
  }
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

/**
 * Writes the busier backgrounds made from `files` into `dir` and returns their paths: each log
 * laid three times over itself, all of them merged into one sensor, and that laid three times
 * over itself. Laid over, not folded onto fewer days: a log keeps its length, so drilling the same
 * number of attacks into it keeps them as far apart as in the real log.
 */
export function writeBusierSensors(files: readonly string[], dir: string): string[] {
  const logs = files.map((file) => fs.readFileSync(file, "utf8").split("\n"));
  const written: string[] = [];
  const write = (name: string, lines: string[]) => {
    const out = path.join(dir, name);
    fs.writeFileSync(out, lines.join("\n") + "\n");
    written.push(out);
  };
  logs.forEach((lines, i) => write(`${path.basename(files[i], ".json")}.three-times.json`, layOverItself(lines, 3)));
  if (logs.length > 1) {
    const merged = mergeIntoOneSensor(logs);
    write("all-sensors-as-one.json", merged);
    write("all-sensors-as-one.three-times.json", layOverItself(merged, 3));
  }
  return written;
}
