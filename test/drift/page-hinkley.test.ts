import assert from "node:assert/strict";
import { PageHinkley, type PageHinkleyOptions } from "../../src/drift/page-hinkley";
import { SeededRandom } from "../../src/stats/seeded-random";

/** A standard normal draw by the Box-Muller transform (1 - next() keeps the logarithm finite). */
const gaussian = (random: SeededRandom) => Math.sqrt(-2 * Math.log(1 - random.next())) * Math.cos(2 * Math.PI * random.next());

/** The index of the first drift `ph` reports while it reads `values`, or -1. */
function firstDrift(ph: PageHinkley, values: number[]): number {
  return values.findIndex((value) => {
    ph.update(value);
    return ph.driftDetected;
  });
}

/** Anomaly-score-like streams: 0.5 + N(0, 0.2²), shifted by `shift` from index 1000 on. */
function scores(seed: string, shift: number, length = 2000): number[] {
  const random = new SeededRandom(seed);
  return Array.from({ length }, (_, i) => 0.5 + 0.2 * gaussian(random) + (i >= 1000 ? shift : 0));
}

describe("PageHinkley", () => {
  it("reproduces River's docstring example shape: 1000 values of 0/1, then 4..7, a drift within 15 values", () => {
    // River's seed gives index 1006. Each value of 4..7 adds at least 3.4 to the sum, which
    // must climb 50 above its lowest point, so whatever the seed the drift comes by index 1014.
    for (let seed = 0; seed < 20; seed++) {
      const random = new SeededRandom(`river-docstring-${seed}`);
      const values = [...Array.from({ length: 1000 }, () => random.integer(0, 1)), ...Array.from({ length: 100 }, () => random.integer(4, 7))];
      const at = firstDrift(new PageHinkley(), values);
      assert.ok(at >= 1000 && at <= 1014, `seed ${seed}: drift at ${at}`);
    }
  });

  for (const shift of [0.5, -0.5]) {
    it(`detects a ${shift > 0 ? "rise" : "fall"} of the mean after about threshold / |shift| values`, () => {
      // After the change each value adds about |shift| - delta to the sum watched in that direction.
      const expected = PageHinkley.defaults.threshold / (Math.abs(shift) - PageHinkley.defaults.delta);
      for (let seed = 0; seed < 50; seed++) {
        const ph = new PageHinkley();
        const at = firstDrift(ph, scores(`ph-shift-${seed}`, shift));
        assert.ok(at >= 1000, `seed ${seed}: drift at ${at}`);
        assert.ok(at - 999 < 1.3 * expected, `seed ${seed}: delay ${at - 999}, expected about ${expected.toFixed(0)}`);
        assert.ok(Math.abs(ph.meanBeforeDrift - 0.5) < 0.06, `mean before ${ph.meanBeforeDrift}`);
        assert.ok(Math.abs(ph.meanAfterDrift - (0.5 + shift)) < 0.12, `mean after ${ph.meanAfterDrift}`);
      }
    });
  }

  it("watches only the configured direction", () => {
    const rising = scores("ph-direction", 0.5);
    const falling = scores("ph-direction", -0.5);
    const detects = (options: Partial<PageHinkleyOptions>, values: number[]) => firstDrift(new PageHinkley(options), values) >= 0;
    assert.deepEqual([detects({ mode: "up" }, rising), detects({ mode: "up" }, falling)], [true, false]);
    assert.deepEqual([detects({ mode: "down" }, rising), detects({ mode: "down" }, falling)], [false, true]);
  });

  it("raises no alarm on stationary streams whose noise over the stream stays well under the threshold", () => {
    // The cumulative deviation of 2,000 values with sigma 0.2 spreads about 0.2 * sqrt(2000) = 9,
    // far from 50. (With sigma 1 it spreads about 45 and alarms are common: the threshold is
    // in the stream's unit.)
    let streamsWithAlarm = 0;
    for (let seed = 0; seed < 100; seed++) {
      if (firstDrift(new PageHinkley(), scores(`ph-stationary-${seed}`, 0)) >= 0) streamsWithAlarm++;
    }
    assert.ok(streamsWithAlarm < 5, `${streamsWithAlarm} of 100 stationary streams raised a drift`);
  });

  it("tolerates a shift smaller than delta, however long it lasts", () => {
    // After the step the deviation from the running mean is at most the step itself: below
    // delta = 0.005 the watched sum only falls. A step of 0.05 climbs the threshold of 1 in ~25 values.
    const stepUp = (step: number) => [...Array<number>(1000).fill(0), ...Array<number>(20_000).fill(step)];
    assert.equal(firstDrift(new PageHinkley({ threshold: 1 }), stepUp(0.004)), -1);
    const at = firstDrift(new PageHinkley({ threshold: 1 }), stepUp(0.05));
    assert.ok(at >= 1000 && at < 1030, `drift at ${at}`);
  });

  it("waits for minInstances and starts over after a drift", () => {
    const ph = new PageHinkley({ minInstances: 30, threshold: 5 });
    const values = [...Array<number>(10).fill(0), ...Array<number>(40).fill(10)];
    const at = firstDrift(ph, values);
    assert.equal(at, 29, "the sum passed 5 at index 10, but no drift before the 30th value");
    ph.update(10);
    assert.equal(ph.driftDetected, false);
    assert.equal(ph.runningMean, 10);
  });

  it("refuses bad options and a state that is not its own", () => {
    assert.throws(() => new PageHinkley({ threshold: 0 }), RangeError);
    assert.throws(() => new PageHinkley({ mode: "sideways" as "up" }), RangeError);
    assert.throws(() => PageHinkley.fromJSON({ ...new PageHinkley().toJSON(), sumIncrease: Number.NaN }), TypeError);
  });
});
