/** Runs the `honeyflow` command from source, as a user would from a shell, and collects its output. */
import { spawnSync } from "node:child_process";
import * as path from "node:path";

const projectRoot = path.resolve(__dirname, "..", "..");

export function runHoneyflow(...args: string[]) {
  return runHoneyflowWithin(0, ...args);
}

/**
 * The same, killed after `timeoutMs` (0: never): a test that asserts "no hang" needs a bound, as
 * spawnSync blocks the event loop that mocha's own timeout would need. A killed run has `signal` set.
 */
export function runHoneyflowWithin(timeoutMs: number, ...args: string[]) {
  return spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", path.join(projectRoot, "src", "cli", "honeyflow.ts"), ...args], {
    cwd: projectRoot,
    encoding: "utf8",
    timeout: timeoutMs,
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, TS_NODE_PROJECT: path.join(projectRoot, "tsconfig.json") },
  });
}
