/**
 * Takes points in the shape node-red-contrib-influxdb's batch node takes, and gets every one of
 * them into InfluxDB 1.x exactly in the order it came, through outages and restarts.
 *
 *     const writer = new SpooledInfluxWriter({ dir, target: client, onChange: showStatus });
 *     writer.accept([{ measurement: "auth", tags: { src_ip }, fields: { failed: 3 }, timestamp: Date.now() }]);
 *     await writer.close();   // what is pending goes to the spool; the next writer on `dir` sends it
 *
 * Every batch goes through the on-disk spool (PointSpool), healthy or not: there is then a single
 * path, order holds by construction (only the spool's head is ever sent), and a point accepted
 * before a crash is on disk unless it was still in the batch being filled (at most `batchSize`
 * points or `flushIntervalMs`). A batch is cut at `batchSize` points or after `flushIntervalMs`.
 * While the spool's disk refuses writes (full, read-only), points wait in memory within the same
 * bound as the spool, oldest dropped first, and are sent from there once the spool before them is
 * delivered; the disk is tried again at each flush interval.
 *
 * Delivery sends the head of the spool and waits for the answer. Unavailable (connection refused,
 * timeout, 5xx, missing database): the batch stays at the head and is tried again after 1 s, 2 s,
 * 4 s ... up to `maxRetryDelayMs`. Rejected (400/413): InfluxDB 1.x refuses a whole request for one
 * bad line, or writes the rest and names one conflict, so the batch is split in halves and each
 * half sent again until the bad points stand alone; those are dropped and reported through
 * `onRejected`. Points that a partial write had already stored are simply stored again: a point
 * with the same series and time overwrites itself, so nothing is duplicated.
 */
import * as path from "node:path";
import { FieldTypes, isFieldTypesState } from "./field-types";
import type { WriteOutcome } from "./influx-http-client";
import { encodeLine, PointRejected } from "./line-protocol";
import { PointSpool, SpoolBatch } from "./point-spool";
import { StateFile } from "../../persistence/state-file";

export interface InfluxWriteTarget {
  write(lines: string, signal?: AbortSignal): Promise<WriteOutcome>;
}

export interface SpooledInfluxWriterOptions {
  /** The spool and the field type map live here, e.g. `<userDir>/honeyflow/influx-spool/<node id>`. */
  dir: string;
  target: InfluxWriteTarget;
  batchSize?: number;
  flushIntervalMs?: number;
  maxSpoolBytes?: number;
  maxRetryDelayMs?: number;
  /** Field names whose numbers are written as integers (see FieldTypes). */
  integerFields?: string[];
  now?: () => number;
  /** A point InfluxDB refused, now dropped: its line and InfluxDB's reason. */
  onRejected?: (reason: string, line: string) => void;
  /** Counts or state changed; a node refreshes its status. */
  onChange?: () => void;
}

export interface WriterStats {
  /** Points InfluxDB confirmed. */
  written: number;
  /** Points accepted and not yet confirmed: in the spool or in the batch being filled. */
  queued: number;
  /** Points InfluxDB refused (dropped) since start. */
  rejected: number;
  /** Points dropped because the spool was full, since start. */
  evicted: number;
  /** Bytes of damaged records the spool skipped when it was opened (a crash of the machine). */
  damagedBytes: number;
  /** While InfluxDB (or the spool's disk) is unavailable: why. Delivery is retried with backoff. */
  unavailable?: string;
}

/** The result of `accept`: how many points were queued, and why the others were not. */
export interface Acceptance {
  accepted: number;
  refused: string[];
}

const FIRST_RETRY_MS = 1000;

/**
 * The batch being filled goes to the spool at this size too, as big as a batch the spool hands
 * out (PointSpool.peek): a batch size of 1e9 points with a flush interval of days would otherwise
 * keep every point in memory until then.
 */
const MAX_FILLING_CHARS = 8 * 2 ** 20;

export class SpooledInfluxWriter {
  private readonly spool: PointSpool;
  private readonly fieldTypes: FieldTypes;
  private readonly typesFile: StateFile<ReturnType<FieldTypes["toJSON"]>>;
  private readonly batchSize: number;
  private readonly flushIntervalMs: number;
  private readonly maxRetryDelayMs: number;
  private readonly now: () => number;
  private pending: string[] = [];
  /** Characters in `pending`, held to the spool's bound while the disk refuses them. */
  private pendingChars = 0;
  /** Points that left the front of `pending` since start, so that a batch sent from memory is acknowledged once. */
  private pendingShifted = 0;
  private spoolFailure: string | undefined;
  private memoryEvicted = 0;
  private savedTypes: number;
  private flushTimer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private delivering: Promise<void> | undefined;
  private wakeUp = false;
  private readonly abort = new AbortController();
  private closed = false;
  private failures = 0;
  private counts = { written: 0, rejected: 0 };
  private unavailable: string | undefined;

