import assert from "node:assert/strict";
import { SeededRandom } from "../../src/stats/seeded-random";
import { StreamingEcod } from "../../src/anomaly/streaming-ecod";

/**
 * ECOD's outlyingness of `value` among `seen`, from the definition: the tail probability on the
 * side the sample's skewness points to, with ties counted half, smoothed as (rank + 1) / (n + 2),
 * scored −log(2·p) and at least 0.
 */
function ecodOutlyingness(seen: readonly number[], value: number): number {
  return ecodTails(seen, value).outlyingness;
}

/**
 * What feature `value` adds to ECOD's score among `seen`, from the definition as ECOD's authors
 * score it (PyOD's ECOD): the larger of the skewed side's outlyingness and the mean of both
 * tails' −log, taken here as −log(2·√(p_left·p_right)) to be 0 at the median, and at least 0.
 */
function ecodScoreTerm(seen: readonly number[], value: number): number {
  const { outlyingness, left, right } = ecodTails(seen, value);
  return Math.max(outlyingness, -Math.log(2 * Math.sqrt(left * right)), 0);
}

function ecodTails(seen: readonly number[], value: number): { outlyingness: number; left: number; right: number } {
  const n = seen.length;
  const mean = seen.reduce((a, b) => a + b, 0) / n;
  const m3 = seen.reduce((sum, v) => sum + (v - mean) ** 3, 0);
  let below = 0;
  for (const v of seen) below += v < value ? 1 : v === value ? 0.5 : 0;
  const left = (below + 1) / (n + 2);
  const right = (n - below + 1) / (n + 2);
  return { outlyingness: Math.max(0, -Math.log(2 * (m3 < 0 ? left : right))), left, right };
}

/**
 * Saved by StreamingEcod at commit 16cd9fa, when every feature was a t-digest (compression 20):
 * 200 rows of a right-skewed count and a uniform measurement. With the probes' outlyingness and
 * usual ranges as that version gave them, and their scores since the score counts both tails
 * (values below the median, such as 0 failed logins and 44.1, counted 0 before).
 */
const SAVED_WITH_T_DIGESTS = {
  compression: 20,
  features: [
    {
      compression: 20,
      means: [0, 0, 0, 0, 0, 0.3333333333333333, 1, 1.7931034482758617, 2.653846153846154, 3.7619047619047614, 4.8888888888888875, 7, 10.5, 16],
      weights: [1, 4, 7, 15, 20, 15, 27, 29, 26, 21, 18, 10, 6, 1],
      min: 0,
      max: 16,
    },
    {
      compression: 20,
      means: [
        45.123333333333335, 45.41571428571429, 45.945, 46.80166666666667, 48.074999999999996, 49.28275862068966, 50.39545454545455,
        51.69041666666666, 53.26160000000001, 54.090625, 54.664, 54.8425,
      ],
      weights: [3, 7, 16, 18, 26, 29, 22, 24, 25, 16, 10, 4],
      min: 45.02,
      max: 54.98,
    },
  ],
  moments: [200, 2.344999999999999, 1439.1950000000008, 7931.220449999998, 200, 50.111249999999984, 1749.2057874999991, 70.71669290624635],
};
const PROBES = [[0, 50], [2, 47.5], [9, 50], [30, 60], [1, 44.1]];
const SCORES_NOW = [0.10318475409491645, 0.06434816747327177, 0.4637764045059686, 0.9004962809790011, 0.39252702022164754];
const OUTLYINGNESS_THEN = [[0, 0.009322974505815129], [0.10547239751070667, 0], [2.4834932219908548, 0.009322974505815129], [4.61512051684126, 4.61512051684126], [0, 0]];
const USUAL_RANGES_THEN = [[0, 7.875], [45.57680124223602, 54.61989423076923]];

