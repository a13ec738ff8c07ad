import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as zlib from "node:zlib";
import { run as generate } from "../../src/cli/generate-command";
import { run as score } from "../../src/cli/score-command";
import { builtBackground } from "../datasets/drill/built-background";
import { captureCommand as capture } from "../support/command-output";
import { runHoneyflowWithin } from "../support/honeyflow-cli";

describe("honeyflow score on a directory with a broken rotation", () => {
  it("names the file that cannot be read", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "honeyflow-broken-gz-"));
    try {
      fs.writeFileSync(path.join(dir, "cowrie.json"), builtBackground("telnet-2.0", 20));
      const broken = path.join(dir, "cowrie.json.1.gz");
      fs.writeFileSync(broken, "not gzip\n");
      await assert.rejects(score(["--input", dir, "--out", path.join(dir, "alerts.out")]), (err: Error) => err.message === `${broken}: incorrect header check`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  // A rotation copied while it was being compressed: the days before the cut were scored.
  it("keeps the alerts found before a gzipped log's truncation and says the log was not scored to its end", async function () {
    this.timeout(120_000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "honeyflow-truncated-gz-"));
    try {
      const log = path.join(dir, "cowrie.json");
      assert.equal((await capture(generate, "--events", "20000", "--seed", "5", "--rate", "5", "--out", log)).code, 0);
      const gz = zlib.gzipSync(fs.readFileSync(log));
      const truncated = path.join(dir, "cowrie.json.1.gz");
      fs.writeFileSync(truncated, gz.subarray(0, Math.floor(gz.length * 0.8)));
      const alerts = path.join(dir, "alerts.jsonl");
      const run = runHoneyflowWithin(60_000, "score", "--input", truncated, "--out", alerts, "--warm-up", "500");
      assert.equal(run.status, 1, run.stderr);
      const kept = /the log was not scored to its end; \S+ holds the (\d+) alerts found before\n/.exec(run.stderr);
      assert.ok(kept, run.stderr);
      assert.match(run.stderr, /unexpected end of file/);
      assert.ok(Number(kept[1]) > 0, "alerts were found before the cut");
      assert.equal(fs.readFileSync(alerts, "utf8").split("\n").filter(Boolean).length, Number(kept[1]));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
