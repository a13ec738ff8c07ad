import assert from "node:assert/strict";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { generatedSensorLogForSuite, runHoneyflowWithin } from "../support/honeyflow-cli";

/** Reading a piped log twice hangs on a pipe with no writer left: a run this long is that. */
const BOUND_MS = 60_000;

// `honeyflow score --input <(zcat cowrie.json.*.gz)` reads a pipe, which can be read once.
describe("honeyflow commands reading a piped log", function () {
  this.timeout(4 * BOUND_MS);
  const sensor = generatedSensorLogForSuite("honeyflow-piped-", 2_000);
  let fifo: string;
  let writer: ChildProcess | undefined;

  /** A named pipe that `cat` fills with the log, as a shell's `<(...)` does. */
  function pipedLog(): string {
    fifo = path.join(sensor.dir, "piped.json");
    fs.rmSync(fifo, { force: true });
    execFileSync("mkfifo", [fifo]);
    writer = spawn("sh", ["-c", 'cat "$0" > "$1"', sensor.log, fifo], { stdio: "ignore" });
    return fifo;
  }

  afterEach(() => {
    writer?.kill();
  });

  it("score scores every line of the pipe, not what is left after its head was read to order it", () => {
    const log = fs.readFileSync(sensor.log, "utf8");
    const lines = log.split("\n").filter(Boolean).length;
    assert.ok(Buffer.byteLength(log) > 4 * 64 * 1024, "the log spans several reads of the pipe");
    const run = runHoneyflowWithin(BOUND_MS, "score", "--input", pipedLog(), "--out", path.join(sensor.dir, "alerts.jsonl"));
    assert.equal(run.signal, null, "honeyflow score hung on the pipe");
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stderr, new RegExp(`scored ${lines} events from ${lines} lines: 0 rejected, 0 duplicates, 0 malformed`));
  });

  it("replay writes every line of the pipe", () => {
    const out = path.join(sensor.dir, "replayed.json");
    const run = runHoneyflowWithin(BOUND_MS, "replay", "--input", pipedLog(), "--speed", "max", "--out", out);
    assert.equal(run.signal, null, "honeyflow replay hung on the pipe");
    assert.equal(run.status, 0, run.stderr);
    const [log, replayed] = [sensor.log, out].map((file) => fs.readFileSync(file, "utf8"));
    const count = (text: string) => text.split("\n").filter(Boolean).length;
    assert.ok(replayed === log, `replayed ${count(replayed)} of the log's ${count(log)} lines, or other bytes`);
  });

  it("drill refuses a pipe (it reads its log twice) with a usage error, and writes nothing", () => {
    const out = path.join(sensor.dir, "drill.json");
    const input = pipedLog();
    const run = runHoneyflowWithin(BOUND_MS, "drill", "--input", input, "--out", out, "--episodes", "2");
    assert.equal(run.status, 2, run.stderr);
    assert.ok(run.stderr.includes(`--input ${input} is not a file but a pipe or device: a drill reads its log twice, so save it to a file first`), run.stderr);
    assert.ok(!fs.existsSync(out));
  });
});
