/**
 * A write to a command's output that says which output failed: Node's own error for a full
 * disk or a closed pipe ("ENOSPC: no space left on device, write") names no file, and a
 * command with two outputs (score's --out and --scores) would leave the user guessing.
 */
import * as fs from "node:fs";

/**
 * How long a write waits for the reader of a full pipe before it tries again. Node makes a piped
 * stdout non-blocking: `honeyflow replay --speed max | mosquitto_pub -l` fills the pipe faster than
 * its reader empties it, and a write then takes part of the text or none (EAGAIN).
 */
const FULL_PIPE_WAIT_MS = 10;
const fullPipeWait = new Int32Array(new SharedArrayBuffer(4));

/** Writes all of `text` to `fd`, waiting on a full pipe; a failure is thrown as `<name>: <reason>`, its code kept. */
export function writeOutput(fd: number, name: string, text: string): void {
  let unwritten = Buffer.from(text);
  while (unwritten.length > 0) {
    try {
      unwritten = unwritten.subarray(fs.writeSync(fd, unwritten));
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === "EAGAIN") {
        Atomics.wait(fullPipeWait, 0, 0, FULL_PIPE_WAIT_MS);
        continue;
      }
      throw Object.assign(new Error(`${name}: ${(err as Error).message}`), { code });
    }
  }
}
