/**
 * Saves a node's state - a tail position, a model - as a small JSON file under the user
 * directory, atomically: written to a temporary file and renamed over the old one, so a crash
 * mid-write leaves the previous state rather than a torn file.
 */
import * as fs from "node:fs";
import * as path from "node:path";

export class StateFile<T> {
  /** `isValid` rejects files from older versions or other nodes, which then count as absent. */
  constructor(readonly file: string, private readonly isValid: (value: unknown) => value is T) {}

  load(): T | undefined {
    try {
      const value: unknown = JSON.parse(fs.readFileSync(this.file, "utf8"));
      return this.isValid(value) ? value : undefined;
    } catch {
      return undefined;
    }
  }

  /** Whether there is a file, read back or not: `load` answers undefined for both none and one it cannot read. */
  exists(): boolean {
    return fs.existsSync(this.file);
  }

  save(state: T): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, JSON.stringify(state));
    fs.renameSync(temporary, this.file);
  }

  remove(): void {
    fs.rmSync(this.file, { force: true });
  }
}
