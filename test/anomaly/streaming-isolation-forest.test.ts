import assert from "node:assert/strict";
import { StreamingIsolationForest } from "../../src/anomaly/streaming-isolation-forest";

/** A forest past its first trees (256 events), saved as the online detector saves it. */
function savedForest(): { options: Record<string, unknown> } & Record<string, unknown> {
  const forest = new StreamingIsolationForest({ seed: 3 });
  for (let i = 0; i < 300; i++) forest.learn([Math.sin(i) ** 3, Math.cos(i) ** 3]);
  return JSON.parse(JSON.stringify(forest.toJSON())) as { options: Record<string, unknown> } & Record<string, unknown>;
}

describe("StreamingIsolationForest", () => {
  it("grows a restored forest to its own sizes, not to sizes a saved file names", () => {
    const saved = savedForest();
    for (const options of [{ nTrees: "x" }, { subsampleSize: 0 }, { nTrees: 2.5, retrainEvery: -1 }]) {
      const restored = StreamingIsolationForest.fromJSON({ ...saved, options: { ...saved.options, ...options } });
      // Far from where the stream lives, in a forest of trees.
      assert.ok(restored.score([1, 1]) > restored.score([0, 0]), JSON.stringify(options));
    }
  });
});
