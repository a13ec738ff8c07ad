import assert from "node:assert/strict";
import { RecentVectors } from "../../src/collections/recent-vectors";
import { SeededRandom } from "../../src/stats/seeded-random";

describe("RecentVectors", () => {
  it("keeps the last `capacity` vectors of any sequence, oldest first, whatever their lengths (property)", () => {
    const random = new SeededRandom("recent-vectors");
    const recent = new RecentVectors(5);
    const model: number[][] = [];
    for (let i = 0; i < 2_000; i++) {
      const x = Array.from({ length: random.chance(0.9) ? 3 : 4 }, () => random.next());
      recent.push(x);
      model.push([...x]);
      if (model.length > 5) model.shift();
      assert.deepEqual(recent.vectors(), model);
    }
  });

  it("keeps copies: neither the vector pushed nor the vectors handed out are its own arrays", () => {
    const recent = new RecentVectors(2);
    const x = [1, 2];
    recent.push(x);
    x[0] = 9;
    const handedOut = recent.vectors();
    handedOut[0][1] = 9;
    recent.push([3, 4]);
    recent.push([5, 6]);  // reuses the oldest copy's array
    assert.deepEqual(handedOut, [[1, 9]]);
    assert.deepEqual(recent.vectors(), [[3, 4], [5, 6]]);
  });

  it("keeps nothing at capacity 0 and forgets everything on clear", () => {
    const none = new RecentVectors(0);
    none.push([1]);
    assert.equal(none.length, 0);
    const recent = new RecentVectors(3);
    recent.push([1]);
    recent.clear();
    assert.deepEqual(recent.vectors(), []);
  });
});