  constructor(private readonly options: SpooledInfluxWriterOptions) {
    this.batchSize = options.batchSize ?? 500;
    this.flushIntervalMs = options.flushIntervalMs ?? 1000;
    this.maxRetryDelayMs = options.maxRetryDelayMs ?? 30_000;
    this.now = options.now ?? Date.now;
    this.spool = new PointSpool(options.dir, { maxBytes: options.maxSpoolBytes });
    this.typesFile = new StateFile(path.join(options.dir, "field-types.json"), isFieldTypesState);
    this.fieldTypes = new FieldTypes({ integerFields: options.integerFields, saved: this.typesFile.load() });
    this.savedTypes = this.fieldTypes.changes;
    this.deliver(); // what an earlier run left in the spool
  }

  get stats(): WriterStats {
    return {
      written: this.counts.written,
      queued: this.spool.points + this.pending.length,
      rejected: this.counts.rejected,
      evicted: this.spool.dropped + this.memoryEvicted,
      damagedBytes: this.spool.damagedBytes,
      unavailable: this.unavailable ?? this.spoolFailure,
    };
  }

  /**
   * Queues a point or an array of points. Throws when the payload is neither; a point that cannot
   * be written (no measurement, no fields, NaN, a type conflict ...) is refused with its reason
   * while the others are queued.
   */
  accept(payload: unknown): Acceptance {
    if (this.closed) throw new Error("the writer is closed");
    const points = Array.isArray(payload) ? payload : [payload];
    if (points.length === 0 || !points.every((p) => typeof p === "object" && p !== null && !Array.isArray(p))) {
      throw new TypeError("expected a point {measurement, tags, fields, timestamp} or an array of them");
    }
    const refused: string[] = [];
    for (const [i, point] of points.entries()) {
      try {
        const line = this.encode(point as Record<string, unknown>);
        this.pending.push(line);
        this.pendingChars += line.length;
      } catch (err) {
        if (!(err instanceof PointRejected)) throw err;
        refused.push(points.length > 1 ? `point ${i}: ${err.message}` : err.message);
      }
      // A failing disk is tried again by the flush timer, not once per point.
      const full = this.pending.length >= this.batchSize || this.pendingChars >= MAX_FILLING_CHARS;
      if (full && this.spoolFailure === undefined) this.flush();
    }
    if (this.spoolFailure !== undefined) this.evictFromMemory();
    if (this.pending.length > 0) this.flushTimer ??= setTimeout(() => this.flush(), this.flushIntervalMs);
    this.options.onChange?.();
    return { accepted: points.length - refused.length, refused };
  }

  /**
   * Stops delivery, puts the batch being filled into the spool and saves the field types. Returns
   * how many points are lost: held in memory because the spool's disk refused them, and refused again.
   */
  async close(): Promise<number> {
    if (this.closed) return 0;
    this.flush();
    const lost = this.pending.length;
    this.closed = true;
    clearTimeout(this.retryTimer);
    this.abort.abort(); // an unanswered batch stays at the head and is sent again next time
    await this.delivering;
    this.spool.close();
    this.saveTypes();
    return lost;
  }

  private encode(point: Record<string, unknown>): string {
    const { measurement, tags = {}, fields, timestamp } = point;
    if (typeof measurement !== "string") throw new PointRejected("the point has no measurement (a string)");
    if (typeof fields !== "object" || fields === null || Array.isArray(fields)) throw new PointRejected("the point has no fields object");
    if (typeof tags !== "object" || tags === null || Array.isArray(tags)) throw new PointRejected("the point's tags are not an object");
    const typed = this.fieldTypes.typed(measurement, fields as Record<string, unknown>);
    const line = encodeLine({ measurement, tags: tagTexts(tags as Record<string, unknown>), fields: typed, timestampMs: this.timestampMs(timestamp) });
    this.fieldTypes.remember(measurement, typed);
    return line;
  }

  private timestampMs(timestamp: unknown): number {
    if (timestamp === undefined || timestamp === null) return this.now();
    const ms = timestamp instanceof Date ? timestamp.getTime()
      : typeof timestamp === "number" ? timestamp
        : typeof timestamp === "string" ? Date.parse(timestamp) : NaN;
    if (Number.isNaN(ms)) throw new PointRejected(`the timestamp ${JSON.stringify(timestamp)} is not a Date, epoch ms or ISO 8601 text`);
    return ms;
  }

