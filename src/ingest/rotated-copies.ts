/**
 * The files that rotation leaves beside a log: `cowrie.json.2026-03-18` (Cowrie's rename),
 * `cowrie.json.1` (logrotate's copytruncate or rename), `cowrie.json-20260318` (logrotate's
 * `dateext`, the default in RHEL's logrotate.conf), and which of them the tail has read.
 *
 * A copytruncate copy holds the only record of the lines written between the tail's last read
 * and the truncation. When the tail looks less often than the log is truncated (logrotate
 * every few seconds on a busy sensor, a poll instead of inotify on NFS, a flow busy delivering),
 * several copies come between two looks: the first starts like the file the tail was reading,
 * the others like nothing it has seen. So every copy that appears is either accounted for (it
 * was there when the tail started, it is a file the tail read, or one it has read from) or
 * still to be read, oldest first. Gzipped copies are not read: logrotate compresses a copy
 * only after it is complete, so the plain copy is there first (see `delaycompress`).
 */
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { openRegularFile } from "../persistence/regular-file";
import { FileIdentity, FINGERPRINT_BYTES, headMatches, identifyOpenFile, readHead } from "./file-identity";

export interface OpenLog {
  handle: fs.FileHandle;
  name: string;
  identity: FileIdentity;
  /** The file's first bytes as the tail has them: what `identity` fingerprints. */
  head: Buffer;
  readOffset: number;
}

/** Opens a log file; undefined if there is none. Anything but a regular file is an error, and leaves nothing open. */
export async function openLog(file: string): Promise<OpenLog | undefined> {
  let handle: fs.FileHandle;
  try {
    // A FIFO would hold the check until a writer came.
    handle = await openRegularFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
  try {
    return { handle, name: file, ...(await identifyOpenFile(handle)), readOffset: 0 };
  } catch (err) {
    await handle.close();
    throw err;
  }
}

const keyOf = (identity: { dev: number; ino: number }) => `${identity.dev}:${identity.ino}`;

export class RotatedCopies {
  /** By device and inode: what each accounted file started with when it was accounted for. */
  private readonly accounted = new Map<string, FileIdentity>();
  private readonly dir: string;
  private readonly base: string;
  /** The directory as `unread` last saw it: a copy is made by adding a file, so an unchanged directory holds no new one. */
  private lastListing = "";

  constructor(logPath: string) {
    this.dir = path.dirname(logPath);
    this.base = path.basename(logPath);
  }

  private isCopyName(name: string): boolean {
    return name.startsWith(`${this.base}.`) || name.startsWith(`${this.base}-`);
  }

  /**
   * What rotated before the tail started is history, not lines to read. When it resumes in
   * `resumedIn`, a copy last written since then rotated while the tail was stopped: it is not.
   */
  async accountForPresent(resumedIn?: OpenLog): Promise<void> {
    const stoppedAt = resumedIn ? (await resumedIn.handle.stat()).mtimeMs : Infinity;
    for await (const log of this.eachCopy()) {
      if ((await log.handle.stat()).mtimeMs < stoppedAt) this.accountFor(log.identity);
      await log.handle.close();
    }
  }

  accountFor(identity: FileIdentity): void {
    this.accounted.set(keyOf(identity), identity);
  }

  /** A copy that starts like `identity` and is at least `minSize` long, preferring the same inode (a rename). */
  async find(identity: FileIdentity, minSize: number): Promise<OpenLog | undefined> {
    const matching: OpenLog[] = [];
    for await (const log of this.eachCopy()) {
      if ((await log.handle.stat()).size >= minSize && (await headMatches(log.handle, identity))) matching.push(log);
      else await log.handle.close();
    }
    const found = matching.find((log) => keyOf(log.identity) === keyOf(identity)) ?? matching[0];
    for (const log of matching) if (log !== found) await log.handle.close();
    return found;
  }

  /**
   * Copies made since that the tail has never read from, oldest first: not accounted for, and
   * not a copy of `current` (logrotate copies before it truncates: that copy is found by `find`
   * once the truncation is seen). `head`: the first bytes of `current` as the tail read them,
   * which are its own even if it was emptied since.
   */
  async unread(current: OpenLog, head?: Buffer): Promise<OpenLog[]> {
    const listing = await this.listing();
    if (listing === this.lastListing) return [];
    const present = new Set<string>([keyOf(current.identity)]);
    const unread: Array<{ log: OpenLog; mtimeMs: number }> = [];
    const currentHead = head?.subarray(0, FINGERPRINT_BYTES) ?? (await readHead(current.handle, FINGERPRINT_BYTES));
    try {
      for await (const log of this.eachCopy()) {
        const key = keyOf(log.identity);
        present.add(key);
        const known = this.accounted.get(key);
        const read = known !== undefined && (await headMatches(log.handle, known));
        if (read || (await startsAlike(log.handle, currentHead))) {
          await log.handle.close();
          continue;
        }
        unread.push({ log, mtimeMs: (await log.handle.stat()).mtimeMs });
      }
    } catch (err) {
      for (const { log } of unread) await log.handle.close();
      throw err;
    }
    // Only a directory looked through to the end holds no copy the next look would find.
    this.lastListing = listing;
    // A copy deleted by logrotate's `rotate N` will not come back: forget it (the log itself is
    // no copy yet, but will be one once renamed).
    for (const key of this.accounted.keys()) if (!present.has(key)) this.accounted.delete(key);
    return unread.sort((a, b) => a.mtimeMs - b.mtimeMs || a.log.name.localeCompare(b.log.name)).map(({ log }) => log);
  }

  private async listing(): Promise<string> {
    try {
      const [stat, names] = await Promise.all([fs.stat(this.dir), fs.readdir(this.dir)]);
      return `${stat.mtimeMs} ${names.filter((n) => this.isCopyName(n)).sort().join("/")}`;
    } catch {
      return "";
    }
  }

  /**
   * The copies beside the log, opened one at a time, for the caller to close or keep: a log
   * rotated for years has more copies than a process may have files open.
   */
  private async *eachCopy(): AsyncGenerator<OpenLog> {
    let names: string[];
    try {
      names = await fs.readdir(this.dir);
    } catch {
      return;
    }
    for (const name of names.filter((n) => this.isCopyName(n) && !n.endsWith(".gz"))) {
      let log: OpenLog | undefined;
      try {
        log = await openLog(path.join(this.dir, name));
      } catch (err) {
        // Out of file descriptors, a copy passed over would be one whose lines are never read.
        const code = (err as NodeJS.ErrnoException).code;
        if (code === "EMFILE" || code === "ENFILE") throw err;
        // Otherwise not a regular file (a directory named like a rotation), or not ours to read.
      }
      if (log) yield log;
    }
  }
}

/** Do both files start with the same bytes, as far as both go? Two empty heads say nothing. */
async function startsAlike(handle: fs.FileHandle, head: Buffer): Promise<boolean> {
  const other = await readHead(handle, head.length);
  const common = Math.min(head.length, other.length);
  return common > 0 && head.subarray(0, common).equals(other.subarray(0, common));
}
