/**
 * Writes the drilled log: the real log's lines, unchanged and in their order, with the
 * episodes' lines slotted in by time (after real lines of the same instant), and the label of
 * each episode (`AttackEpisodeLabel`, as `honeyflow generate` writes them) with its 1-based
 * first and last line in the merged output. Blank lines carry no event and are left out, so
 * that line numbers are the ones `honeyflow eval` counts.
 *
 *     const { labels } = await writeDrilledLog(["cowrie.json"], episodes, createWriteStream("drill.json"));
 */
import type { Writable } from "node:stream";
import { finished } from "node:stream/promises";
import type { AttackEpisodeLabel } from "../../domain/attack-types";
import { LogReplay, timestampMsOf, type ReplayProgress } from "../../ingest/log-replay";
import type { DrilledEpisode } from "./drill-episodes";
import { MAX_REAL_LINE_BYTES } from "./real-log-survey";

export interface DrilledLog {
  readonly labels: AttackEpisodeLabel[];
  /** Lines written, real and drilled. */
  readonly lines: number;
  readonly drilledLines: number;
}

/** Characters gathered before a write: large enough that per-write overhead vanishes. */
const CHUNK_CHARS = 1 << 20;

/** Streams the merged log into `out` and ends it. */
export async function writeDrilledLog(
  files: string[],
  episodes: readonly DrilledEpisode[],
  out: Writable,
  onProgress?: (progress: ReplayProgress) => void,
): Promise<DrilledLog> {
  const drilled = episodes
    .flatMap((episode, index) => episode.lines.map((line) => ({ ...line, index })))
    .sort((a, b) => a.timeUs - b.timeUs);
  const labels: AttackEpisodeLabel[] = [];
  const labelOf = new Map<number, AttackEpisodeLabel>();
  let next = 0;
  let lineNumber = 0;
  let chunk = "";
  let realUs = -Infinity;
  const replay = new LogReplay({
    files, speed: 0, maxLineBytes: MAX_REAL_LINE_BYTES, onProgress,
    onRecord: (record) => {
      if (record.kind !== "line") throw new Error(`${record.origin.file}:${record.origin.line}: a line over ${MAX_REAL_LINE_BYTES} bytes`);
      // A line without a readable timestamp keeps the time of the line before it.
      const ms = timestampMsOf(record.text);
      if (ms !== undefined) realUs = ms * 1000;
      while (next < drilled.length && drilled[next].timeUs < realUs) writeDrilled();
      writeLine(record.text);
    },
  });
  // Watch for errors from the start (opening a file fails asynchronously), and stop reading on one.
  const done = finished(out);
  done.catch(() => replay.stop());

  // The replay pauses between its batches, not at once: more chunks can go out before it does (and
  // after it ends), and one wait for the output to drain covers them all.
  let awaitingDrain = false;
  function writeLine(line: string): void {
    lineNumber += 1;
    chunk += line + "\n";
    if (chunk.length < CHUNK_CHARS) return;
    if (!out.write(chunk) && !awaitingDrain) {
      awaitingDrain = true;
      replay.pause();
      out.once("drain", () => {
        awaitingDrain = false;
        replay.resume();
      });
    }
    chunk = "";
  }

  function writeDrilled(): void {
    const { index, line, timestamp } = drilled[next++];
    writeLine(line);
    const label = labelOf.get(index);
    if (label) {
      label.end = timestamp;
      label.last_line = lineNumber;
      return;
    }
    const { type, srcIps } = episodes[index];
    const first = { type, src_ips: [...srcIps], start: timestamp, end: timestamp, first_line: lineNumber, last_line: lineNumber };
    labelOf.set(index, first);
    labels.push(first);
  }

  await replay.run();
  while (next < drilled.length) writeDrilled();
  out.end(chunk);
  await done;
  return { labels, lines: lineNumber, drilledLines: drilled.length };
}
