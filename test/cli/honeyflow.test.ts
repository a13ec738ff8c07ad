import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runHoneyflow as honeyflow } from "../support/honeyflow-cli";

describe("honeyflow", function () {
  this.timeout(60_000);
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "honeyflow-cli-"));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  for (const command of ["score", "eval", "replay", "generate", "drill", "score-csv"]) {
    it(`${command}: an unknown option is a usage error, exit code 2 with the usage`, () => {
      const result = honeyflow(command, "--bogus");
      assert.equal(result.status, 2, result.stderr);
      assert.match(result.stderr, new RegExp(`^honeyflow ${command}: .*'--bogus'`));
      assert.match(result.stderr, new RegExp(`usage: honeyflow ${command}`));
    });
  }

  for (const command of ["score", "replay", "drill"]) {
    it(`${command}: a directory without a Cowrie log is an error, not an empty success`, () => {
      const empty = fs.mkdtempSync(path.join(dir, "empty-"));
      fs.writeFileSync(path.join(empty, "notes.txt"), "not a log\n");
      const result = honeyflow(command, "--input", empty, "--out", path.join(dir, `${command}-out.json`));
      assert.equal(result.status, 2, result.stderr);
      assert.match(result.stderr, new RegExp(`honeyflow ${command}: no Cowrie log \\(a file named \\*\\.json\\*\\) in ${empty}`));
      assert.ok(!fs.existsSync(path.join(dir, `${command}-out.json`)), "nothing written");
    });
  }
});