describe("StreamingEcod", () => {
  const random = new SeededRandom("streaming-ecod");

  it("scores count features by ECOD's definition, with exact ranks", () => {
    // Right-skewed counts (attack counts), and left-skewed ones: each feature looks at its own tail.
    const rows = Array.from({ length: 3000 }, () => [Math.floor(random.exponential(3)), 40 - Math.floor(random.exponential(2)), random.next() < 0.01 ? 1 : 0]);
    const ecod = new StreamingEcod();
    rows.slice(0, 2000).forEach((x) => ecod.learn(x));
    const columns = [0, 1, 2].map((j) => rows.slice(0, 2000).map((x) => x[j]));
    for (const probe of [...rows.slice(2000, 2100), [40, 20, 1], [0, 40, 0], [-3, 45, 7]]) {
      const expected = probe.map((v, j) => ecodOutlyingness(columns[j], v));
      ecod.featureOutlyingness(probe).forEach((o, j) => assert.ok(Math.abs(o - expected[j]) < 1e-12, `feature ${j} of ${probe}: ${o} vs ${expected[j]}`));
      const mean = probe.reduce((sum, v, j) => sum + ecodScoreTerm(columns[j], v), 0) / probe.length;
      assert.ok(Math.abs(ecod.score(probe) - (1 - Math.exp(-mean / 2))) < 1e-12, `score of ${probe}`);
    }
  });

  it("scores a value far on the side its feature's skewness does not point to, without naming it", () => {
    // Thyroid-like: a right-skewed measurement whose anomalies lie far below its usual values.
    const ecod = new StreamingEcod();
    for (let i = 0; i < 2000; i++) ecod.learn([10 + random.exponential(3), random.next()]);
    const usual = [13, 0.5];
    const farBelow = [2, 0.5];
    assert.deepEqual(ecod.featureOutlyingness(farBelow), [0, ecod.featureOutlyingness(usual)[1]], "not what explains an anomaly");
    assert.ok(ecod.score(usual) < 0.1 && ecod.score(farBelow) > 0.4, `${ecod.score(farBelow)} vs ${ecod.score(usual)}`);
  });

  it("restores a model saved when every feature was a t-digest, scoring as it did", () => {
    const ecod = StreamingEcod.fromJSON(JSON.parse(JSON.stringify(SAVED_WITH_T_DIGESTS)));
    assert.deepEqual(PROBES.map((x) => ecod.score(x)), SCORES_NOW);
    assert.deepEqual(PROBES.map((x) => ecod.featureOutlyingness(x)), OUTLYINGNESS_THEN);
    assert.deepEqual([ecod.usualRange(0), ecod.usualRange(1)], USUAL_RANGES_THEN);
    ecod.learn([3, 50]);
    assert.ok(ecod.score([30, 60]) > 0.9, "and goes on learning");
  });

  it("round-trips its state exactly, exact counts and t-digests alike, and goes on as the original", () => {
    // Failed logins take a few values and stay exact; a mean inter-arrival time never repeats.
    const rows = Array.from({ length: 3000 }, () => [Math.floor(random.exponential(2)), random.exponential(5)]);
    const original = new StreamingEcod();
    rows.slice(0, 2000).forEach((x) => original.learn(x));
    const saved = original.toJSON();
    assert.ok("values" in saved.features[0] && "means" in saved.features[1], "counts kept exactly, the continuous feature as a digest");
    const copy = StreamingEcod.fromJSON(JSON.parse(JSON.stringify(saved)));
    assert.deepEqual(copy.toJSON(), original.toJSON());
    for (const x of rows.slice(2000)) {
      assert.equal(copy.score(x), original.score(x));
      copy.learn(x);
      original.learn(x);
    }
    assert.deepEqual(copy.toJSON(), original.toJSON());
    assert.deepEqual(copy.usualRange(0), original.usualRange(0));
  });

  it("gives the usual range of a count feature as values it has seen", () => {
    const ecod = new StreamingEcod();
    // One event in 25 downloads a file: the 95th percentile is still 0 downloads, not 0.05.
    for (let i = 0; i < 1000; i++) ecod.learn([i % 25 === 0 ? 1 : 0, [0, 0, 0, 0, 1, 1, 2, 5][i % 8]]);
    assert.deepEqual(ecod.usualRange(0), [0, 0]);
    assert.deepEqual(ecod.usualRange(1), [0, 5]);
  });
});
