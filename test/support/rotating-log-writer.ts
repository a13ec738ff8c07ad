/**
 * Writes a cowrie.json the way a live sensor does - appends, lines split across writes - and
 * rotates it the ways Cowrie and logrotate do. Every line carries a sequence number so a test
 * can count what a reader received: each number exactly once.
 */
import * as fs from "node:fs";

export class RotatingLogWriter {
  private nextSeq = 0;
  private rotations = 0;
  /** The second half of a line whose first half was written before a rotation. */
  private pendingTail = "";

  constructor(readonly file: string, private readonly padding = 180) {}

  get written(): number {
    return this.nextSeq;
  }

  line(seq: number): string {
    const timestamp = new Date(Date.UTC(2026, 2, 18) + seq * 250).toISOString().replace("Z", "123Z");
    return JSON.stringify({
      eventid: "cowrie.command.input",
      seq,
      timestamp,
      session: `s${seq % 97}`,
      src_ip: `198.51.100.${seq % 250}`,
      sensor: "honeypot-test",
      input: "x".repeat(this.padding),
    }) + "\n";
  }

  /** Append `count` lines; with `splitLast`, the last line's second half waits for the next write. */
  append(count: number, splitLast = false): void {
    let text = this.pendingTail;
    this.pendingTail = "";
    for (let i = 0; i < count; i++) text += this.line(this.nextSeq++);
    if (splitLast && count > 0) {
      const lastLength = this.line(this.nextSeq - 1).length;
      const cut = text.length - Math.floor(lastLength / 2);
      this.pendingTail = text.slice(cut);
      text = text.slice(0, cut);
    }
    fs.appendFileSync(this.file, text);
  }

  /** Write what is still pending of a split line. */
  flush(): void {
    if (this.pendingTail) fs.appendFileSync(this.file, this.pendingTail);
    this.pendingTail = "";
  }

  /** Cowrie's own daily rotation: rename, and the next write creates a new file. */
  renameRotation(): string {
    const rotated = `${this.file}.2026-03-${String(++this.rotations).padStart(2, "0")}`;
    fs.renameSync(this.file, rotated);
    return rotated;
  }

  /** logrotate `copytruncate`: copy the content aside, then empty the file in place. */
  copyTruncate(): string {
    const copy = `${this.file}.${++this.rotations}`;
    fs.copyFileSync(this.file, copy);
    fs.truncateSync(this.file, 0);
    return copy;
  }

  deleteFile(): void {
    fs.unlinkSync(this.file);
  }
}

/** Sequence numbers of received lines, and which arrived more than once. */
export function tallySequences(lines: Iterable<string>): { distinct: number; duplicates: number[] } {
  const seen = new Set<number>();
  const duplicates: number[] = [];
  for (const text of lines) {
    const seq = (JSON.parse(text) as { seq: number }).seq;
    if (seen.has(seq)) duplicates.push(seq);
    seen.add(seq);
  }
  return { distinct: seen.size, duplicates };
}
