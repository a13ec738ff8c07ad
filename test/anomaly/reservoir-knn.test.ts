import assert from "node:assert/strict";
import { ReservoirKnn } from "../../src/anomaly/reservoir-knn";
import { SeededRandom } from "../../src/stats/seeded-random";

/** Points on the line y = x with a little noise: each coordinate alone spans [0, 10). */
function diagonal(count: number, seed: string): number[][] {
  const random = new SeededRandom(seed);
  return Array.from({ length: count }, () => {
    const t = 10 * random.next();
    return [t, t + 0.2 * (random.next() - 0.5)];
  });
}

describe("ReservoirKnn", () => {
  it("scores a combination never seen above any ordinary point, though each value alone is common", () => {
    const knn = new ReservoirKnn();
    for (const x of diagonal(2000, "train")) knn.learn(x);
    const offDiagonal = knn.score([1, 9]);
    for (const x of diagonal(200, "probe")) assert.ok(knn.score(x) < offDiagonal, `${x.join(",")}`);
  });

  it("keeps a uniform sample: the first half of a stream and the second are kept about equally", () => {
    const knn = new ReservoirKnn({ reservoirSize: 256 });
    for (let i = 0; i < 20_000; i++) knn.learn([i]);
    const kept = knn.toJSON().reservoir;
    assert.equal(kept.length, 256);
    const early = kept.filter((v) => v < 10_000).length;
    // Binomial(256, 1/2): 4.5 standard deviations either side.
    assert.ok(Math.abs(early - 128) < 36, `early ${early}`);
  });

  it("scores 0 until it holds k events, and never depends on the event scored", () => {
    const knn = new ReservoirKnn({ k: 5 });
    for (let i = 0; i < 4; i++) {
      assert.equal(knn.score([i, i]), 0);
      knn.learn([i, i]);
    }
    knn.learn([4, 4]);
    assert.ok(knn.score([50, 50]) > 0);
    assert.equal(knn.score([50, 50]), knn.score([50, 50]));
  });

  it("round-trips through JSON, and goes on drawing the same reservoir", () => {
    const rows = diagonal(3000, "stream");
    const knn = new ReservoirKnn();
    for (const x of rows.slice(0, 1500)) knn.learn(x);
    const copy = ReservoirKnn.fromJSON(JSON.parse(JSON.stringify(knn.toJSON())));
    for (const x of rows.slice(1500)) {
      assert.equal(copy.score(x), knn.score(x));
      knn.learn(x);
      copy.learn(x);
    }
    assert.deepEqual(copy.toJSON(), knn.toJSON());
  });

  it("refuses a saved reservoir larger than its own, or a k that is no whole number up to it", () => {
    const knn = new ReservoirKnn();
    for (const x of diagonal(300, "saved")) knn.learn(x);
    const saved = JSON.parse(JSON.stringify(knn.toJSON())) as Parameters<typeof ReservoirKnn.fromJSON>[0];
    // Every score scans the whole reservoir: one of ten million events would make each event a stall.
    assert.throws(() => ReservoirKnn.fromJSON({ ...saved, reservoirSize: 10_000_000 }), RangeError);
    for (const k of [0, 2.5, 300]) assert.throws(() => ReservoirKnn.fromJSON({ ...saved, k }), RangeError, `k ${k}`);
  });
});
