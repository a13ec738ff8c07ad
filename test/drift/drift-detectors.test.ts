import assert from "node:assert/strict";
import { createDriftDetector, DRIFT_DETECTOR_NAMES, restoreDriftDetector, type DriftDetectorName } from "../../src/drift/drift-catalogue";
import type { DriftDetector } from "../../src/drift/drift-detector";
import { SeededRandom } from "../../src/stats/seeded-random";

/** A standard normal draw by the Box-Muller transform (1 - next() keeps the logarithm finite). */
const gaussian = (random: SeededRandom) => Math.sqrt(-2 * Math.log(1 - random.next())) * Math.cos(2 * Math.PI * random.next());

/**
 * 2,000 values of a stationary stream, then 2,000 of a changed one, in what the detector reads:
 * normal noise (standard deviation 0.2, a score's scale) whose mean rises by 1, or error bits
 * whose rate rises from 0.1 to 0.5.
 */
function changingStream(detector: DriftDetector, seed: string): number[] {
  const random = new SeededRandom(seed);
  return Array.from({ length: 4000 }, (_, i) => {
    const changed = i >= 2000;
    if (detector.reads === "error-bits") return random.next() < (changed ? 0.5 : 0.1) ? 1 : 0;
    return 0.2 * gaussian(random) + (changed ? 1 : 0);
  });
}

/** The indexes (offset by `offset`) at which `detector` reports a drift while it reads `values`. */
function driftIndexes(detector: DriftDetector, values: number[], offset = 0): number[] {
  return values.flatMap((value, i) => (detector.update(value), detector.driftDetected ? [i + offset] : []));
}

/** Options other than the defaults, so that a restore is seen to keep them. */
const NON_DEFAULT: Record<DriftDetectorName, object> = {
  adwin: { delta: 0.01 },
  "page-hinkley": { threshold: 40 },
  ddm: { warmStart: 40 },
};

describe("every drift detector", () => {
  for (const name of DRIFT_DETECTOR_NAMES) {
    describe(name, () => {
      it("finds an abrupt change soon after it happens, and reports the means on both sides", () => {
        for (const seed of ["a", "b", "c"]) {
          const detector = createDriftDetector(name);
          const values = changingStream(detector, `${name}-${seed}`);
          let first = -1;
          let means: number[] = [];
          values.forEach((value, i) => {
            detector.update(value);
            if (i >= 2000 && first < 0 && detector.driftDetected) {
              first = i;
              means = [detector.meanBeforeDrift, detector.meanAfterDrift];
            }
          });
          assert.ok(first >= 2000 && first < 2300, `seed ${seed}: first drift after the change at ${first}`);
          assert.ok(means[1] > means[0], `the mean rose: ${means.join(" -> ")}`);
        }
      });

      it("raises at most one false alarm per 1,000 values of stationary streams", () => {
        // DDM's own test checks its rate against its drift threshold; a broken detector fires far more often.
        let alarms = 0;
        for (let seed = 0; seed < 10; seed++) {
          const detector = createDriftDetector(name);
          alarms += driftIndexes(detector, changingStream(detector, `${name}-quiet-${seed}`).slice(0, 2000)).length;
        }
        assert.ok(alarms <= 20, `${alarms} false drifts in 20,000 values`);
        const fresh = createDriftDetector(name);
        assert.ok(Number.isNaN(fresh.meanBeforeDrift) && Number.isNaN(fresh.meanAfterDrift));
      });

      it("continues from its JSON state exactly as if it had never stopped, options included", () => {
        const uninterrupted = createDriftDetector(name, NON_DEFAULT[name]);
        const values = changingStream(uninterrupted, `${name}-json`);
        const expected = driftIndexes(uninterrupted, values);
        const first = createDriftDetector(name, NON_DEFAULT[name]);
        const before = driftIndexes(first, values.slice(0, 1990));
        const restored = restoreDriftDetector(name, JSON.parse(JSON.stringify(first)));
        assert.deepEqual(restored.options, first.options);
        const after = driftIndexes(restored, values.slice(1990), 1990);
        assert.deepEqual([...before, ...after], expected);
        assert.deepEqual(restored.toJSON(), uninterrupted.toJSON());
        assert.ok(expected.length >= 1, `drifts at ${expected.join(", ")}`);
      });

      it("starts over on reset", () => {
        const detector = createDriftDetector(name);
        for (const value of changingStream(detector, `${name}-reset`)) detector.update(value);
        detector.reset();
        assert.deepEqual(detector.toJSON(), createDriftDetector(name).toJSON());
      });

      it("refuses a value whose squares and sums would overflow, and finds a later change as if it had never been offered", () => {
        const detector = createDriftDetector(name);
        const values = changingStream(detector, `${name}-overflow`);
        for (const huge of [1e308, -1e308, Number.NaN, Infinity]) assert.throws(() => detector.update(huge), RangeError);
        assert.deepEqual(driftIndexes(detector, values), driftIndexes(createDriftDetector(name), values));
      });

      it("refuses a state that is not its own kind's", () => {
        for (const other of DRIFT_DETECTOR_NAMES.filter((kind) => kind !== name)) {
          assert.throws(() => restoreDriftDetector(name, createDriftDetector(other).toJSON()), TypeError);
        }
        assert.throws(() => restoreDriftDetector(name, null), TypeError);
        assert.throws(() => restoreDriftDetector(name, { options: {} }), TypeError);
      });
    });
  }
});
