/**
 * Replays Cowrie logs - one file, a list, or a directory of rotated files, plain or gzipped -
 * in time order, either as fast as the consumer takes them or at the sensor's own pace
 * multiplied by a speed factor.
 *
 * Pacing follows each event's `timestamp`, so a replay at speed 1 reproduces the bursts and
 * lulls of the live sensor; events without a readable timestamp go out at once. A backlog -
 * the log's first minutes - goes out at once before pacing starts, as the history a sensor has
 * already written when a reader starts; `wallTimeOf` tells when an event is (or was, for the
 * backlog) due on the wall clock, for a replay that rewrites the times.
 *
 *     const replay = new LogReplay({ files: ["/var/log/cowrie"], speed: 10, maxLineBytes: 1 << 20,
 *       onRecord: (record, line) => ..., onProgress: (p) => ... });
 *     await replay.run();  // resolves when every file was read or replay.stop() was called
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { pipeline } from "node:stream";
import * as zlib from "node:zlib";
import { parseCowrieLine } from "./cowrie-line";
import { cowrieTimestampToEpochMs } from "./cowrie-timestamp";
import { LineSplitter, SplitRecord } from "./line-splitter";

export interface ReplayProgress {
  files: number;
  fileIndex: number;
  bytesRead: number;
  totalBytes: number;
  /** Lines read, blank ones included: what a text editor would number. */
  lines: number;
  /** Lines handed to `onRecord` (blank lines carry no event and are not). */
  records: number;
  /** 0..100, by bytes read from disk (compressed bytes for .gz). */
  percent: number;
}

export interface LogReplayOptions {
  files: string[];
  /** Multiple of real time; 0 or Infinity means as fast as the consumer takes the lines. */
  speed: number;
  maxLineBytes: number;
  /**
   * One line of the replay, with its number across all files in the order they are replayed
   * (`record.origin.line` is its number in its own file); blank lines are counted, not sent.
   */
  onRecord: (record: SplitRecord, line: number) => void;
  onProgress?: (progress: ReplayProgress) => void;
  /** Milliseconds of log time, from its first event, handed on at once before pacing starts; default 0. */
  backlogMs?: number;
}

/** A Cowrie line's first `"timestamp": "..."`: the field's opening, then its value. */
const TIMESTAMP_FIELD = /("timestamp"\s*:\s*")([^"]+)"/;
const PROGRESS_INTERVAL_MS = 500;
const LONGEST_TIMER_MS = 2 ** 31 - 1;
/** Records emitted between yields to the event loop when not pacing. */
const BATCH = 256;

export class LogReplay {
  private paused = false;
  private stopped = false;
  private wakeUp: (() => void) | undefined;
  private pausedAtMs = 0;
  /** Wall-clock time at which the backlog's end was due, shifted forward by pauses. */
  private wallStartMs: number | undefined;
  private firstEventMs: number | undefined;
  /** Records handed on since the last yield to the event loop, when not pacing. */
  private sinceYield = 0;
  /** What onRecord threw, so that it is not passed off as the file's read error. */
  private consumerFailure: unknown;

  constructor(private readonly options: LogReplayOptions) {}

  get isPaused(): boolean {
    return this.paused;
  }

  pause(): void {
    if (this.paused || this.stopped) return;
    this.paused = true;
    this.pausedAtMs = Date.now();
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    if (this.wallStartMs !== undefined) this.wallStartMs += Date.now() - this.pausedAtMs;
    this.wakeUp?.();
  }

  stop(): void {
    this.stopped = true;
    this.paused = false;
    this.wakeUp?.();
  }