  private flush(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.pending.length === 0 || this.closed) return;
    try {
      this.spool.append(this.pending);
      this.takeFromPending(this.pending.length);
      this.spoolFailure = undefined;
      this.saveTypes();
    } catch (err) {
      // A full or failing disk: the points stay in memory (sent from there) and the next flush tries again.
      this.spoolFailure = `spool: ${(err as Error).message}`;
      this.evictFromMemory();
      this.options.onChange?.();
    }
    if (!this.retryTimer) this.deliver();
  }

  /** Drops the oldest points held in memory beyond the spool's bound, counted as evicted. */
  private evictFromMemory(): void {
    let drop = 0;
    for (let chars = this.pendingChars; chars > this.spool.maxBytes && drop < this.pending.length; drop++) chars -= this.pending[drop].length;
    this.takeFromPending(drop);
    this.memoryEvicted += drop;
  }

  private takeFromPending(count: number): void {
    if (count <= 0) return;
    for (const line of this.pending.splice(0, count)) this.pendingChars -= line.length;
    this.pendingShifted += count;
    if (this.pending.length === 0) this.spoolFailure = undefined; // the next points try the disk again
  }

  /** While the disk refuses the spool, the oldest points in memory: sent once the spool is empty, so order holds. */
  private memoryBatch(): { lines: string[]; shifted: number } | undefined {
    if (this.spoolFailure === undefined || this.pending.length === 0) return undefined;
    return { lines: this.pending.slice(0, this.batchSize), shifted: this.pendingShifted };
  }

  private saveTypes(): void {
    if (this.fieldTypes.changes === this.savedTypes) return;
    this.typesFile.save(this.fieldTypes.toJSON());
    this.savedTypes = this.fieldTypes.changes;
  }

  /** Starts the delivery loop unless it runs; one loop at a time, so batches go out in order. */
  private deliver(): void {
    if (this.closed) return;
    if (this.delivering) {
      this.wakeUp = true;
      return;
    }
    this.wakeUp = false;
    this.delivering = this.deliverHead()
      .catch((err: Error) => this.retryLater(`spool: ${err.message}`))
      .finally(() => {
        this.delivering = undefined;
        this.options.onChange?.();
        if (this.wakeUp && !this.retryTimer) this.deliver();
      });
  }

  /** Sends the spool's head (then what a failing disk left in memory) until both are empty or InfluxDB is unavailable. */
  private async deliverHead(): Promise<void> {
    for (let batch = this.nextBatch(); batch && !this.closed; batch = this.nextBatch()) {
      const { done, unavailable } = await this.send(batch.lines, 0, batch.lines.length);
      if ("segment" in batch) this.ackSpool(batch, done);
      // Unless the disk took them (to be sent again from there) or they were evicted meanwhile.
      else this.takeFromPending(done - (this.pendingShifted - batch.shifted));
      if (unavailable !== undefined) return this.retryLater(unavailable);
      this.failures = 0;
      this.unavailable = undefined;
      this.options.onChange?.();
    }
  }

  private ackSpool(batch: SpoolBatch, done: number): void {
    try {
      this.spool.ack(batch, done);
    } catch (err) {
      // The index could not be saved (a full disk): the spool goes on from its state in memory, so
      // delivery does not wait; a restart resends from the older index, which InfluxDB absorbs.
      this.spoolFailure = `spool: ${(err as Error).message}`;
    }
  }

  private nextBatch(): SpoolBatch | { lines: string[]; shifted: number } | undefined {
    return this.spool.peek(this.batchSize) ?? this.memoryBatch();
  }

  /**
   * Sends lines [from, to) of a batch, halving on a rejection. Lines before `done` are settled
   * (written or dropped); it stops short of `to` when InfluxDB became unavailable meanwhile.
   */
  private async send(batch: readonly string[], from: number, to: number): Promise<{ done: number; unavailable?: string }> {
    const lines = batch.slice(from, to);
    const outcome = await this.options.target.write(lines.join("\n"), this.abort.signal);
    if (outcome.kind === "written") {
      this.counts.written += lines.length;
      return { done: from + lines.length };
    }
    if (outcome.kind === "unavailable") return { done: from, unavailable: outcome.reason };
    if (lines.length === 1) {
      this.counts.rejected += 1;
      this.options.onRejected?.(outcome.reason, lines[0]);
      return { done: from + 1 };
    }
    const middle = from + Math.ceil(lines.length / 2);
    const first = await this.send(batch, from, middle);
    return first.unavailable !== undefined ? first : this.send(batch, middle, to);
  }

  private retryLater(reason: string): void {
    if (this.closed) return;
    const delay = Math.min(this.maxRetryDelayMs, FIRST_RETRY_MS * 2 ** this.failures);
    this.failures += 1;
    this.unavailable = reason;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.deliver();
    }, delay);
  }
}

/** Tag values as text: numbers and booleans as they print, null and undefined left out. */
function tagTexts(tags: Record<string, unknown>): Record<string, string> {
  // Built with fromEntries: an assignment to a tag named "__proto__" would be lost.
  return Object.fromEntries(Object.entries(tags)
    .filter(([, value]) => value !== null && value !== undefined)
    .map(([key, value]) => {
      if (typeof value === "object") throw new PointRejected(`tag ${JSON.stringify(key)} is an object: a tag value must be text`);
      return [key, String(value)];
    }));
}
