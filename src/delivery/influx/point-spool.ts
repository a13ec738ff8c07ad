/**
 * A bounded first-in first-out queue of line-protocol points on disk: what `influx write` has
 * accepted and InfluxDB has not yet confirmed. It survives a Node-RED restart and an InfluxDB
 * outage, and when it is full it drops the oldest points, counted.
 *
 *     const spool = new PointSpool("/home/nr/.node-red/honeyflow/influx-spool/<node id>", { maxBytes: 100 * 2 ** 20 });
 *     spool.append(["cpu value=1 1700000000000", "cpu value=2 1700000001000"]);
 *     const batch = spool.peek(500);      // the oldest points, in order
 *     // ... once InfluxDB has them:
 *     spool.ack(batch, batch.lines.length);
 *
 * Layout: segment files `<number>.lp`, each a run of records `<byte length>:<check> <line>\n`
 * (a string field may hold raw newlines, so a record says its own length; the check is the first
 * 8 hex digits of the line's SHA-1, so that a record whose bytes changed on disk is skipped and
 * counted rather than sent as another point), and `index.json` with the position of the oldest
 * unconfirmed record. Records `<byte length> <line>\n`, without a check, as spools written before
 * it hold, are read too. Appends are plain appends, without fsync: a crash of the machine can lose
 * what the OS had not written yet, and a torn last record is cut off (and counted) when the spool
 * is opened. The index is replaced atomically (StateFile) on each ack; a crash between a
 * delivery and its ack sends that batch again, which InfluxDB absorbs (a point with the same
 * series and time overwrites itself).
 *
 * The bound counts segment files as they are on disk. Segments are at most `segmentBytes` (unless
 * one record is larger), so dropping the oldest segment frees space in steps of about that size.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { StateFile } from "../../persistence/state-file";

export interface PointSpoolOptions {
  /** The most the segment files may hold together; default 100 MiB. */
  maxBytes?: number;
  /** Where a new segment starts; default maxBytes / 16, between 4 KiB and 4 MiB. */
  segmentBytes?: number;
}

/** Points read from the head, to be acknowledged once delivered. */
export interface SpoolBatch {
  readonly lines: string[];
  readonly segment: number;
  /** Byte offset of each record's start, and of the end of the last one. */
  readonly offsets: number[];
}

interface Segment {
  number: number;
  bytes: number;
  /** Records after the head (all of them, except in the head segment). */
  points: number;
}

interface SpoolIndex {
  segment: number;
  offset: number;
}

const isSpoolIndex = (value: unknown): value is SpoolIndex =>
  typeof value === "object" && value !== null
  && Number.isSafeInteger((value as SpoolIndex).segment) && Number.isSafeInteger((value as SpoolIndex).offset);

const SEGMENT_NAME = /^(\d{10})\.lp$/;
const SPACE = 0x20;
const COLON = 0x3a;
/** Hex digits of a record's check: a changed byte goes unseen once in 2^32. */
const CHECK_CHARS = 8;
const NEWLINE = 0x0a;
const NEWLINE_BYTE = Buffer.from("\n");
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;

export class PointSpool {
  readonly maxBytes: number;
  readonly segmentBytes: number;
  private readonly index: StateFile<SpoolIndex>;
  private readonly segments: Segment[] = [];
  private head: SpoolIndex;
  private nextSegment: number;
  private tailFd: number | undefined;
  private droppedPoints = 0;
  private damaged = 0;

  constructor(readonly dir: string, options: PointSpoolOptions = {}) {
    this.maxBytes = options.maxBytes ?? 100 * 2 ** 20;
    this.segmentBytes = options.segmentBytes ?? Math.min(4 * 2 ** 20, Math.max(4096, Math.floor(this.maxBytes / 16)));
    fs.mkdirSync(dir, { recursive: true });
    this.index = new StateFile(path.join(dir, "index.json"), isSpoolIndex);
    this.head = this.index.load() ?? { segment: 0, offset: 0 };
    for (const number of this.segmentNumbersOnDisk()) {
      const { bytes, points, start } = number < this.head.segment
        ? { bytes: 0, points: 0, start: 0 }
        : this.validate(number, number === this.head.segment ? this.head.offset : 0);
      if (number === this.head.segment) this.head.offset = start;
      if (points > 0) this.segments.push({ number, bytes, points });
      else fs.rmSync(this.segmentFile(number), { force: true }); // delivered before a crash, or nothing complete in it
    }
    if (this.segments[0]?.number !== this.head.segment) this.head = { segment: this.segments[0]?.number ?? this.head.segment, offset: 0 };
    this.head.offset = Math.min(this.head.offset, this.segments[0]?.bytes ?? 0);
    this.nextSegment = Math.max(this.head.segment, (this.segments.at(-1)?.number ?? -1) + 1);
    // A rewritten head segment starts with its first undelivered record: the old offset is void.
    if (this.damaged > 0) this.index.save(this.head);
  }

