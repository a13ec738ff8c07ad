/**
 * Saves a tail's position in a small JSON file, atomically.
 *
 * Written as a temporary file and renamed over the old one, so a crash mid-write leaves the
 * previous position rather than a torn file (which would restart the tail from scratch).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { TailPosition } from "./log-tail";

export class TailPositionFile {
  constructor(readonly file: string) {}

  load(): TailPosition | undefined {
    let text: string;
    try {
      text = fs.readFileSync(this.file, "utf8");
    } catch {
      return undefined;
    }
    try {
      const saved = JSON.parse(text) as TailPosition;
      const valid = typeof saved.path === "string" && Number.isInteger(saved.offset) &&
        Number.isInteger(saved.line) && typeof saved.identity?.fingerprint === "string";
      return valid ? saved : undefined;
    } catch {
      return undefined;
    }
  }

  save(position: TailPosition): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, JSON.stringify(position));
    fs.renameSync(temporary, this.file);
  }

  remove(): void {
    fs.rmSync(this.file, { force: true });
  }
}