  async run(): Promise<ReplayProgress> {
    const files = await orderLogFiles(this.options.files, this.options.maxLineBytes);
    const totalBytes = files.reduce((sum, f) => sum + fs.statSync(f).size, 0);
    const progress: ReplayProgress = { files: files.length, fileIndex: 0, bytesRead: 0, totalBytes, lines: 0, records: 0, percent: 0 };
    const splitter = new LineSplitter(this.options.maxLineBytes);
    let lastProgressAt = 0;
    for (const [index, file] of files.entries()) {
      progress.fileIndex = index;
      const raw = fs.createReadStream(file, { highWaterMark: 64 * 1024 });
      const stream = file.endsWith(".gz") ? gunzipped(raw) : raw;
      const bytesBefore = progress.bytesRead;
      const linesBefore = progress.lines;
      splitter.beginSource(file, 0, 1);
      try {
        for await (const chunk of stream) {
          const records: SplitRecord[] = [];
          splitter.push(chunk as Buffer, (r) => records.push(r));
          if (!(await this.deliver(records, linesBefore, progress))) return progress;
          progress.lines = linesBefore + splitter.committed.line - 1;
          progress.bytesRead = bytesBefore + raw.bytesRead;
          progress.percent = totalBytes > 0 ? (100 * progress.bytesRead) / totalBytes : 100;
          if (Date.now() - lastProgressAt >= PROGRESS_INTERVAL_MS) {
            lastProgressAt = Date.now();
            this.options.onProgress?.({ ...progress });
          }
        }
        const lastLine: SplitRecord[] = [];
        splitter.endSource((r) => lastLine.push(r));
        if (!(await this.deliver(lastLine, linesBefore, progress))) return progress;
        progress.lines = linesBefore + splitter.committed.line - 1;
      } catch (err) {
        // A read or gunzip error (EACCES, a truncated or not-gzip rotation) says nothing of which
        // of a directory's files it came from; the consumer's own (a write to a full disk or a
        // closed pipe has a code too) are not the file's.
        const code = (err as NodeJS.ErrnoException).code;
        if (typeof code === "string" && err !== this.consumerFailure) throw Object.assign(new Error(`${file}: ${(err as Error).message}`), { code });
        throw err;
      } finally {
        stream.destroy();
        raw.destroy();
      }
    }
    progress.percent = 100;
    this.options.onProgress?.({ ...progress });
    return progress;
  }

