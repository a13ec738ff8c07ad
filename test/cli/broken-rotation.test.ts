import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { run as score } from "../../src/cli/score-command";
import { builtBackground } from "../datasets/drill/built-background";

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
});
