import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { writeOutput } from "../../src/cli/output-write";
import { run as replay } from "../../src/cli/replay-command";
import { run as score } from "../../src/cli/score-command";
import { run as scoreCsv } from "../../src/cli/score-csv-command";
import { builtBackground } from "../datasets/drill/built-background";
import { captureCommand as capture } from "../support/command-output";

// /dev/full takes the open and refuses every write with ENOSPC, as a full disk does.
(fs.existsSync("/dev/full") ? describe : describe.skip)("honeyflow replay, score and score-csv with an output that refuses writes", () => {
  let dir: string;
  let log: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "honeyflow-output-write-"));
    log = path.join(dir, "cowrie.json");
    fs.writeFileSync(log, builtBackground("telnet-2.0", 200));
    fs.writeFileSync(path.join(dir, "data.csv"), "a,b\n1,2\n3,4\n");
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const namesTheOutput = (err: Error) => /^\/dev\/full: ENOSPC/.test(err.message);

  it("replay says which output failed", async () => {
    await assert.rejects(capture(replay, "--input", log, "--speed", "max", "--out", "/dev/full"), namesTheOutput);
  });

  it("score says which output failed", async () => {
    await assert.rejects(capture(score, "--input", log, "--scores", "/dev/full"), namesTheOutput);
  });

  it("score-csv says which output failed", async () => {
    await assert.rejects(capture(scoreCsv, "--input", path.join(dir, "data.csv"), "--out", "/dev/full"), namesTheOutput);
  });
});

// Node makes a piped stdout non-blocking: `honeyflow replay --speed max | slow-reader` fills the
// pipe, and a write then takes part of its text (or none, EAGAIN).
describe("writeOutput to a non-blocking pipe its reader empties slowly", () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "honeyflow-output-pipe-"));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("writes every byte, waiting for the reader, and gives up on none", async () => {
    const fifo = path.join(dir, "pipe");
    const copy = path.join(dir, "copy");
    execFileSync("mkfifo", [fifo]);
    const opening = fs.openSync(fifo, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK); // lets the write end open
    const out = fs.openSync(fifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK);
    const readEnd = fs.openSync(fifo, fs.constants.O_RDONLY);
    const reader = spawn("sh", ["-c", 'sleep 0.3; cat > "$0"', copy], { stdio: [readEnd, "ignore", "ignore"] });
    const readerDone = new Promise((resolve) => reader.once("exit", resolve));
    fs.closeSync(readEnd);
    fs.closeSync(opening);
    const text = `${"a line of a replayed log\n".repeat(40_000)}`; // 1 MB, sixteen times a pipe's buffer
    try {
      writeOutput(out, "stdout", text);
    } finally {
      fs.closeSync(out);
    }
    await readerDone;
    assert.equal(fs.statSync(copy).size, Buffer.byteLength(text));
  });
});