  /** Hands records on, paced or in batches between yields; false once the replay was stopped. */
  private async deliver(records: SplitRecord[], linesBefore: number, progress: ReplayProgress): Promise<boolean> {
    const pacing = this.options.speed > 0 && Number.isFinite(this.options.speed);
    for (const record of records) {
      if (pacing) await this.waitUntilDue(record);
      else if (++this.sinceYield >= BATCH) {
        this.sinceYield = 0;
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      while (this.paused) await this.sleep(Infinity);
      if (this.stopped) return false;
      try {
        this.options.onRecord(record, linesBefore + record.origin.line);
      } catch (err) {
        this.consumerFailure = err;
        throw err;
      }
      progress.records += 1;
    }
    return !this.stopped;
  }

  /**
   * When an event of log time `eventMs` is due on the wall clock, at this replay's speed, pauses
   * included; a backlog event's time lies before the replay began. Undefined before the first
   * event with a timestamp was replayed (only a paced replay has a wall clock).
   */
  wallTimeOf(eventMs: number): number | undefined {
    if (this.firstEventMs === undefined || this.wallStartMs === undefined) return undefined;
    return this.wallStartMs + (eventMs - this.firstEventMs - (this.options.backlogMs ?? 0)) / this.options.speed;
  }

  private async waitUntilDue(record: SplitRecord): Promise<void> {
    const eventMs = record.kind === "line" ? timestampMsOf(record.text) : undefined;
    if (eventMs === undefined) return;
    if (this.firstEventMs === undefined || this.wallStartMs === undefined) {
      this.firstEventMs = eventMs;
      this.wallStartMs = Date.now();
      return;
    }
    for (;;) {
      const dueMs = this.wallTimeOf(eventMs) as number;
      const waitMs = dueMs - Date.now();
      if (waitMs <= 1 || this.stopped) return;
      await this.sleep(waitMs);
      if (this.paused) await this.sleep(Infinity);
    }
  }

  /** Sleeps until the time passes (or the longest a timer holds: waitUntilDue sleeps again) or pause/resume/stop wakes it. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      // Node fires a timer longer than 2^31-1 ms after 1 ms, which would turn a slow replay into a busy loop.
      const timer = Number.isFinite(ms) ? setTimeout(done, Math.min(ms, LONGEST_TIMER_MS)) : undefined;
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = done;
    });
  }
}

/**
 * How far into a file the search for its first event reads, in line limits: one junk line of
 * up to the limit, then the event. A file whose first event lies further in sorts after the
 * others rather than have its whole head read: an attacker can make a first line as long as
 * they like, and a rotated file is only read to order it.
 */
const FIRST_EVENT_SEARCH_LINE_LIMITS = 2;

/** A path to replay that does not exist, or directories that hold no Cowrie log. */
export class LogNotFoundError extends Error {}

/**
 * The files `paths` name: a file as it is, a directory as the Cowrie logs in it (`cowrie.json`
 * and its rotations, `*.json*`), in name order. Nothing to read is an error rather than an empty
 * replay: a mistyped directory must not pass for a quiet sensor.
 */
export function listLogFiles(paths: string[]): string[] {
  const files: string[] = [];
  for (const p of paths) {
    if (!fs.existsSync(p)) throw new LogNotFoundError(`no such file or directory: ${p}`);
    if (!fs.statSync(p).isDirectory()) {
      files.push(p);
      continue;
    }
    for (const name of fs.readdirSync(p).sort()) {
      const full = path.join(p, name);
      if (name.includes(".json") && fs.statSync(full).isFile()) files.push(full);
    }
  }
  if (files.length === 0) throw new LogNotFoundError(`no Cowrie log (a file named *.json*) in ${paths.join(", ")}`);
  return files;
}

/**
 * Files in time order (see `listLogFiles`), ordered by their first event's timestamp, because
 * rotation schemes disagree on names (`cowrie.json.2026-03-18` sorts forwards, logrotate's
 * `cowrie.json.1` backwards).
 */
export async function orderLogFiles(paths: string[], maxLineBytes: number): Promise<string[]> {
  const files = listLogFiles(paths);
  const starts = new Map<string, number>();
  for (const file of files) {
    // A pipe (`--input /dev/stdin`, `<(zcat ...)`) can be read once: reading its head to order
    // it would leave the replay only the rest. It goes after the files, as one with no event does.
    const start = fs.statSync(file).isFile() ? await firstTimestampMs(file, maxLineBytes) : undefined;
    starts.set(file, start ?? Infinity);
  }
  return files.sort((a, b) => (starts.get(a) as number) - (starts.get(b) as number) || a.localeCompare(b));
}

async function firstTimestampMs(file: string, maxLineBytes: number): Promise<number | undefined> {
  const raw = fs.createReadStream(file, { highWaterMark: 64 * 1024 });
  const input = file.endsWith(".gz") ? gunzipped(raw) : raw;
  const splitter = new LineSplitter(maxLineBytes);
  const searchBytes = FIRST_EVENT_SEARCH_LINE_LIMITS * maxLineBytes;
  let searched = 0;
  let found: number | undefined;
  const look = (record: SplitRecord) => {
    if (found === undefined && record.kind === "line") found = timestampMsOf(record.text);
  };
  try {
    for await (const chunk of input) {
      splitter.push((chunk as Buffer).subarray(0, searchBytes - searched), look);
      searched += (chunk as Buffer).length;
      if (found !== undefined || searched >= searchBytes) return found;
    }
    splitter.endSource(look);
    return found;
  } catch {
    return undefined;
  } finally {
    input.destroy();
    raw.destroy();
  }
}

/**
 * The file's bytes through gunzip. A pipe would leave an error of the file's own stream (gone,
 * unreadable) with no listener, which kills the process, and gunzip waiting for ever; a
 * pipeline hands it on to the gunzip stream that is read.
 */
function gunzipped(raw: fs.ReadStream): zlib.Gunzip {
  return pipeline(raw, zlib.createGunzip(), () => undefined);
}

/**
 * The epoch ms of a Cowrie line's `timestamp`, read without parsing the line; undefined without one.
 * A line a shipper wrote holds it where the text search does not find it (Filebeat's copy of the
 * line as text in `message`, Logstash's `@timestamp` alone): that line is parsed, as clean reads it.
 */
export function timestampMsOf(line: string): number | undefined {
  const match = TIMESTAMP_FIELD.exec(line);
  if (match) return cowrieTimestampToEpochMs(match[2]);
  const parsed = parseCowrieLine(line);
  const timestamp = "event" in parsed ? eventTimestamp(parsed.event) : undefined;
  return timestamp === undefined ? undefined : cowrieTimestampToEpochMs(timestamp);
}

/** Cowrie's `timestamp`, or Logstash's `@timestamp` when a shipper removed it. */
export function eventTimestamp(event: Readonly<Record<string, unknown>>): string | undefined {
  const timestamp = event.timestamp ?? event["@timestamp"];
  return typeof timestamp === "string" ? timestamp : undefined;
}

/** The line with the `timestamp` that timestampMsOf reads written as `timestamp`, every other byte as it was. */
export function withTimestamp(line: string, timestamp: string): string {
  return line.replace(TIMESTAMP_FIELD, (_field, opening: string) => `${opening}${timestamp}"`);
}
