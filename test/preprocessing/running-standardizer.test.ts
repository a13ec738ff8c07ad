import assert from "node:assert/strict";
import { RunningStandardizer } from "../../src/preprocessing/running-standardizer";
import { SeededRandom } from "../../src/stats/seeded-random";

const signedLog1p = (x: number) => Math.sign(x) * Math.log1p(Math.abs(x));

function batchMeanAndVariance(rows: number[][]) {
  const columns = rows[0].map((_, j) => rows.map((row) => row[j]));
  const mean = columns.map((c) => c.reduce((a, b) => a + b, 0) / c.length);
  const variance = columns.map((c, j) => c.reduce((a, x) => a + (x - mean[j]) ** 2, 0) / (c.length - 1));
  return { mean, variance };
}

function closeTo(actual: readonly number[], expected: readonly number[], relative: number) {
  actual.forEach((a, j) => assert.ok(Math.abs(a - expected[j]) <= relative * Math.max(1, Math.abs(expected[j])), `feature ${j}: ${a} vs ${expected[j]}`));
}

describe("RunningStandardizer", () => {
  const random = new SeededRandom("standardizer");
  // Counts, a negative cyclic feature and a large-offset feature, like window features.
  const rows = Array.from({ length: 2000 }, () => [
    Math.floor(random.exponential(3)),
    Math.sin(random.uniform(0, 2 * Math.PI)),
    1e9 + random.uniform(0, 10),
  ]);

  it("matches the batch mean and sample variance", () => {
    const scaler = new RunningStandardizer({ log1p: false });
    for (const row of rows) scaler.learn(row);
    const batch = batchMeanAndVariance(rows);
    closeTo(scaler.mean(), batch.mean, 1e-12);
    closeTo(scaler.variance(), batch.variance, 1e-6);
    assert.equal(scaler.count, 2000);
  });

  it("matches the batch statistics of the signed log1p when log1p is on, staying finite on negatives", () => {
    const scaler = new RunningStandardizer();
    for (const row of rows) scaler.learn(row);
    const batch = batchMeanAndVariance(rows.map((row) => row.map(signedLog1p)));
    closeTo(scaler.mean(), batch.mean, 1e-12);
    closeTo(scaler.variance(), batch.variance, 1e-9);
    assert.ok(scaler.transform([0, -1, 1e9]).every(Number.isFinite));
  });

  it("standardises with what it learned before, without learning from the transformed vector", () => {
    const scaler = new RunningStandardizer({ log1p: false });
    for (const x of [[1], [2], [3]]) scaler.learn(x);
    const [z] = scaler.transform([4]);
    assert.ok(Math.abs(z - 2) < 1e-6, `z ${z}`);
    assert.equal(scaler.count, 3);
    assert.deepEqual(scaler.mean(), [2]);
  });

  it("keeps Welford's accuracy where the sum-of-squares formula cancels", () => {
    const scaler = new RunningStandardizer({ log1p: false });
    for (const x of [4, 7, 13, 16]) scaler.learn([1e9 + x]);
    assert.ok(Math.abs(scaler.variance()[0] - 30) < 1e-6, `variance ${scaler.variance()[0]}`);
  });

  it("gives a constant feature a z of 0, and a first change of it a large finite z", () => {
    const scaler = new RunningStandardizer({ log1p: false });
    for (let i = 0; i < 100; i++) scaler.learn([i % 5, 0]);
    assert.equal(scaler.transform([2, 0])[1], 0);
    const [, changed] = scaler.transform([2, 1]);
    assert.ok(Number.isFinite(changed) && changed >= 999, `z ${changed}`);
    assert.ok(scaler.transform([1, 1]).every(Number.isFinite));
  });

  it("with log1p, keeps ordinary counts apart despite a storm on the same feature", () => {
    const feed = (scaler: RunningStandardizer) => {
      for (let i = 0; i < 500; i++) scaler.learn([i % 6]);
      scaler.learn([20_000]);
      return scaler.transform([5])[0] - scaler.transform([1])[0];
    };
    // On the raw scale one brute-force burst makes 1 and 5 failed logins look the same.
    assert.ok(feed(new RunningStandardizer({ log1p: false })) < 0.01);
    assert.ok(feed(new RunningStandardizer({ log1p: true })) > 1);
  });

  it("continues identically after a JSON round trip", () => {
    const original = new RunningStandardizer();
    rows.slice(0, 1000).forEach((row) => original.learn(row));
    const restored = RunningStandardizer.fromJSON(JSON.parse(JSON.stringify(original)));
    for (const row of rows.slice(1000)) {
      assert.deepEqual(restored.transform(row), original.transform(row));
      original.learn(row);
      restored.learn(row);
    }
    assert.deepEqual(restored.toJSON(), original.toJSON());
  });

  it("transformThenLearn gives exactly transform's z, then exactly learn's state", () => {
    const separate = new RunningStandardizer();
    const combined = new RunningStandardizer();
    for (const row of rows) {
      const z = separate.transform(row);
      separate.learn(row);
      assert.deepEqual(combined.transformThenLearn(row), z);
    }
    assert.deepEqual(combined.toJSON(), separate.toJSON());
    assert.throws(() => combined.transformThenLearn([1, 2]), /expected 3 features, got 2/);
    assert.equal(combined.count, rows.length);
  });

  it("rejects a vector of another length once it has learned one", () => {
    const scaler = new RunningStandardizer();
    scaler.learn([1, 2, 3]);
    assert.throws(() => scaler.learn([1, 2]), /expected 3 features, got 2/);
    assert.throws(() => scaler.transform([1, 2, 3, 4]), /expected 3 features, got 4/);
  });
});
