/**
 * Opening an output for writing truncates it, before a line of the input is read: an output
 * path that names one of the inputs (by another spelling or through a symlink too) would wipe
 * the user's log, so it is refused as a usage error first.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { UsageError } from "./usage-error";

function realPath(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return path.resolve(file); // not written yet, so not an input
  }
}

/**
 * Throws a UsageError if an output (given as `[option, path]`) is one of `inputFiles`; `harm` says
 * what writing it would do (an output appended to, as replay's, would feed the replay its own
 * lines until the disk is full).
 */
export function refuseOutputOverInput(inputFiles: string[], outputs: Array<[string, string | undefined]>, harm = "would wipe the log before it is read"): void {
  const inputs = new Set(inputFiles.map(realPath));
  for (const [option, file] of outputs) {
    if (file !== undefined && inputs.has(realPath(file))) throw new UsageError(`${option} ${file} is also an input: writing it ${harm}`);
  }
}
