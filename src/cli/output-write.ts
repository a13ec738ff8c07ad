/**
 * A write to a command's output that says which output failed: Node's own error for a full
 * disk or a closed pipe ("ENOSPC: no space left on device, write") names no file, and a
 * command with two outputs (score's --out and --scores) would leave the user guessing.
 */
import * as fs from "node:fs";

/** Writes all of `text` to `fd`; a failure is thrown as `<name>: <reason>`, its code kept. */
export function writeOutput(fd: number, name: string, text: string): void {
  try {
    fs.writeSync(fd, text);
  } catch (err) {
    throw Object.assign(new Error(`${name}: ${(err as Error).message}`), { code: (err as NodeJS.ErrnoException).code });
  }
}
