/**
 * Runs the `honeyflow` command as a user would from a shell, and collects its output: the built
 * command when `npm run build` has run since the last change to src/ (`npm test` builds first),
 * else from source. From source, each run spends about two seconds compiling, and the suite runs
 * the command a few hundred times.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
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
  const command = builtCommandIsCurrent()
    ? [builtCommand]
    : ["-r", "ts-node/register/transpile-only", path.join(projectRoot, "src", "cli", "honeyflow.ts")];
  return spawnSync(process.execPath, [...command, ...args], {
    cwd: projectRoot,
    encoding: "utf8",
    timeout: timeoutMs,
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, TS_NODE_PROJECT: path.join(projectRoot, "tsconfig.json") },
  });
}

const builtCommand = path.join(projectRoot, "dist", "src", "cli", "honeyflow.js");
let builtIsCurrent: boolean | undefined;

/** Whether dist/ was built after every source file the command is made of last changed (asked once a run). */
function builtCommandIsCurrent(): boolean {
  if (builtIsCurrent === undefined) {
    const builtMs = fs.statSync(builtCommand, { throwIfNoEntry: false })?.mtimeMs ?? -Infinity;
    builtIsCurrent = newestSourceMs(path.join(projectRoot, "src")) < builtMs;
  }
  return builtIsCurrent;
}

function newestSourceMs(dir: string): number {
  let newest = -Infinity;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSourceMs(file));
    else if (entry.name.endsWith(".ts")) newest = Math.max(newest, fs.statSync(file).mtimeMs);
  }
  return newest;
}

/**
 * A generated sensor log for the calling suite: before its tests `honeyflow generate` (seed 5,
 * 5 events a second) writes `log` into a fresh temporary directory `dir`, where the tests write
 * their outputs too; after them the directory is removed.
 */
export function generatedSensorLogForSuite(prefix: string, events: number): { readonly dir: string; readonly log: string } {
  const sensor = { dir: "", log: "" };
  before(() => {
    sensor.dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    sensor.log = path.join(sensor.dir, "sensor.json");
    const generated = runHoneyflow("generate", "--events", String(events), "--seed", "5", "--rate", "5", "--out", sensor.log);
    assert.equal(generated.status, 0, generated.stderr);
  });
  after(() => {
    if (sensor.dir) fs.rmSync(sensor.dir, { recursive: true, force: true });
  });
  return sensor;
}