  /** Points waiting, oldest first. */
  get points(): number {
    return this.segments.reduce((sum, segment) => sum + segment.points, 0);
  }

  /** Bytes the segment files take on disk. */
  get bytes(): number {
    return this.segments.reduce((sum, segment) => sum + segment.bytes, 0);
  }

  /** Points dropped since the spool was opened because it was full. */
  get dropped(): number {
    return this.droppedPoints;
  }

  /** Bytes of damaged records skipped: at open (see `validate`), and records failing their check since. */
  get damagedBytes(): number {
    return this.damaged;
  }

  /** Adds points at the tail; if that takes the spool past maxBytes, drops the oldest segments. */
  append(lines: readonly string[]): void {
    let tail = this.tailFd === undefined ? undefined : this.segments.at(-1);
    let chunk: Buffer[] = [];
    let chunkBytes = 0;
    // Counted only once written: after a failed write (a full disk) the counts match what is readable.
    const write = () => {
      if (!tail || chunk.length === 0) return;
      try {
        const data = Buffer.concat(chunk);
        // A nearly full disk takes part of a write and says so only by the count written.
        const written = fs.writeSync(this.tailFd as number, data);
        if (written < data.length) throw new Error(`the disk took ${written} of ${data.length} bytes (full?)`);
      } catch (err) {
        // What may have been half written stays behind (cut off at the next open); the next append
        // starts a new segment. Records already written by this call are sent twice, which InfluxDB absorbs.
        if (tail.points === 0) this.removeSegment(tail);
        this.close();
        throw err;
      }
      tail.bytes += chunkBytes;
      tail.points += chunk.length;
      chunk = [];
      chunkBytes = 0;
    };
    for (const line of lines) {
      const body = Buffer.from(line, "utf8");
      const record = Buffer.concat([Buffer.from(`${body.length}:${checkOf(body)} `), body, NEWLINE_BYTE]);
      if (!tail || (tail.bytes + chunkBytes > 0 && tail.bytes + chunkBytes + record.length > this.segmentBytes)) {
        write();
        tail = this.startSegment();
      }
      chunk.push(record);
      chunkBytes += record.length;
    }
    write();
    while (this.bytes > this.maxBytes && this.segments.length > 0) this.dropOldestSegment();
  }

  /**
   * Up to `maxPoints` of the oldest points (and about `maxBytes` of text), all from one segment.
   * Undefined when the spool is empty.
   */
  peek(maxPoints: number, maxBytes = 8 * 2 ** 20): SpoolBatch | undefined {
    for (;;) {
      const segment = this.segments[0];
      if (!segment || segment.points === 0) return undefined;
      const file = this.segmentFile(segment.number);
      const start = this.head.offset;
      let window = readBytes(file, start, Math.min(segment.bytes - start, maxBytes));
      let records = parseRecords(window, maxPoints);
      if (records.length === 0) {
        // One record longer than maxBytes, or one failing its check: read just that one.
        window = readBytes(file, start, recordBytes(window));
        records = parseRecords(window, 1);
      }
      if (records.length > 0) return { lines: records.map((r) => r.line), segment: segment.number, offsets: [start, ...records.map((r) => start + r.end)] };
      if (!isWholeRecord(window)) return undefined;
      // Whole, but its bytes changed on disk since the spool was opened (an outage keeps points
      // there for days): skipped and counted, and the records after it are sent.
      this.damaged += window.length;
      this.ack({ lines: [], segment: segment.number, offsets: [start, start + window.length] }, 1);
    }
  }

