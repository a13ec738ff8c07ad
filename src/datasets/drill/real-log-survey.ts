/**
 * One read through a real Cowrie log before attacks are drilled into it: its style (how it
 * writes events), the addresses and session ids it already uses (drilled ones must be new),
 * its time span, and the traffic an attack's size is set against (sessions per second, the
 * median busy minute).
 *
 *     const survey = await surveyRealLog(["cowrie.json"]);
 *     survey.style.sensor;   // "ip-172-31-31-222"
 *     survey.takenAddresses.has("176.83.10.132");  // true
 */
import { parseCowrieLine } from "../../ingest/cowrie-line";
import { cowrieTimestampToEpochMs } from "../../ingest/cowrie-timestamp";
import { eventTimestamp, LogReplay, type ReplayProgress } from "../../ingest/log-replay";
import { WidestTimeStep } from "../../ingest/widest-time-step";
import { CowrieLogStyleReader, type CowrieLogStyle } from "./cowrie-log-style";

export interface RealLogSurvey {
  readonly style: CowrieLogStyle;
  /** Every `src_ip` and `dst_ip` (or T-Pot's `dest_ip`) in the log. */
  readonly takenAddresses: ReadonlySet<string>;
  readonly takenSessions: ReadonlySet<string>;
  /** Lines holding an event (blank lines carry none and are not counted). */
  readonly lines: number;
  readonly firstMs: number;
  readonly lastMs: number;
  readonly sessionsPerSecond: number;
  /**
   * Events in the median minute among those with any event: on a quiet sensor most minutes
   * are empty, and a spike rule measured against an empty median would fire on anything.
   */
  readonly medianBusyMinuteEvents: number;
  /**
   * The longest step in time between consecutive events, either way, and its lines: a sensor
   * clock that restarted at 1970, or logs months apart, spread the drill over the gap.
   */
  readonly widestJump: WidestTimeStep["widest"];
}

/** Lines longer than this are refused rather than cut: the drill writes real lines unchanged. */
export const MAX_REAL_LINE_BYTES = 64 * 1024 * 1024;

const CONNECT = "cowrie.session.connect";

export async function surveyRealLog(files: string[], onProgress?: (progress: ReplayProgress) => void): Promise<RealLogSurvey> {
  const styleReader = new CowrieLogStyleReader();
  const takenAddresses = new Set<string>();
  const takenSessions = new Set<string>();
  const eventsPerMinute = new Map<number, number>();
  let lines = 0;
  let connects = 0;
  let firstMs = Infinity;
  let lastMs = -Infinity;
  const steps = new WidestTimeStep();
  await new LogReplay({
    files, speed: 0, maxLineBytes: MAX_REAL_LINE_BYTES, onProgress,
    onRecord: (record, line) => {
      if (record.kind !== "line") throw new Error(`${record.origin.file}:${record.origin.line}: a line over ${MAX_REAL_LINE_BYTES} bytes`);
      lines += 1;
      const event = parseEvent(record.text);
      if (!event) return;
      styleReader.observe(event);
      // A dual-stack sensor's ::ffff:198.51.0.209 is 198.51.0.209, which a drilled source must not be either.
      if (typeof event.src_ip === "string") takenAddresses.add(event.src_ip).add(event.src_ip.replace(/^::ffff:/i, ""));
      if (typeof event.dst_ip === "string") takenAddresses.add(event.dst_ip);
      if (typeof event.dest_ip === "string") takenAddresses.add(event.dest_ip);
      if (typeof event.session === "string") takenSessions.add(event.session);
      if (event.eventid === CONNECT) connects += 1;
      const timestamp = eventTimestamp(event);
      const ms = timestamp === undefined ? undefined : cowrieTimestampToEpochMs(timestamp);
      if (ms === undefined) return;
      firstMs = Math.min(firstMs, ms);
      lastMs = Math.max(lastMs, ms);
      steps.see(line, ms);
      const minute = Math.floor(ms / 60_000);
      eventsPerMinute.set(minute, (eventsPerMinute.get(minute) ?? 0) + 1);
    },
  }).run();
  if (!Number.isFinite(firstMs)) throw new Error(`no event with a readable timestamp in ${files.join(", ")}`);
  const spanSeconds = Math.max(1, (lastMs - firstMs) / 1000);
  return {
    style: styleReader.style(),
    takenAddresses,
    takenSessions,
    lines,
    firstMs,
    lastMs,
    sessionsPerSecond: connects / spanSeconds,
    medianBusyMinuteEvents: median([...eventsPerMinute.values()]),
    widestJump: steps.widest,
  };
}

/** The line's event, or undefined for a line that is not a JSON object, read as the pipeline reads it. */
export function parseEvent(text: string): Record<string, unknown> | undefined {
  const parsed = parseCowrieLine(text);
  return "event" in parsed ? parsed.event : undefined;
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = values.sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
