/**
 * Follows a growing log file through rotations without losing or repeating a line.
 *
 * The tail keeps the file it is reading open. That handle is what makes rotation safe: after
 * Cowrie renames `cowrie.json` to `cowrie.json.YYYY-MM-DD`, or the file is deleted, the old
 * inode stays readable (and its number cannot be reused) until every line in it has been read.
 * After logrotate's `copytruncate` the lines we had not read yet live only in the copy, so the
 * copy is found by the fingerprint of its head and read from our offset, and copies of later
 * truncations that came before the tail looked again are read after it (`RotatedCopies`). A
 * line split across a rotation is joined, because the splitter carries its partial line into
 * the next file. A rotation whose lines are gone (the copy deleted or compressed before the tail
 * looked) is reported through `onMissedRotation`, and the line it had begun is counted as missed.
 *
 * `check()` does all the work; call it whenever the file may have changed (see
 * `watchLogFile`). Lines go to `onRecord` synchronously; between chunks the tail yields to the
 * event loop so that a huge file is streamed, not buffered.
 */
import { promises as fs } from "node:fs";
import { FileIdentity, headMatches, identityWithHead, FINGERPRINT_BYTES } from "./file-identity";
import { LineSplitter, SplitRecord } from "./line-splitter";
import { openLog, OpenLog, RotatedCopies } from "./rotated-copies";

/** What must be saved to resume after a restart: the first byte not yet emitted, and its file. */
export interface TailPosition {
  path: string;
  identity: FileIdentity;
  offset: number;
  line: number;
  /**
   * At a file's first byte: the file read before it. Copies made since that one hold lines not
   * read yet: copies the tail was about to read, or, in a file still empty (whose fingerprint
   * matches whatever it holds later), the copy of a copytruncate made while the tail was stopped.
   */
  follows?: FileIdentity;
}

export function isTailPosition(value: unknown): value is TailPosition {
  const p = value as TailPosition;
  return typeof p?.path === "string" && Number.isInteger(p.offset) && Number.isInteger(p.line) &&
    typeof p.identity?.fingerprint === "string" && (p.follows === undefined || typeof p.follows?.fingerprint === "string");
}

export interface LogTailOptions {
  path: string;
  /** Where to begin when there is no saved position: the current end, or the first line. */
  startAt: "end" | "beginning";
  resumeFrom?: TailPosition;
  maxLineBytes: number;
  onRecord: (record: SplitRecord) => void;
  /** Rotations, truncations and recoveries, for the node's log. */
  onNotice?: (message: string) => void;
  /** A rotation the tail could not follow: lines written to `file` after `offset` may be lost. */
  onMissedRotation?: (missed: MissedRotation) => void;
}

export interface MissedRotation {
  file: string;
  /** Where the tail had read to in the file whose rest is gone. */
  offset: number;
  /**
   * Lines it knows it lost: the one it had begun to read, if any. How many more were written
   * after `offset` nobody can tell once the copy is gone.
   */
  lines: number;
}

const CHUNK_BYTES = 64 * 1024;
/** A check follows at most this many files in a row (rotations faster than we can read are not a log). */
const MAX_FILES_PER_CHECK = 64;

/**
 * How long a renamed log is still followed while the log created in its place stays empty. A
 * writer told to reopen by postrotate moves at once; the wait is bounded because a new log that
 * was written and emptied again (a copytruncate) before the tail looked stays empty too, and the
 * lines in its copy must not wait for the sensor's next event.
 */
