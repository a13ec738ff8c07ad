import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as path from "node:path";

describe("the Flow Library scorecard (node-red-dev validate)", function () {
  this.timeout(120_000);

  it("reports no failed check on the built package, and an example for every node", function () {
    const result = spawnSync(process.execPath, [path.join(__dirname, "..", "..", "scripts", "scorecard.js")], { encoding: "utf8" });
    const output = `${result.stdout}${result.stderr}`;
    assert.equal(result.status, 0, output);
    assert.match(output, /Examples found for all nodes/);
    assert.match(output, /Nodes all have unique names/);
  });
});
