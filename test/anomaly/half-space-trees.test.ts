import assert from "node:assert/strict";
import { HalfSpaceTrees } from "../../src/anomaly/half-space-trees";

/** A forest past its first window, saved as the online detector saves it. */
function savedForest(): { options: Record<string, unknown> } & Record<string, unknown> {
  const hst = new HalfSpaceTrees({ seed: 7 });
  for (let i = 0; i < 300; i++) hst.learn([i % 10, i % 3]);
  return JSON.parse(JSON.stringify(hst)) as { options: Record<string, unknown> } & Record<string, unknown>;
}

describe("HalfSpaceTrees", () => {
  it("reads back what it saved, scoring as before", () => {
    const hst = new HalfSpaceTrees({ seed: 7 });
    for (let i = 0; i < 300; i++) hst.learn([i % 10, i % 3]);
    const restored = HalfSpaceTrees.fromJSON(JSON.parse(JSON.stringify(hst)));
    assert.equal(restored.score([9, 0]), hst.score([9, 0]));
  });

  // A walk down a tree stops at depth `height`: with any other height it never stops, and the
  // online detector that restored such a state froze Node-RED on its next score, on every start.
  for (const height of [2.5, -1, "8", 1e9]) {
    it(`refuses a saved height of ${JSON.stringify(height)}, which no walk down a tree reaches or a tree can hold`, () => {
      const saved = savedForest();
      assert.throws(() => HalfSpaceTrees.fromJSON({ ...saved, options: { ...saved.options, height } }), RangeError);
    });
  }

  // Not settable in the editor; a saved model beyond them built a billion trees at its next learn,
  // or never ended its first window and scored every event 0.
  for (const [option, value] of [["nTrees", 1e9], ["windowSize", 1e12], ["nTrees", 0]] as const) {
    it(`refuses a saved ${option} of ${value}`, () => {
      const saved = savedForest();
      assert.throws(() => HalfSpaceTrees.fromJSON({ ...saved, options: { ...saved.options, [option]: value } }), RangeError);
    });
  }
});