  /**
   * Confirms the first `count` points of a batch from `peek`. Ignored if the batch's records are
   * no longer at the head (the spool was full and dropped them meanwhile).
   */
  ack(batch: SpoolBatch, count: number): void {
    const segment = this.segments[0];
    if (count <= 0 || !segment || segment.number !== batch.segment || this.head.offset !== batch.offsets[0]) return;
    this.head = { segment: segment.number, offset: batch.offsets[count] };
    segment.points -= count;
    if (segment.points === 0) {
      // Fully delivered: the next records start in a new segment, so this file can go.
      this.head = { segment: this.segments.length > 1 ? this.segments[1].number : this.nextSegment, offset: 0 };
      this.removeSegment(segment);
    }
    // Saved last: when it fails (a full disk) the spool goes on from its state in memory, and a
    // restart finds the head segment gone or resends from the older index.
    this.index.save(this.head);
  }

  close(): void {
    if (this.tailFd !== undefined) fs.closeSync(this.tailFd);
    this.tailFd = undefined;
  }

  private startSegment(): Segment {
    this.close();
    const segment = { number: this.nextSegment++, bytes: 0, points: 0 };
    this.tailFd = fs.openSync(this.segmentFile(segment.number), "a");
    this.segments.push(segment);
    return segment;
  }

  private dropOldestSegment(): void {
    const oldest = this.segments[0];
    this.droppedPoints += oldest.points;
    this.head = { segment: this.segments.length > 1 ? this.segments[1].number : this.nextSegment, offset: 0 };
    // The index is not saved: the file's removal is the record of the drop (at open, an index naming
    // a missing segment starts at the next one), so a disk too full for the index cannot fail the append.
    this.removeSegment(oldest);
  }

  private removeSegment(segment: Segment): void {
    if (segment === this.segments.at(-1)) this.close();
    this.segments.splice(this.segments.indexOf(segment), 1);
    fs.rmSync(this.segmentFile(segment.number), { force: true });
  }

  /**
   * Counts the complete records from `start`, cuts off a torn tail left by a crash, and says where
   * the undelivered records start.
   *
   * Appends are not synced, so a crash of the machine can also leave a stretch mid-file that the
   * OS never wrote (zeros, typically) with complete records after it. Those records are kept: the
   * read resumes at the next record boundary, the damaged stretch is counted in `damagedBytes`
   * and cut out of the file, which is rewritten (atomically) with the undelivered records only.
   */
  private validate(number: number, start: number): { bytes: number; points: number; start: number } {
    const file = this.segmentFile(number);
    const content = fs.readFileSync(file);
    let from = Math.max(0, Math.min(start, content.length));
    let records = parseRecords(content.subarray(from), Infinity);
    if (records.length === 0 && from > 0 && from < content.length) {
      // Nothing complete after the index: a torn tail if the index is on a record boundary;
      // otherwise the index is not this spool's (hand-edited, foreign), and the segment is sent
      // whole again rather than cut off.
      const whole = parseRecords(content, Infinity);
      if (!whole.some((record) => record.end === from)) {
        from = 0;
        records = whole;
      }
    }
    const readable: Buffer[] = [];
    let points = 0;
    let damaged = 0;
    for (let at = from; ;) {
      const end = at + (records.at(-1)?.end ?? 0);
      readable.push(content.subarray(at, end));
      points += records.length;
      const next = nextRecordStart(content, end);
      if (next < 0) {
        damaged += content.length - end; // a torn tail, or nothing
        break;
      }
      damaged += next - end;
      at = next;
      records = parseRecords(content.subarray(at), Infinity);
    }
    this.damaged += damaged;
    if (readable.length === 1) {
      // Nothing skipped before the end: a torn tail is cut off where the file stands.
      const end = from + readable[0].length;
      if (end < content.length) fs.truncateSync(file, end);
      return { bytes: end, points, start: from };
    }
    const kept = Buffer.concat(readable);
    try {
      fs.writeFileSync(`${file}.tmp`, kept);
      fs.renameSync(`${file}.tmp`, file);
    } catch (err) {
      fs.rmSync(`${file}.tmp`, { force: true }); // the segment itself is as it was
      throw err;
    }
    return { bytes: kept.length, points, start: 0 };
  }

  private segmentNumbersOnDisk(): number[] {
    return fs.readdirSync(this.dir)
      .map((name) => SEGMENT_NAME.exec(name))
      .filter((match): match is RegExpExecArray => match !== null)
      .map((match) => Number(match[1]))
      .sort((a, b) => a - b);
  }

