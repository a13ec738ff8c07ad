/** Runs the `honeyflow` command from source, as a user would from a shell, and collects its output. */
import { spawnSync } from "node:child_process";
import * as path from "node:path";

const projectRoot = path.resolve(__dirname, "..", "..");

export function runHoneyflow(...args: string[]) {
  return spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", path.join(projectRoot, "src", "cli", "honeyflow.ts"), ...args], {
    cwd: projectRoot,
    encoding: "utf8",
    env: { ...process.env, TS_NODE_PROJECT: path.join(projectRoot, "tsconfig.json") },
  });
}
