import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
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