const ROTATE_WAIT_MS = 60_000;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export class LogTail {
  private readonly splitter: LineSplitter;
  private current: OpenLog | undefined;
  /** Identity of the file `splitter.committed` points into: older than `current` while a split line is held. */
  private committedIdentity: FileIdentity | undefined;
  private started = false;
  private closed = false;
  private running: Promise<void> | undefined;
  /** Set between handing lines to `onRecord` and the next turn of the event loop. */
  private undeliveredFrom: TailPosition | undefined;
  private checkAgain = false;
  private readonly buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  private readonly copies: RotatedCopies;
  private missed = { rotations: 0, lines: 0 };
  /** The file `committedIdentity` followed, for a position at its first byte. */
  private followed: FileIdentity | undefined;
  /** When the tail first saw an empty log in place of the one it is reading. */
  private emptySuccessorSince: number | undefined;

  constructor(private readonly options: LogTailOptions) {
    this.splitter = new LineSplitter(options.maxLineBytes);
    this.copies = new RotatedCopies(options.path);
  }

  /** Rotations the tail could not follow (their lines were gone before it looked). */
  get missedRotations(): number {
    return this.missed.rotations;
  }

  /** Lines the tail knows it missed, in rotations it could not follow. */
  get missedLines(): number {
    return this.missed.lines;
  }

  /** Read whatever is new; concurrent calls are coalesced into one more pass. */
  check(): Promise<void> {
    if (this.running) {
      this.checkAgain = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.checkAgain = false;
          await this.checkOnce();
        } while (this.checkAgain && !this.closed);
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  /**
   * The position to persist: just past the last line whose delivery has happened (the one we
   * were given until a file is open; undefined if neither). Lines handed to `onRecord` count
   * as delivered once the event loop has turned, because Node-RED delivers asynchronously and
   * drops what is still in flight when the flow stops; those lines are read again after a restart.
   */
  position(): TailPosition | undefined {
    return this.undeliveredFrom ?? this.emittedPosition();
  }

  /** Stops reading. Call it synchronously from the close event: the position is taken then. */
  async close(): Promise<TailPosition | undefined> {
    const position = this.position();
    this.closed = true;
    await this.running;
    await this.current?.handle.close();
    this.current = undefined;
    return position;
  }

  private emittedPosition(): TailPosition | undefined {
    if (!this.committedIdentity) return this.options.resumeFrom;
    const committed = this.splitter.committed;
    const position: TailPosition = { path: this.options.path, identity: this.committedIdentity, offset: committed.offset, line: committed.line };
    // An empty file's fingerprint would pick any copy for the one it followed.
    if (this.followed && this.followed.fingerprintBytes > 0 && committed.offset === 0) position.follows = this.followed;
    return position;
  }

  private async checkOnce(): Promise<void> {
    if (!this.started) {
      // A begin that failed (the log unreadable for now) is tried again at the next check: the
      // loop below would open the log at its first byte, repeating what the saved position or
      // the end skipped, and read every rotation beside it as unread.
      const begun = await this.begin().catch(async (err: unknown) => {
        await this.closeCurrent();
        throw err;
      });
      this.started = true;
      if (!begun) return;
    }
    for (let files = 0; files < MAX_FILES_PER_CHECK && !this.closed; files++) {
      if (!this.current && !(await this.openPathAt(0))) return;
      const log = this.current as OpenLog;
      // Only the log itself: a copy resumed in at its start came before the copies beside it.
      if (log.readOffset === 0 && log.name === this.options.path && (await this.readCopiesBefore(log))) {
        // One of them held this log's lines: emptied since it was opened, the log was read in full.
        await this.closeCurrent();
        continue;
      }
      // Before reading: after copytruncate and new writes, reading at our offset would start mid-line.
      if (await wasTruncated(log)) {
        this.options.onNotice?.(`${this.options.path} was truncated (copytruncate); reading the rest from its copy`);
        await this.readRestFromCopy(log);
        await this.closeCurrent();
        continue;
      }
      await this.readToEnd(log);
      const stat = await statOrUndefined(this.options.path);
      if (!stat) return; // renamed or deleted, no successor yet: keep the old handle for late writes
      if (stat.ino !== log.identity.ino || stat.dev !== log.identity.dev) {
        // What was written to the old file between the read above and the rename is still in it:
        // under load the two lie far enough apart for a writer to append, rotate and start anew.
        await this.readToEnd(log);
        // logrotate's `create` makes the new log before postrotate has the writer reopen it; until
        // the new log has its first bytes the writer may still append to the old one. The look at
        // the path came before the read above, so once it showed bytes the old file was complete.
        if (stat.size === 0) {
          this.emptySuccessorSince ??= Date.now();
          if (Date.now() - this.emptySuccessorSince < ROTATE_WAIT_MS) return;
        }
        this.emptySuccessorSince = undefined;
        this.options.onNotice?.(`${this.options.path} was rotated or replaced; following the new file`);
        await this.closeCurrent();
        continue;
      }
      if (await wasTruncated(log)) continue;
      return;
    }
  }

  /** Open the first file: at the saved position, at the end, or at the beginning. */
  private async begin(): Promise<boolean> {
    const saved = this.options.resumeFrom;
    if (saved && saved.path === this.options.path) {
      const rotated = (await this.openPathAt(saved.offset, saved)) ? undefined : await this.copies.find(saved.identity, saved.offset);
      // Stopped at the log's first byte, the tail had read the file before it to its end.
      const before = this.current && saved.follows ? await this.copies.find(saved.follows, 0) : undefined;
      // Copies made after the file we stopped in (or, stopped at the log's first byte, after the
      // file before it) are unread.
      await this.copies.accountForPresent(rotated ?? before);
      if (before) {
        this.copies.accountFor(before.identity);
        await before.handle.close();
      }
      if (this.current) return true;
      if (rotated) {
        this.options.onNotice?.(`resuming in ${rotated.name}, the file ${saved.path} was rotated to`);
        this.adopt(rotated, saved.offset, saved.line);
        return true;
      }
      this.options.onNotice?.(`the saved position's file is gone; reading ${saved.path} from the beginning`);
      this.reportMissedRotation({ file: saved.path, offset: saved.offset, lines: 0 });
      return this.openPathAt(0);
    }
    await this.copies.accountForPresent();
    if (this.options.startAt === "beginning") return this.openPathAt(0);
    return this.openPathAtEnd();
  }

  /** Open the log path at `offset`; with `expected`, only if it is still that file and long enough. */
  private async openPathAt(offset: number, expected?: TailPosition, line = 1): Promise<boolean> {
    const log = await openLog(this.options.path);
    if (!log) return false;
    if (expected) {
      const same = log.identity.dev === expected.identity.dev && log.identity.ino === expected.identity.ino;
      const stat = await log.handle.stat();
      if (!same || stat.size < expected.offset || !(await headMatches(log.handle, expected.identity))) {
        await log.handle.close();
        return false;
      }
      line = expected.line;
    }
    this.adopt(log, offset, line);
    return true;
  }

  /** Start after the last complete line, so a line being written is read whole, once. */
  private async openPathAtEnd(): Promise<boolean> {
    const log = await openLog(this.options.path);
    if (!log) return false;
    const { size } = await log.handle.stat();
    const tailBytes = Math.min(size, this.options.maxLineBytes);
    const tail = Buffer.alloc(tailBytes);
    await log.handle.read(tail, 0, tailBytes, size - tailBytes);
    const lastNewline = tail.lastIndexOf(0x0a);
    const offset = lastNewline === -1 ? size - tailBytes : size - tailBytes + lastNewline + 1;
    // Line numbers are relative to where we started; counting them in a multi-GB file is not worth it.
    this.adopt(log, offset, 1);
    return true;
  }

  private adopt(log: OpenLog, offset: number, line: number): void {
    log.readOffset = offset;
    this.current = log;
    this.copies.accountFor(log.identity);
    this.splitter.beginSource(log.name, offset, line);
    if (!this.splitter.holdingPartialLine) this.commitTo(log.identity);
  }

  /**
   * The position moves into another file: at its start, or past a line read from it (one begun in
   * the file before, or the first of a copy). The file it was in is the one the new one followed,
   * which a resume reads only when the position is at the first byte of the log at the path; for
   * a copy read before the log (which the log then follows) it is never read.
   */
  private commitTo(identity: FileIdentity): void {
    if (identity === this.committedIdentity) return; // back from copies that gave no line
    this.followed = this.committedIdentity ?? this.options.resumeFrom?.follows;
    this.committedIdentity = identity;
  }

  private async readToEnd(log: OpenLog): Promise<void> {
    while (!this.closed) {
      const { bytesRead } = await log.handle.read(this.buffer, 0, CHUNK_BYTES, log.readOffset);
      if (bytesRead === 0) return;
      // A copytruncate during this pass would hand us the regrown file's bytes at our offset.
      // If the head is unchanged after the read, the truncation (which precedes any regrowth)
      // had not happened; otherwise drop the chunk: the copy has the right bytes at this offset.
      if (!(await headMatches(log.handle, log.identity)) || this.closed) return;
      let chunk = this.buffer.subarray(0, bytesRead);
      if (log.readOffset === 0 && log.head.length === 0 && log.name === this.options.path) {
        // Opened empty, the log has no head to tell it from what a copytruncate leaves: one since
        // the look for copies left lines in a copy that come before these. Look again.
        chunk = Buffer.from(chunk);
        await this.readCopiesBefore(log, chunk);
        if (this.closed) return;
      }
      log.readOffset += bytesRead;
      // Before the lines go out: a position past a fingerprint shorter than its offset would
      // match the file after a copytruncate and new writes, and resume in their middle.
      this.strengthenFingerprint(log, chunk, log.readOffset - bytesRead);
      const wasHolding = this.splitter.holdingPartialLine;
      let emitted = false;
      this.undeliveredFrom = this.emittedPosition();
      this.splitter.push(chunk, (record) => {
        emitted = true;
        this.options.onRecord(record);
      });
      if (!wasHolding || emitted) this.commitTo(log.identity);
      // Nothing else may be awaited before this turn: a stop after it must find the lines delivered.
      await yieldToEventLoop();
      this.undeliveredFrom = undefined;
    }
  }

  /** After copytruncate, the lines between our offset and the truncation are in the copy. */
  private async readRestFromCopy(truncated: OpenLog): Promise<void> {
    const copy = await this.copies.find(truncated.identity, truncated.readOffset);
    if (!copy) {
      // The rest of a line begun before the truncation went with the copy; the new file's first
      // bytes belong to another line and must not be glued to it.
      const lines = this.splitter.holdingPartialLine ? 1 : 0;
      this.splitter.dropPartialLine();
      this.options.onNotice?.(`no copy of ${this.options.path} found; lines written after byte ${truncated.readOffset} before the truncation are lost`);
      this.reportMissedRotation({ file: this.options.path, offset: truncated.readOffset, lines });
      return;
    }
    copy.readOffset = truncated.readOffset;
    this.splitter.beginSource(copy.name, copy.readOffset, this.splitter.committed.line);
    await this.readToEnd(copy);
    this.copies.accountFor(copy.identity);
    await copy.handle.close();
  }

  private reportMissedRotation(missed: MissedRotation): void {
    this.missed.rotations += 1;
    this.missed.lines += missed.lines;
    this.options.onMissedRotation?.(missed);
  }

  /**
   * Until the tail has read from a file opened at its start: copies made since it last looked
   * (two truncations between two looks, or one of a file the tail opened while it was still
   * empty, which no fingerprint can tell from its successor) hold lines written before this
   * file's, so they are read first, oldest first. `head`: the current file's first bytes as
   * read, when the tail has them. True if one of the copies starts as the current file did when
   * it was opened: a copytruncate emptied it since, before the tail read from it.
   */
  private async readCopiesBefore(current: OpenLog, head?: Buffer): Promise<boolean> {
    const copies = await this.copies.unread(current, head);
    let copiedAway = false;
    for (const copy of copies) {
      copiedAway ||= current.head.length > 0 && copy.head.subarray(0, current.head.length).equals(current.head);
      this.options.onNotice?.(`reading ${copy.name}, a copy logrotate made before ${this.options.path} was read again`);
      this.splitter.beginSource(copy.name, 0, 1);
      await this.readToEnd(copy);
      this.copies.accountFor(copy.identity);
      await copy.handle.close();
    }
    if (copies.length === 0) return false;
    this.splitter.beginSource(current.name, 0, 1);
    if (!this.splitter.holdingPartialLine) this.commitTo(current.identity);
    return copiedAway;
  }

  /**
   * A file opened while short (a new or just truncated log is empty) has a weak fingerprint;
   * strengthen it with the bytes just read (`chunk`, from `chunkStart`) as soon as they reach
   * past it, or a later copytruncate would go unnoticed. Not with the file's head read again:
   * after a copytruncate and new writes since the read, that is the head of other lines, which
   * the tail would then read on from its offset, in the middle of one.
   */
  private strengthenFingerprint(log: OpenLog, chunk: Buffer, chunkStart: number): void {
    const bytes = Math.min(FINGERPRINT_BYTES, chunkStart + chunk.length);
    if (bytes <= log.head.length || chunkStart > log.head.length) return;
    const before = log.identity;
    log.head = Buffer.concat([log.head, chunk.subarray(log.head.length - chunkStart, bytes - chunkStart)]);
    log.identity = identityWithHead(before, log.head);
    this.copies.accountFor(log.identity);
    if (this.committedIdentity === before) this.committedIdentity = log.identity;
  }

  private async closeCurrent(): Promise<void> {
    await this.current?.handle.close();
    this.current = undefined;
  }
}

async function wasTruncated(log: OpenLog): Promise<boolean> {
  const { size } = await log.handle.stat();
  return size < log.readOffset || !(await headMatches(log.handle, log.identity));
}

async function statOrUndefined(file: string) {
  try {
    return await fs.stat(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
}