  private segmentFile(number: number): string {
    return path.join(this.dir, `${String(number).padStart(10, "0")}.lp`);
  }
}

function readBytes(file: string, offset: number, length: number): Buffer {
  const buffer = Buffer.alloc(Math.max(0, length));
  const fd = fs.openSync(file, "r");
  try {
    const read = fs.readSync(fd, buffer, 0, buffer.length, offset);
    return buffer.subarray(0, read);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The complete records at the start of `buffer` that pass their check (if they have one), up to
 * `max`; `end` is where each one ends.
 */
function parseRecords(buffer: Buffer, max: number): Array<{ line: string; end: number }> {
  const records: Array<{ line: string; end: number }> = [];
  let offset = 0;
  while (records.length < max) {
    const prefix = prefixBytes(buffer, offset);
    const end = offset + recordBytes(buffer.subarray(offset));
    if (prefix === 0 || end > buffer.length || buffer[end - 1] !== NEWLINE) break;
    const body = buffer.subarray(offset + prefix, end - 1);
    // Within the prefix: a record without a check has only digits there, never the colon.
    const checkStart = offset + prefix - 1 - CHECK_CHARS;
    const check = checkStart > offset && buffer[checkStart - 1] === COLON ? buffer.toString("latin1", checkStart, checkStart + CHECK_CHARS) : undefined;
    if (check !== undefined && checkOf(body) !== check) break;
    records.push({ line: body.toString("utf8"), end });
    offset = end;
  }
  return records;
}

/** A record's check: the first hex digits of its line's SHA-1 (node:zlib's crc32 needs Node 20.15). */
function checkOf(body: Buffer): string {
  return createHash("sha1").update(body).digest("hex").slice(0, CHECK_CHARS);
}

/** `buffer` is one record as its length prefix frames it, whether or not it passes its check. */
function isWholeRecord(buffer: Buffer): boolean {
  return buffer.length > 0 && recordBytes(buffer) === buffer.length && buffer[buffer.length - 1] === NEWLINE;
}

/**
 * Where the first complete record after `from` starts, past a stretch no record can be read
 * from; -1 if none does (the end of the buffer, or a torn tail). A record ends in a newline, so
 * the search tries the byte after each one; when the record at `from` still has its length
 * prefix, the search starts where that record ends.
 */
function nextRecordStart(buffer: Buffer, from: number): number {
  // A record whose length prefix survived is skipped whole: its string fields may hold raw newlines
  // and attacker text shaped as records. Running past the end, it is a torn tail.
  const skipped = recordBytes(buffer.subarray(from));
  if (from + skipped > buffer.length) return -1;
  const readable = (at: number) => at < buffer.length && parseRecords(buffer.subarray(at), 1).length === 1;
  if (skipped > 0 && readable(from + skipped)) return from + skipped;
  for (let at = buffer.indexOf(NEWLINE, from + skipped) + 1; at > 0; at = buffer.indexOf(NEWLINE, at) + 1) {
    if (readable(at)) return at;
  }
  return -1;
}

/** Bytes of the record that starts `buffer`, from its length prefix; 0 if the prefix is missing or torn. */
function recordBytes(buffer: Buffer): number {
  const prefix = prefixBytes(buffer, 0);
  return prefix === 0 ? 0 : prefix + Number.parseInt(buffer.toString("latin1", 0, prefix - 1), 10) + 1;
}

/** Bytes of the `<length>:<check> ` (or, without a check, `<length> `) prefix at `offset`, or 0 if there is no valid one. */
function prefixBytes(buffer: Buffer, offset: number): number {
  let at = offset;
  while (at < buffer.length && at - offset < 16 && buffer[at] >= DIGIT_0 && buffer[at] <= DIGIT_9) at += 1;
  if (at === offset) return 0;
  if (buffer[at] === SPACE) return at - offset + 1;
  if (buffer[at] !== COLON || buffer[at + 1 + CHECK_CHARS] !== SPACE) return 0;
  for (let digit = at + 1; digit <= at + CHECK_CHARS; digit++) if (!isHexDigit(buffer[digit])) return 0;
  return at - offset + CHECK_CHARS + 2;
}

function isHexDigit(byte: number): boolean {
  return (byte >= DIGIT_0 && byte <= DIGIT_9) || (byte >= 0x61 && byte <= 0x66);
}
