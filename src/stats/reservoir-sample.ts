/**
 * A uniform random sample of at most `capacity` values from a stream of unknown length, and
 * quantiles read from it: Vitter's Algorithm R ("Random sampling with a reservoir", ACM TOMS
 * 11(1), 1985).
 *
 * Used for timeliness percentiles over one metrics interval: a replay at full speed can push
 * hundreds of thousands of events through an interval, and memory must not follow. Up to
 * `capacity` values the quantiles are exact; beyond, each value is kept with equal
 * probability, and the sample's q-quantile has a rank standard error of sqrt(q(1-q)/capacity):
 * half a percentile for p95 at 2,048 values. The generator is seeded, so a run can be
 * reproduced exactly.
 *
 * ```ts
 * const lags = new ReservoirSample(2048);
 * for (const lag of [120, 80, 95, 3000]) lags.add(lag);
 * assert.equal(lags.quantile(0.5), 95);          // nearest rank, exact up to 2,048 values
 * lags.clear();                                  // next interval
 * assert.equal(lags.quantile(0.5), undefined);
 * ```
 */
import { SeededRandom } from "./seeded-random";

export class ReservoirSample {
  private readonly values: number[] = [];
  private readonly random: SeededRandom;
  /** Values offered since the last clear, kept or not. */
  count = 0;

  constructor(readonly capacity: number, seed: string | number = "reservoir") {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
    this.random = new SeededRandom(seed);
  }

  add(value: number): void {
    this.count += 1;
    if (this.values.length < this.capacity) {
      this.values.push(value);
      return;
    }
    // Algorithm R: the n-th value replaces a random slot with probability capacity / n.
    const slot = Math.floor(this.random.next() * this.count);
    if (slot < this.capacity) this.values[slot] = value;
  }

  /**
   * The nearest-rank q-quantile (0 < q <= 1) of the sample: the smallest value with at least
   * q of the sample at or below it. Undefined when nothing was added.
   */
  quantile(q: number): number | undefined {
    if (this.values.length === 0) return undefined;
    const sorted = [...this.values].sort((a, b) => a - b);
    const rank = Math.max(1, Math.ceil(q * sorted.length));
    return sorted[Math.min(rank, sorted.length) - 1];
  }

  clear(): void {
    this.values.length = 0;
    this.count = 0;
  }
}
