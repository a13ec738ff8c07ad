import assert from "node:assert/strict";
import { Adwin } from "../../src/drift/adwin";
import { SeededRandom } from "../../src/stats/seeded-random";

/** A standard normal draw by the Box-Muller transform (1 - next() keeps the logarithm finite). */
const gaussian = (random: SeededRandom) => Math.sqrt(-2 * Math.log(1 - random.next())) * Math.cos(2 * Math.PI * random.next());

/** The indexes at which `adwin` reports a drift while it reads `values`. */
function driftIndexes(adwin: Adwin, values: number[]): number[] {
  const found: number[] = [];
  values.forEach((value, i) => {
    adwin.update(value);
    if (adwin.driftDetected) found.push(i);
  });
  return found;
}

/** Bifet & Gavaldà's epsilon_cut for sub-windows of n0 and n1 values, as ADWIN2 with MOA's correction evaluates it. */
function epsilonCut(n0: number, n1: number, varianceOfValues: number): number {
  const { delta, minWindowLength } = Adwin.defaults;
  const logTerm = Math.log((2 * Math.log(n0 + n1)) / delta);
  const mInverse = 1 / (n0 - minWindowLength + 1) + 1 / (n1 - minWindowLength + 1);
  return Math.sqrt(2 * mInverse * varianceOfValues * logTerm) + (2 / 3) * logTerm * mInverse;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

describe("Adwin", () => {
  it("keeps the whole window of a stationary stream, summarised in O(log n) buckets", () => {
    const adwin = new Adwin();
    const values = Array.from({ length: 100_000 }, (_, i) => i % 7);
    assert.deepEqual(driftIndexes(adwin, values), []);
    assert.equal(adwin.windowLength, 100_000);
    assert.ok(Math.abs(adwin.windowMean - values.reduce((a, b) => a + b) / values.length) < 1e-9);
    // Row i holds at most maxBuckets buckets of 2^i values.
    assert.ok(adwin.bucketCount <= Adwin.defaults.maxBuckets * (Math.ceil(Math.log2(100_000)) + 1), `${adwin.bucketCount} buckets`);
  });

  it("reproduces River's docstring example for every seed: 1000 values of 0/1, then 4..7, a drift at index 1023", () => {
    // River's seed gives "Change detected at index 1023": the first clock tick (every 32 values)
    // after the change. The jump is so large that the index does not depend on the seed, and
    // neither does the next one, 15 values after the stream falls back to 0/1.
    for (let seed = 0; seed < 20; seed++) {
      const random = new SeededRandom(`river-docstring-${seed}`);
      const values = [
        ...Array.from({ length: 1000 }, () => random.integer(0, 1)),
        ...Array.from({ length: 1000 }, () => random.integer(4, 7)),
        ...Array.from({ length: 1000 }, () => random.integer(0, 1)),
      ];
      assert.deepEqual(driftIndexes(new Adwin(), values), [1023, 2015], `seed ${seed}`);
    }
  });

  it("with one value per bucket and a check at every value, cuts exactly where the definition does", () => {
    // Every split of the window is then a candidate cut, so ADWIN reduces to the paper's
    // statement: drift at t when some split of the values since the last drift has
    // |mean(W0) - mean(W1)| > epsilon_cut. Checked against that statement evaluated directly.
    const random = new SeededRandom("adwin-definition");
    const values = Array.from({ length: 400 }, (_, i) => gaussian(random) + (i >= 200 ? 0.8 : 0) - (i >= 300 ? 1.6 : 0));
    const expected: number[] = [];
    let start = 0;
    values.forEach((_, t) => {
      const window = values.slice(start, t + 1);
      const n = window.length;
      const mean = window.reduce((a, b) => a + b, 0) / n;
      const varianceOfValues = window.reduce((a, b) => a + (b - mean) ** 2, 0) / n;
      let total0 = 0;
      for (let n0 = 1; n0 < n && n > Adwin.defaults.gracePeriod; n0++) {
        total0 += window[n0 - 1];
        const n1 = n - n0;
        if (n0 < Adwin.defaults.minWindowLength || n1 < Adwin.defaults.minWindowLength) continue;
        if (Math.abs(total0 / n0 - (mean * n - total0) / n1) > epsilonCut(n0, n1, varianceOfValues)) {
          expected.push(t);
          start = t + 1;
          break;
        }
      }
    });
    assert.ok(expected.length >= 2, `the stream should drift twice: ${expected.join(", ")}`);
    assert.deepEqual(driftIndexes(new Adwin({ clock: 1, maxBuckets: 1000 }), values), expected);
  });

  it("detects a one-sigma mean shift within the delay its epsilon_cut implies, up or down", () => {
    // After 1000 values of N(0, 1), a cut with k values of N(±1, 1) on its recent side is
    // significant once the expected gap of 1 exceeds epsilon_cut(1000, k); a check comes at
    // most one clock period later.
    let needed = Adwin.defaults.minWindowLength;
    while (epsilonCut(1000, needed, 1 + (1000 * needed) / (1000 + needed) ** 2) >= 1) needed++;
    const expectedDelay = needed + Adwin.defaults.clock;
    for (const shift of [1, -1]) {
      const delays: number[] = [];
      for (let seed = 0; seed < 100; seed++) {
        const random = new SeededRandom(`adwin-shift-${seed}`);
        const values = Array.from({ length: 2000 }, (_, i) => gaussian(random) + (i >= 1000 ? shift : 0));
        const found = driftIndexes(new Adwin(), values);
        assert.ok(found.length > 0 && found[0] >= 1000, `seed ${seed}: drifts at ${found.join(", ")}`);
        delays.push(found[0] - 999);
      }
      assert.ok(median(delays) <= expectedDelay, `median delay ${median(delays)} > ${expectedDelay}`);
      assert.ok(Math.max(...delays) < 200, `longest delay ${Math.max(...delays)}`);
    }
  });

  it("raises no alarm on 100 stationary streams of 2,000 values beyond what delta allows", () => {
    // delta bounds the false-alarm probability of one check; a stream of 2,000 values has
    // 62 checks. The bound is loose (Bernstein's inequality), so the observed rate is far lower.
    let streamsWithAlarm = 0;
    for (let seed = 0; seed < 100; seed++) {
      const random = new SeededRandom(`adwin-stationary-${seed}`);
      const values = Array.from({ length: 2000 }, () => gaussian(random));
      if (driftIndexes(new Adwin(), values).length > 0) streamsWithAlarm++;
    }
    assert.ok(streamsWithAlarm < 5, `${streamsWithAlarm} of 100 stationary streams raised a drift`);
  });

  it("reports the means of the dropped and the kept part, then starts over", () => {
    const random = new SeededRandom("adwin-means");
    const adwin = new Adwin();
    const values = Array.from({ length: 1200 }, (_, i) => 0.2 * gaussian(random) + (i >= 1000 ? 2 : 0));
    const at = values.findIndex((value) => (adwin.update(value), adwin.driftDetected));
    assert.ok(at >= 1000, `drift at ${at}`);
    assert.ok(Math.abs(adwin.meanBeforeDrift) < 0.05, `dropped mean ${adwin.meanBeforeDrift}`);
    assert.ok(adwin.meanAfterDrift > 1 && adwin.meanAfterDrift === adwin.windowMean, `kept mean ${adwin.meanAfterDrift}`);
    assert.ok(adwin.windowLength < at + 1);
    adwin.update(2);
    assert.equal(adwin.driftDetected, false);
    assert.equal(adwin.windowLength, 1);
    assert.ok(Number.isNaN(adwin.meanBeforeDrift));
  });

  it("refuses bad options and a state that is not its own", () => {
    assert.throws(() => new Adwin({ delta: 0 }), RangeError);
    assert.throws(() => new Adwin({ clock: 0 }), RangeError);
    // Memory is O(maxBuckets * log(window)) only for a bounded maxBuckets: 1e9 kept every value.
    assert.throws(() => new Adwin({ maxBuckets: 1e9 }), /maxBuckets must be at most 1000/);
    assert.doesNotThrow(() => new Adwin({ maxBuckets: 1000 }));
    assert.throws(() => Adwin.fromJSON({ ...new Adwin().toJSON(), width: Number.NaN }), TypeError);
    assert.throws(() => Adwin.fromJSON(JSON.parse('{"rows": 3}')), TypeError);
  });
});
