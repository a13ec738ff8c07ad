import assert from "node:assert/strict";
import { EmpiricalDistribution } from "../../src/stats/empirical-distribution";
import { SeededRandom } from "../../src/stats/seeded-random";
import { TDigest } from "../../src/sketch/t-digest";

/** Values below `value` plus half of those equal to it: the mid-rank both forms answer. */
function midRank(values: readonly number[], value: number): number {
  let rank = 0;
  for (const v of values) {
    if (v < value) rank += 1;
    else if (v === value) rank += 0.5;
  }
  return rank;
}

/** Every seen value, the midpoints between neighbours, and values beyond both ends. */
function probesOf(values: readonly number[]): number[] {
  const distinct = [...new Set(values)].sort((a, b) => a - b);
  const between = distinct.slice(1).map((v, i) => (v + distinct[i]) / 2);
  return [...distinct, ...between, distinct[0] - 1, distinct[distinct.length - 1] + 1];
}

describe("EmpiricalDistribution", () => {
  const random = new SeededRandom("empirical-distribution");

  it("counts ties half, like TDigest.cdf, and answers 0.5 before any value", () => {
    const failedLogins = new EmpiricalDistribution();
    assert.equal(failedLogins.cdf(3), 0.5);
    for (const v of [0, 0, 0, 1, 3]) failedLogins.add(v);
    assert.equal(failedLogins.rank(1), 3.5);
    assert.equal(failedLogins.rank(0), 1.5);
    assert.equal(failedLogins.cdf(2), 0.8);
    assert.equal(failedLogins.cdf(-1), 0);
    assert.equal(failedLogins.cdf(3), 0.9);
    assert.equal(failedLogins.cdf(4), 1);
    assert.equal(failedLogins.count, 5);
  });

  it("ranks exactly by the mid-rank definition while the values are few", () => {
    for (const mean of [0.5, 3, 20]) {
      const distribution = new EmpiricalDistribution();
      const values: number[] = [];
      // Arrival order matters to the table (new values land between old ones): check as it grows.
      for (let i = 0; i < 5000; i++) {
        const v = Math.floor(random.exponential(mean));
        distribution.add(v);
        values.push(v);
        if (i % 500 === 499) for (const probe of probesOf(values)) assert.equal(distribution.rank(probe), midRank(values, probe), `mean ${mean}, ${i + 1} values, rank of ${probe}`);
      }
      assert.ok(distribution.isExact, "a count of mean 20 has well under 256 distinct values");
    }
  });

  it("agrees with a t-digest on small data, at every value", () => {
    for (let trial = 0; trial < 50; trial++) {
      const distribution = new EmpiricalDistribution();
      const digest = new TDigest();
      // Fewer values than the digest buffers, which it counts one by one: its answers are exact too.
      const values = Array.from({ length: 1 + (trial % 20) }, () => Math.floor(random.exponential(2)));
      for (const v of values) {
        distribution.add(v);
        digest.add(v);
      }
      for (const probe of probesOf(values)) assert.equal(distribution.cdf(probe), digest.cdf(probe), `${values} at ${probe}`);
    }
  });

  it("agrees with a t-digest on a long stream of counts, within the digest's own error for ties", () => {
    const distribution = new EmpiricalDistribution();
    const digest = new TDigest();
    for (let i = 0; i < 50_000; i++) {
      const v = Math.floor(random.exponential(4));
      distribution.add(v);
      digest.add(v);
    }
    for (let v = 0; v <= 30; v++) assert.ok(Math.abs(distribution.cdf(v) - digest.cdf(v)) <= 0.02, `at ${v}: ${distribution.cdf(v)} vs ${digest.cdf(v)}`);
  });

  it("becomes a t-digest past maxDistinct values, keeping every count", () => {
    const distribution = new EmpiricalDistribution(100, 8);
    const values: number[] = [];
    for (let i = 0; i < 800; i++) {
      const v = i % 8;
      distribution.add(v);
      values.push(v);
    }
    assert.ok(distribution.isExact);
    distribution.add(8.5);
    values.push(8.5);
    assert.ok(!distribution.isExact);
    assert.equal(distribution.count, 801);
    // The digest starts from one centroid per distinct value: still exact at every seen value.
    for (const v of [0, 3, 7, 8.5]) assert.equal(distribution.rank(v), midRank(values, v), `rank of ${v}`);
    // From there on it is a t-digest: a continuous stream within its tail precision.
    const gaussian = () => Math.sqrt(-2 * Math.log(1 - random.next())) * Math.cos(2 * Math.PI * random.next());
    for (let i = 0; i < 20_000; i++) {
      const v = 4 + 2 * gaussian();
      distribution.add(v);
      values.push(v);
    }
    const sorted = [...values].sort((a, b) => a - b);
    for (const q of [0.001, 0.01, 0.99, 0.999]) {
      const v = sorted[Math.floor(q * sorted.length)];
      assert.ok(Math.abs(distribution.cdf(v) - midRank(sorted, v) / sorted.length) <= 0.002, `q=${q}`);
    }
    assert.ok("means" in distribution.toJSON(), "saved as a digest");
  });

  it("gives nearest-rank quantiles while exact", () => {
    const distribution = new EmpiricalDistribution();
    assert.ok(Number.isNaN(distribution.quantile(0.5)));
    for (const v of [5, 1, 4, 2, 3]) distribution.add(v);
    assert.equal(distribution.quantile(0.5), 3);
    assert.equal(distribution.quantile(0.95), 5);
    assert.equal(distribution.quantile(0.2), 1);
    assert.equal(distribution.quantile(0.21), 2);
    assert.equal(distribution.quantile(0), 1);
    assert.equal(distribution.quantile(1), 5);
  });

  it("ignores NaN and infinite values, as a t-digest does", () => {
    const distribution = new EmpiricalDistribution();
    for (const v of [1, NaN, Infinity, -Infinity, 2]) distribution.add(v);
    assert.equal(distribution.count, 2);
    assert.equal(distribution.cdf(Infinity), 1);
    assert.equal(distribution.cdf(-Infinity), 0);
    assert.ok(Number.isNaN(distribution.rank(NaN)));
  });

  it("round-trips its state exactly through JSON, in either form, and goes on as the original", () => {
    for (const maxDistinct of [256, 16]) {
      const original = new EmpiricalDistribution(100, maxDistinct);
      const values = Array.from({ length: 3000 }, () => Math.floor(random.exponential(5)));
      values.slice(0, 2000).forEach((v) => original.add(v));
      const state = JSON.parse(JSON.stringify(original.toJSON()));
      const copy = EmpiricalDistribution.fromJSON(state);
      assert.deepEqual(copy.toJSON(), original.toJSON());
      assert.equal(copy.isExact, original.isExact);
      assert.equal(copy.isExact, maxDistinct === 256, "16 distinct values are too few for this stream");
      for (const v of values.slice(2000)) {
        copy.add(v);
        original.add(v);
        assert.equal(copy.rank(v + 0.5), original.rank(v + 0.5));
      }
      assert.deepEqual(copy.toJSON(), original.toJSON());
      assert.equal(copy.quantile(0.95), original.quantile(0.95));
    }
  });

  it("restores a t-digest's state as that digest", () => {
    const digest = new TDigest();
    for (let i = 0; i < 1000; i++) digest.add(i % 97);
    const state = JSON.parse(JSON.stringify(digest.toJSON()));
    const distribution = EmpiricalDistribution.fromJSON(state);
    assert.ok(!distribution.isExact);
    for (const v of [-1, 0, 13, 50.5, 96, 100]) assert.equal(distribution.cdf(v), digest.cdf(v));
    assert.equal(distribution.quantile(0.9), digest.quantile(0.9));
  });

  it("refuses a cap that is not a positive integer", () => {
    assert.throws(() => new EmpiricalDistribution(100, 0), RangeError);
    assert.throws(() => new EmpiricalDistribution(100, 2.5), RangeError);
  });

  it("refuses a saved cap above its own, which would keep every distinct value exactly, without bound", () => {
    const distribution = new EmpiricalDistribution();
    for (let i = 0; i < 100; i++) distribution.add(i % 7);
    const state = { ...JSON.parse(JSON.stringify(distribution.toJSON())), maxDistinct: 1e9 };
    assert.throws(() => EmpiricalDistribution.fromJSON(state), RangeError);
  });
});
