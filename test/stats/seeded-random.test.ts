import assert from "node:assert/strict";
import { SeededRandom } from "../../src/stats/seeded-random";

describe("SeededRandom", () => {
  it("repeats its sequence for a seed and differs between seeds", () => {
    const draw = (seed: string | number) => {
      const random = new SeededRandom(seed);
      return Array.from({ length: 50 }, () => random.nextUint32());
    };
    assert.deepEqual(draw("a"), draw("a"));
    assert.notDeepEqual(draw("a"), draw("b"));
    assert.deepEqual(draw(7), draw("7"));
  });

  it("draws uniformly: each tenth of [0, 1) gets a tenth of 100,000 draws", () => {
    const random = new SeededRandom("uniform");
    const bins = new Array<number>(10).fill(0);
    for (let i = 0; i < 100_000; i++) bins[Math.floor(random.next() * 10)] += 1;
    // The standard deviation of a bin is 95; 600 is more than six of them.
    for (const count of bins) assert.ok(Math.abs(count - 10_000) < 600, `bin count ${count}`);
  });

  it("keeps integers within both inclusive bounds and reaches each of them", () => {
    const random = new SeededRandom("integer");
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) seen.add(random.integer(3, 7));
    assert.deepEqual([...seen].sort(), [3, 4, 5, 6, 7]);
  });

  it("picks by weight and draws exponentials with the requested mean", () => {
    const random = new SeededRandom("weights");
    let heavy = 0;
    for (let i = 0; i < 20_000; i++) if (random.pickWeighted([["heavy", 3], ["light", 1]] as const) === "heavy") heavy += 1;
    assert.ok(Math.abs(heavy / 20_000 - 0.75) < 0.02);
    let sum = 0;
    for (let i = 0; i < 20_000; i++) sum += random.exponential(4);
    assert.ok(Math.abs(sum / 20_000 - 4) < 0.15);
  });
});
