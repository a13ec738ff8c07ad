import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { run as drill } from "../../src/cli/drill-command";
import { run as replay } from "../../src/cli/replay-command";
import { run as score } from "../../src/cli/score-command";
import { run as scoreCsv } from "../../src/cli/score-csv-command";
import { UsageError } from "../../src/cli/usage-error";
import { builtBackground } from "../datasets/drill/built-background";

describe("honeyflow drill, replay, score and score-csv with an output path that is one of their inputs", () => {
  let dir: string;
  let real: string;
  let original: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "honeyflow-out-over-in-"));
    real = path.join(dir, "cowrie.json");
    original = builtBackground("telnet-2.0", 200);
    fs.writeFileSync(real, original);
  });

  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const refused = (err: Error) => err instanceof UsageError && /is also an input/.test(err.message);

  it("drill refuses --out naming its input, by the same or another path, and leaves the real log as it was", async () => {
    fs.symlinkSync(real, path.join(dir, "link.json"));
    for (const out of [real, path.join(dir, ".", "cowrie.json"), path.join(dir, "link.json")]) {
      await assert.rejects(drill(["--input", real, "--out", out, "--episodes", "1"]), refused, out);
    }
    await assert.rejects(drill(["--input", dir, "--out", real, "--episodes", "1"]), refused, "a file of an input directory");
    assert.equal(fs.readFileSync(real, "utf8"), original);
  });

  // replay appends: the log would be fed its own lines until the disk is full (the AWS log grew to 2.4 GB in 15 s).
  it("replay refuses --out naming its input, of a directory too, and leaves the log as it was", async () => {
    await assert.rejects(replay(["--input", real, "--speed", "max", "--out", real]), (err: Error) => refused(err) && /append the log to itself without end/.test(err.message));
    await assert.rejects(replay(["--input", dir, "--speed", "max", "--out", real]), refused, "a file of an input directory");
    assert.equal(fs.readFileSync(real, "utf8"), original);
  });

  it("score refuses --out or --scores naming its input and leaves the log as it was", async () => {
    await assert.rejects(score(["--input", real, "--out", real]), refused);
    await assert.rejects(score(["--input", dir, "--scores", real]), refused);
    assert.equal(fs.readFileSync(real, "utf8"), original);
  });

  it("score-csv refuses --out naming its input and leaves the CSV as it was", async () => {
    const csv = path.join(dir, "data.csv");
    const rows = "a,b,label\n1,2,0\n3,4,1\n";
    fs.writeFileSync(csv, rows);
    fs.symlinkSync(csv, path.join(dir, "link.csv"));
    for (const out of [csv, path.join(dir, "link.csv")]) {
      await assert.rejects(scoreCsv(["--input", csv, "--out", out]), refused, out);
    }
    assert.equal(fs.readFileSync(csv, "utf8"), rows);
  });
});
