/**
 * Splits a byte stream into lines while remembering where each line started.
 *
 * A log is read in chunks that end anywhere, so the tail of a chunk is held until its newline
 * arrives - possibly in the next file, when Cowrie or logrotate rotated the log between the two
 * halves of a line. `committed` is the first byte not yet part of an emitted line: resuming there
 * after a restart loses nothing and repeats nothing.
 *
 * A line longer than `maxLineBytes` is not buffered (attackers paste megabytes into a shell);
 * its bytes are counted and dropped, and it is reported once with a short excerpt.
 *
 * ```ts
 * const splitter = new LineSplitter(1024 * 1024);
 * const lines: string[] = [];
 * const emit = (record: SplitRecord) => { if (record.kind === "line") lines.push(record.text); };
 * splitter.beginSource("cowrie.json", 0, 1);
 * splitter.push(Buffer.from('{"a":1}\n{"b"'), emit);
 * assert.deepEqual(lines, ['{"a":1}']);             // the second line is not complete yet
 * splitter.push(Buffer.from(':2}\n'), emit);
 * assert.deepEqual(lines, ['{"a":1}', '{"b":2}']);
 * ```
 */

/** Where a line starts: file, byte offset in that file, and 1-based line number in that file. */
export interface LineOrigin {
  file: string;
  offset: number;
  line: number;
}

export type SplitRecord =
  | { kind: "line"; text: string; origin: LineOrigin }
  | { kind: "oversize"; excerpt: string; bytes: number; origin: LineOrigin };

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
/** Enough of an oversize line for an analyst to recognise it, small enough to log. */
const EXCERPT_BYTES = 1024;

export class LineSplitter {
  private cursor: LineOrigin = { file: "", offset: 0, line: 1 };
  private partial: Buffer[] = [];
  private partialBytes = 0;
  private partialOrigin: LineOrigin | undefined;
  /** Bytes of an oversize line seen so far; the bytes themselves are dropped. */
  private oversizeBytes = 0;
  private oversizeExcerpt: Buffer | undefined;

  constructor(private readonly maxLineBytes: number) {}

  /** Continue with `file` at `offset`, whose next line has number `line`. A held partial line carries over. */
  beginSource(file: string, offset: number, line: number): void {
    this.cursor = { file, offset, line };
  }

  /** Resuming here repeats nothing and loses nothing: the start of the held partial line, or the cursor. */
  get committed(): LineOrigin {
    return { ...(this.partialOrigin ?? this.cursor) };
  }

  get holdingPartialLine(): boolean {
    return this.partialOrigin !== undefined;
  }

  /** Forget the held partial line (used when its source turned out to be gone for good). */
  dropPartialLine(): void {
    this.partial = [];
    this.partialBytes = 0;
    this.partialOrigin = undefined;
    this.oversizeBytes = 0;
    this.oversizeExcerpt = undefined;
  }

  /**
   * The source is over for good (a file replayed to its end): a last line without a newline is
   * a line all the same. Cowrie writes each event with its newline, so a file that ends without
   * one was cut (the sensor killed mid-write, a copy taken mid-write, an edited file); the next
   * file of a replay starts with its own event, and gluing the two would lose both.
   */
  endSource(emit: (record: SplitRecord) => void): void {
    if (this.partialOrigin === undefined) return;
    this.cursor.line += 1;
    this.emitHeldLine(emit);
  }

  push(chunk: Buffer, emit: (record: SplitRecord) => void): void {
    let start = 0;
    while (start < chunk.length) {
      const newline = chunk.indexOf(NEWLINE, start);
      const end = newline === -1 ? chunk.length : newline;
      if (this.partialOrigin === undefined) {
        this.partialOrigin = { ...this.cursor };
      }
      this.hold(chunk, start, end);
      if (newline === -1) {
        this.cursor.offset += end - start;
        return;
      }
      this.cursor.offset += newline + 1 - start;
      this.cursor.line += 1;
      this.emitHeldLine(emit);
      start = newline + 1;
    }
  }

  private hold(chunk: Buffer, start: number, end: number): void {
    const length = end - start;
    if (this.oversizeBytes > 0 || this.partialBytes + length > this.maxLineBytes) {
      if (this.oversizeBytes === 0) {
        const held = Buffer.concat([...this.partial, chunk.subarray(start, end)]);
        this.oversizeExcerpt = Buffer.from(held.subarray(0, EXCERPT_BYTES));
        this.oversizeBytes = this.partialBytes;
        this.partial = [];
        this.partialBytes = 0;
      }
      this.oversizeBytes += length;
      return;
    }
    if (length > 0) {
      // Copy: the caller reuses its read buffer.
      this.partial.push(Buffer.from(chunk.subarray(start, end)));
      this.partialBytes += length;
    }
  }

  private emitHeldLine(emit: (record: SplitRecord) => void): void {
    const origin = this.partialOrigin as LineOrigin;
    if (this.oversizeBytes > 0) {
      const excerpt = (this.oversizeExcerpt as Buffer).toString("utf8");
      const bytes = this.oversizeBytes;
      this.dropPartialLine();
      emit({ kind: "oversize", excerpt, bytes, origin });
      return;
    }
    let bytes = this.partial.length === 1 ? this.partial[0] : Buffer.concat(this.partial, this.partialBytes);
    this.dropPartialLine();
    if (bytes.length > 0 && bytes[bytes.length - 1] === CARRIAGE_RETURN) {
      bytes = bytes.subarray(0, bytes.length - 1);
    }
    if (bytes.length === 0) return; // blank lines carry no event
    emit({ kind: "line", text: bytes.toString("utf8"), origin });
  }
}
