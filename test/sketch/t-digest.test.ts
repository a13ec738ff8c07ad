import assert from "node:assert/strict";
import { SeededRandom } from "../../src/stats/seeded-random";
import { TDigest } from "../../src/sketch/t-digest";

/** Mid-rank CDF of `value` among sorted `values`: the definition the digest estimates. */
function exactCdf(sorted: number[], value: number): number {
  let less = 0;
  let equal = 0;
  for (const v of sorted) {
    if (v < value) less++;
    else if (v === value) equal++;
  }
  return (less + equal / 2) / sorted.length;
}

/**
 * Dunning & Ertl's greedy merge under k1, computed the textbook way (the arcsine and sine for
 * every limit): the centroids a merge of sorted `values` into `centroids` must give.
 */
function referenceMerge(compression: number, centroids: { means: number[]; weights: number[] }, values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const total = centroids.weights.reduce((sum, w) => sum + w, 0) + sorted.length;
  const qLimit = (cumulative: number) => {
    const k = (compression / (2 * Math.PI)) * Math.asin(2 * (cumulative / total) - 1) + 1;
    return (k >= compression / 4 ? 1 : (Math.sin((2 * Math.PI * k) / compression) + 1) / 2) * total;
  };
  const means: number[] = [];
  const weights: number[] = [];
  let cumulative = 0;
  let mean = NaN;
  let weight = 0;
  for (let c = 0, b = 0; c < centroids.means.length || b < sorted.length; ) {
    const fromCentroid = c < centroids.means.length && (b >= sorted.length || centroids.means[c] <= sorted[b]);
    const m = fromCentroid ? centroids.means[c] : sorted[b];
    const w = fromCentroid ? centroids.weights[c++] : (b++, 1);
    if (weight === 0) {
      [mean, weight] = [m, w];
    } else if (cumulative + weight + w <= qLimit(cumulative)) {
      weight += w;
      mean += ((m - mean) * w) / weight;
    } else {
      means.push(mean);
      weights.push(weight);
      cumulative += weight;
      [mean, weight] = [m, w];
    }
  }
  means.push(mean);
  weights.push(weight);
  return { means, weights };
}

describe("TDigest", () => {
  const random = new SeededRandom("t-digest");
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random.next())) * Math.cos(2 * Math.PI * random.next());
  const streams: Record<string, () => number> = {
    gaussian,
    "heavy-tailed": () => Math.exp(2 * gaussian()),
    "integer counts": () => Math.floor(random.exponential(4)),
  };

  for (const [name, draw] of Object.entries(streams)) {
    it(`estimates the CDF of a ${name} stream, most precisely in the tails`, () => {
      const digest = new TDigest(100);
      const values = Array.from({ length: 50_000 }, draw);
      values.forEach((v) => digest.add(v));
      const sorted = [...values].sort((a, b) => a - b);
      for (const q of [0.001, 0.01, 0.05, 0.5, 0.95, 0.99, 0.999]) {
        const value = sorted[Math.floor(q * sorted.length)];
        const exact = exactCdf(sorted, value);
        // Integer data piles thousands of ties on one value; interpolation spreads them.
        const tolerance = name === "integer counts" ? 0.02 : q < 0.02 || q > 0.98 ? 0.002 : 0.01;
        assert.ok(Math.abs(digest.cdf(value) - exact) <= tolerance, `q=${q}: ${digest.cdf(value)} vs ${exact}`);
      }
      assert.ok((digest.toJSON().means.length) <= 100, "about δ centroids at most");
    });
  }

  it("merges into exactly the centroids of the textbook k1 merge, value by value, in batches, after decay and at other δ (property)", () => {
    for (const compression of [20, 100, 300]) {
      for (const [name, draw] of Object.entries(streams)) {
        const digest = new TDigest(compression);
        let expected = { means: [] as number[], weights: [] as number[] };
        for (let step = 0; step < 3000; step++) {
          // One value then a query forces a merge of one (as AdaptiveThreshold does every event);
          // now and then a batch, smaller than the buffer so that it is merged in one go.
          const batch = Array.from({ length: step % 50 === 0 ? 13 : 1 }, draw);
          for (const v of batch) digest.add(v);
          digest.quantile(0.5);
          expected = referenceMerge(compression, expected, batch);
          if (step % 1000 === 999) {
            digest.decay(0.5);
            expected.weights = expected.weights.map((w) => w * 0.5);
          }
        }
        const { means, weights } = digest.toJSON();
        assert.deepEqual({ means, weights }, expected, `δ = ${compression}, ${name}`);
      }
    }
  });

  it("answers 0 below everything seen and 1 above", () => {
    const digest = new TDigest();
    [3, 4, 5].forEach((v) => digest.add(v));
    assert.equal(digest.cdf(2), 0);
    assert.equal(digest.cdf(6), 1);
    assert.equal(digest.cdf(4), 0.5);
  });

  it("gives quantiles that invert the CDF", () => {
    const digest = new TDigest();
    for (let i = 1; i <= 10_000; i++) digest.add(i);
    for (const q of [0.01, 0.25, 0.5, 0.9, 0.999]) assert.ok(Math.abs(digest.quantile(q) - q * 10_000) <= 0.005 * 10_000, `q=${q}`);
  });

  it("survives JSON and forgets by decay", () => {
    const digest = new TDigest();
    for (let i = 0; i < 1000; i++) digest.add(i % 97);
    const copy = TDigest.fromJSON(JSON.parse(JSON.stringify(digest.toJSON())));
    for (const v of [0, 13, 50, 96]) assert.equal(copy.cdf(v), digest.cdf(v));
    copy.decay(0.5);
    assert.equal(copy.count, 500);
    assert.equal(copy.cdf(50), digest.cdf(50));
  });

  it("goes on after a restore exactly as the original does", () => {
    const digest = new TDigest();
    for (let i = 0; i < 1000; i++) digest.add(gaussian());
    const copy = TDigest.fromJSON(JSON.parse(JSON.stringify(digest.toJSON())));
    for (let i = 0; i < 5000; i++) {
      const v = gaussian();
      digest.add(v);
      copy.add(v);
      assert.equal(copy.cdf(v / 2), digest.cdf(v / 2));
    }
    assert.deepEqual(copy.toJSON(), digest.toJSON());
  });
});
