/**
 * Replays Cowrie logs - one file, a list, or a directory of rotated files, plain or gzipped -
 * in time order, either as fast as the consumer takes them or at the sensor's own pace
 * multiplied by a speed factor.
 *
 * Pacing follows each event's `timestamp`, so a replay at speed 1 reproduces the bursts and
 * lulls of the live sensor; events without a readable timestamp go out at once.
 *
 *     const replay = new LogReplay({ files: ["/var/log/cowrie"], speed: 10, maxLineBytes: 1 << 20,
 *       onRecord: (record) => ..., onProgress: (p) => ... });
 *     await replay.run();  // resolves when every file was read or replay.stop() was called
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as readline from "node:readline";
import * as zlib from "node:zlib";
import { cowrieTimestampToEpochMs } from "./cowrie-timestamp";
import { LineSplitter, SplitRecord } from "./line-splitter";

export interface ReplayProgress {
  files: number;
  fileIndex: number;
  bytesRead: number;
  totalBytes: number;
  records: number;
  /** 0..100, by bytes read from disk (compressed bytes for .gz). */
  percent: number;
}

export interface LogReplayOptions {
  files: string[];
  /** Multiple of real time; 0 or Infinity means as fast as the consumer takes the lines. */
  speed: number;
  maxLineBytes: number;
  onRecord: (record: SplitRecord) => void;
  onProgress?: (progress: ReplayProgress) => void;
}

const TIMESTAMP_FIELD = /"timestamp"\s*:\s*"([^"]+)"/;
const PROGRESS_INTERVAL_MS = 500;
/** Records emitted between yields to the event loop when not pacing. */
const BATCH = 256;

export class LogReplay {
  private paused = false;
  private stopped = false;
  private wakeUp: (() => void) | undefined;
  private pausedAtMs = 0;
  /** Wall-clock time at which the first event was replayed, shifted forward by pauses. */
  private wallStartMs: number | undefined;
  private firstEventMs: number | undefined;

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
    const files = await orderLogFiles(this.options.files);
    const totalBytes = files.reduce((sum, f) => sum + fs.statSync(f).size, 0);
    const progress: ReplayProgress = { files: files.length, fileIndex: 0, bytesRead: 0, totalBytes, records: 0, percent: 0 };
    const splitter = new LineSplitter(this.options.maxLineBytes);
    const pacing = this.options.speed > 0 && Number.isFinite(this.options.speed);
    let lastProgressAt = 0;
    let sinceYield = 0;
    for (const [index, file] of files.entries()) {
      progress.fileIndex = index;
      const raw = fs.createReadStream(file, { highWaterMark: 64 * 1024 });
      const stream = file.endsWith(".gz") ? raw.pipe(zlib.createGunzip()) : raw;
      const bytesBefore = progress.bytesRead;
      splitter.beginSource(file, 0, 1);
      try {
        for await (const chunk of stream) {
          const records: SplitRecord[] = [];
          splitter.push(chunk as Buffer, (r) => records.push(r));
          for (const record of records) {
            if (pacing) await this.waitUntilDue(record);
            else if (++sinceYield >= BATCH) {
              sinceYield = 0;
              await new Promise<void>((resolve) => setImmediate(resolve));
            }
            while (this.paused) await this.sleep(Infinity);
            if (this.stopped) return progress;
            this.options.onRecord(record);
            progress.records += 1;
          }
          progress.bytesRead = bytesBefore + raw.bytesRead;
          progress.percent = totalBytes > 0 ? (100 * progress.bytesRead) / totalBytes : 100;
          if (Date.now() - lastProgressAt >= PROGRESS_INTERVAL_MS) {
            lastProgressAt = Date.now();
            this.options.onProgress?.({ ...progress });
          }
        }
      } finally {
        raw.destroy();
      }
    }
    progress.percent = 100;
    this.options.onProgress?.({ ...progress });
    return progress;
  }

  private async waitUntilDue(record: SplitRecord): Promise<void> {
    const match = record.kind === "line" ? TIMESTAMP_FIELD.exec(record.text) : null;
    const eventMs = match ? cowrieTimestampToEpochMs(match[1]) : undefined;
    if (eventMs === undefined) return;
    if (this.firstEventMs === undefined || this.wallStartMs === undefined) {
      this.firstEventMs = eventMs;
      this.wallStartMs = Date.now();
      return;
    }
    for (;;) {
      const dueMs = this.wallStartMs + (eventMs - this.firstEventMs) / this.options.speed;
      const waitMs = dueMs - Date.now();
      if (waitMs <= 1 || this.stopped) return;
      await this.sleep(waitMs);
      if (this.paused) await this.sleep(Infinity);
    }
  }

  /** Sleeps until the time passes or pause/resume/stop wakes it. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = Number.isFinite(ms) ? setTimeout(done, ms) : undefined;
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = done;
    });
  }
}

/**
 * Files in time order: directories are expanded to the Cowrie logs inside them, and files are
 * ordered by their first event's timestamp, because rotation schemes disagree on names
 * (`cowrie.json.2026-03-18` sorts forwards, logrotate's `cowrie.json.1` backwards).
 */
export async function orderLogFiles(paths: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const p of paths) {
    const stat = fs.statSync(p);
    if (!stat.isDirectory()) {
      files.push(p);
      continue;
    }
    for (const name of fs.readdirSync(p).sort()) {
      const full = path.join(p, name);
      if (name.includes(".json") && fs.statSync(full).isFile()) files.push(full);
    }
  }
  const starts = new Map<string, number>();
  for (const file of files) starts.set(file, (await firstTimestampMs(file)) ?? Infinity);
  return files.sort((a, b) => (starts.get(a) as number) - (starts.get(b) as number) || a.localeCompare(b));
}

async function firstTimestampMs(file: string): Promise<number | undefined> {
  const raw = fs.createReadStream(file);
  const input = file.endsWith(".gz") ? raw.pipe(zlib.createGunzip()) : raw;
  const lines = readline.createInterface({ input, crlfDelay: Infinity });
  try {
    for await (const line of lines) {
      const match = TIMESTAMP_FIELD.exec(line.slice(0, 64 * 1024));
      const ms = match ? cowrieTimestampToEpochMs(match[1]) : undefined;
      if (ms !== undefined) return ms;
    }
    return undefined;
  } catch {
    return undefined;
  } finally {
    lines.close();
    raw.destroy();
  }
}
