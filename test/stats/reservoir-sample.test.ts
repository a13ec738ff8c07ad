import assert from "node:assert/strict";
import { ReservoirSample } from "../../src/stats/reservoir-sample";
import { SeededRandom } from "../../src/stats/seeded-random";

describe("ReservoirSample", () => {
  it("gives exact nearest-rank quantiles while the stream fits", () => {
    const sample = new ReservoirSample(100);
    for (const v of [5, 1, 4, 2, 3]) sample.add(v);
    assert.equal(sample.quantile(0.5), 3);
    assert.equal(sample.quantile(0.95), 5);
    assert.equal(sample.quantile(0.2), 1);
    assert.equal(sample.quantile(0.21), 2);
    assert.equal(sample.count, 5);
  });

  it("has no quantile before the first value and after clear", () => {
    const sample = new ReservoirSample(10);
    assert.equal(sample.quantile(0.5), undefined);
    sample.add(7);
    sample.clear();
    assert.equal(sample.quantile(0.5), undefined);
    assert.equal(sample.count, 0);
  });

  it("keeps a uniform sample of a long stream: p50 and p95 of 1..200,000 within 4 standard errors", () => {
    const n = 200_000;
    for (const seed of ["a", "b", "c", "d", "e"]) {
      const sample = new ReservoirSample(2048, seed);
      // Ascending order is the hard case: a biased reservoir would keep the early (small) values.
      for (let v = 1; v <= n; v++) sample.add(v);
      for (const q of [0.5, 0.95]) {
        // The rank of a uniform sample's q-quantile has standard error sqrt(q(1-q)/2048).
        const rank = (sample.quantile(q) as number) / n;
        const standardError = Math.sqrt((q * (1 - q)) / 2048);
        assert.ok(Math.abs(rank - q) < 4 * standardError, `q${q}: rank ${rank} (seed ${seed})`);
      }
    }
  });

  it("never holds more than its capacity", () => {
    const sample = new ReservoirSample(16);
    for (let v = 0; v < 10_000; v++) sample.add(v);
    assert.equal(sample.count, 10_000);
    const kept = new Set<number>();
    for (let q = 1; q <= 64; q++) kept.add(sample.quantile(q / 64) as number);
    assert.ok(kept.size <= 16);
  });

  it("keeps each value with probability capacity / n (Algorithm R's invariant)", () => {
    // 2,000 runs of a 100-value stream into 10 slots: each value should be kept ~200 times.
    const kept = new Array<number>(100).fill(0);
    const seeds = new SeededRandom("runs");
    for (let run = 0; run < 2000; run++) {
      const sample = new ReservoirSample(10, seeds.nextUint32());
      for (let v = 0; v < 100; v++) sample.add(v);
      for (let q = 1; q <= 10; q++) kept[sample.quantile(q / 10) as number] += 1;
    }
    // Binomial(2000, 0.1): mean 200, sd 13.4; 5 sd either side.
    for (let v = 0; v < 100; v++) assert.ok(kept[v] > 133 && kept[v] < 267, `value ${v} kept ${kept[v]} times`);
  });
});
