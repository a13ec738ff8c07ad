/**
 * A bench in a Node process of its own: for flags the others must not get (--expose-gc, a capped
 * heap), and so that no earlier bench's heap, timers or garbage collections land in its figures.
 *
 *     const report = await benchInChildProcess(path.join(__dirname, `alert-latency${path.extname(__filename)}`), ["20", "60"]);
 *
 * The child runs its bench and hands the result to `reportBench`, which sends it to the parent,
 * or prints it when the file was run by hand.
 */
import { fork } from "node:child_process";
import * as path from "node:path";
import { Figure, printFigures } from "./figure";

/** A bench's figures, and the bounds they broke. */
export interface BenchReport {
  figures: Figure[];
  broken: string[];
}

export function benchInChildProcess(script: string, args: string[], options: { execArgv?: string[]; env?: NodeJS.ProcessEnv; whenSilent?: string } = {}): Promise<BenchReport> {
  return new Promise((resolve) => {
    const child = fork(script, args, { execArgv: [...process.execArgv, ...(options.execArgv ?? [])], env: options.env ?? process.env });
    let report: BenchReport | undefined;
    child.on("message", (message) => (report = message as BenchReport));
    child.on("exit", (code, signal) => {
      const ended = `${path.basename(script)} ended (${signal ?? `exit ${code}`}) before reporting`;
      resolve(report ?? { figures: [], broken: [options.whenSilent ? `${ended}: ${options.whenSilent}` : ended] });
    });
  });
}

export function reportBench(report: BenchReport): void {
  if (process.send) {
    process.send(report);
    return;
  }
  printFigures(report.figures);
  for (const problem of report.broken) console.error(`BOUND BROKEN: ${problem}`);
  if (report.broken.length > 0) process.exitCode = 1;
}
