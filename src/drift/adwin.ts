/**
 * ADWIN, adaptive windowing: Albert Bifet and Ricard Gavaldà, "Learning from Time-Changing
 * Data with Adaptive Windowing", SIAM International Conference on Data Mining, 2007 (ADWIN2,
 * with the exponential histogram of Datar et al. 2002 and the variance bookkeeping of
 * Babcock et al. 2003).
 *
 * ADWIN keeps a window of recent values and drops its older part W0 as soon as the means of
 * W0 and the recent part W1 differ by more than a bound that a stationary stream exceeds with
 * probability at most `delta`. The window therefore grows while nothing changes and shrinks
 * when the mean moves. Values are summarised in rows of buckets, row i holding buckets of 2^i
 * values and at most `maxBuckets` of them, so memory is O(maxBuckets * log(window)) and a check
 * costs as much. Every `clock` values each bucket boundary is tried as a cut: River's default
 * of 32 makes updates about 10x faster than checking at every value, for a detection delay of
 * at most `clock` - 1 values more.
 *
 * As River's `drift.ADWIN` does, the detector starts over on the update after a drift, so one
 * change yields one detection: kept, the window would go on shrinking at the next few checks
 * and report the same change again (online-ml/river#574). Until that update, `meanBeforeDrift`
 * is the mean of the older part that was cut off and `meanAfterDrift` that of the part kept.
 *
 * ```ts
 * const adwin = new Adwin();                        // delta 0.002, a check every 32 values
 * for (let i = 0; i < 1000; i++) adwin.update(i % 2);
 * let driftAt = -1;
 * for (let i = 1000; i < 1100 && driftAt < 0; i++) {
 *   adwin.update(4 + (i % 4));
 *   if (adwin.driftDetected) driftAt = i;
 * }
 * assert.equal(driftAt, 1023);                      // at the first check after the change
 * assert.equal(adwin.meanBeforeDrift, 0.5);
 * ```
 */
import { isDriftValue, LARGEST_DRIFT_VALUE, type DriftDetector } from "./drift-detector";


export interface AdwinOptions {
  /** The false-alarm probability the cut bound allows per check. */
  delta: number;
  /** Look for a cut once every `clock` values. */
  clock: number;
  /** Buckets of one size kept before the two oldest are merged into one of twice the size. */
  maxBuckets: number;
  /** Neither part of a cut may hold fewer values than this. */
  minWindowLength: number;
  /** No check until the window holds more values than this. */
  gracePeriod: number;
}

/** Everything an Adwin needs to continue where it stopped; plain JSON. */
export interface AdwinState {
  options: AdwinOptions;
  /** rows[i]: the totals and sums of squared deviations of its buckets of 2^i values, oldest first. */
  rows: Array<{ totals: number[]; variances: number[] }>;
  total: number;
  variance: number;
  width: number;
  tick: number;
  driftDetected: boolean;
  droppedTotal: number;
  droppedWidth: number;
}

/** The most buckets of one size ADWIN keeps (see the constructor). */
const MAX_BUCKETS = 1000;

export class Adwin implements DriftDetector {
  /** River's and MOA's defaults. */
  static readonly defaults: Readonly<AdwinOptions> = { delta: 0.002, clock: 32, maxBuckets: 5, minWindowLength: 5, gracePeriod: 10 };

  readonly options: AdwinOptions;
  // rows[0] holds the newest values; within a row the oldest bucket comes first.
  private rows: Array<{ totals: number[]; variances: number[] }> = [];
  private total = 0;
  /** The window's sum of squared deviations from its mean. */
  private variance = 0;
  private width = 0;
  private tick = 0;
  private drift = false;
  private droppedTotal = 0;
  private droppedWidth = 0;

  constructor(options: Partial<AdwinOptions> = {}) {
    this.options = { ...Adwin.defaults, ...options };
    const { delta, clock, maxBuckets, minWindowLength, gracePeriod } = this.options;
    if (!(delta > 0 && delta < 1)) throw new RangeError(`ADWIN delta must be in (0, 1), got ${delta}`);
    for (const [name, value] of Object.entries({ clock, maxBuckets, minWindowLength, gracePeriod })) {
      if (!Number.isInteger(value) || value < 1) throw new RangeError(`ADWIN ${name} must be a positive integer, got ${value}`);
    }
    // Beyond a bound, buckets stop merging and the window keeps every value: memory and each check grow with the stream.
    if (maxBuckets > MAX_BUCKETS) throw new RangeError(`ADWIN maxBuckets must be at most ${MAX_BUCKETS} (River's default is 5), got ${maxBuckets}`);
  }

  static fromJSON(state: AdwinState): Adwin {
    const adwin = new Adwin(state.options);
    const numbers = [state.total, state.variance, state.width, state.tick, state.droppedTotal, state.droppedWidth];
    const rowsValid = Array.isArray(state.rows) && state.rows.every((row) =>
      Array.isArray(row.totals) && Array.isArray(row.variances) && row.totals.length === row.variances.length
      && row.totals.length <= adwin.options.maxBuckets && [...row.totals, ...row.variances].every(Number.isFinite));
    if (!rowsValid || !numbers.every(Number.isFinite) || typeof state.driftDetected !== "boolean") {
      throw new TypeError("not a saved ADWIN state");
    }
    const { total, variance, width, tick, droppedTotal, droppedWidth } = state;
    const rows = state.rows.map((row) => ({ totals: [...row.totals], variances: [...row.variances] }));
    return Object.assign(adwin, { rows, total, variance, width, tick, droppedTotal, droppedWidth, drift: state.driftDetected });
  }

  readonly reads = "values";

  get driftDetected(): boolean {
    return this.drift;
  }

  /** ADWIN cuts its window or does not: it has no warning zone. */
  get warningDetected(): boolean {
    return false;
  }

  /** How many values the window holds. */
  get windowLength(): number {
    return this.width;
  }

  /** The mean of the window; NaN when it is empty. */
  get windowMean(): number {
    return this.width > 0 ? this.total / this.width : NaN;
  }

  /** After a drift, the mean of the older part that was cut off; NaN otherwise. */
  get meanBeforeDrift(): number {
    return this.drift ? this.droppedTotal / this.droppedWidth : NaN;
  }

  /** After a drift, the mean of the part of the window that was kept; NaN otherwise. */
  get meanAfterDrift(): number {
    return this.drift ? this.windowMean : NaN;
  }

  /** How many buckets summarise the window: the detector's memory, O(maxBuckets * log2(window)). */
  get bucketCount(): number {
    return this.rows.reduce((sum, row) => sum + row.totals.length, 0);
  }

  update(x: number): void {
    if (!isDriftValue(x)) throw new RangeError(`ADWIN takes finite numbers of at most ${LARGEST_DRIFT_VALUE} in size, got ${x}`);
    if (this.drift) this.reset();
    this.insert(x);
    this.tick += 1;
    if (this.tick % this.options.clock === 0 && this.width > this.options.gracePeriod) {
      while (this.hasSignificantCut()) this.dropOldestBucket();
      this.drift = this.droppedWidth > 0;
    }
  }

  /** Starts over: the state of a fresh detector with the same options. */
  reset(): void {
    Object.assign(this, new Adwin(this.options));
  }

  toJSON(): AdwinState {
    return {
      options: { ...this.options },
      rows: this.rows.map((row) => ({ totals: [...row.totals], variances: [...row.variances] })),
      total: this.total,
      variance: this.variance,
      width: this.width,
      tick: this.tick,
      driftDetected: this.drift,
      droppedTotal: this.droppedTotal,
      droppedWidth: this.droppedWidth,
    };
  }

  private insert(x: number): void {
    if (this.width > 0) {
      const mean = this.total / this.width;
      this.variance += (this.width * (x - mean) * (x - mean)) / (this.width + 1);
    }
    this.total += x;
    this.width += 1;
    if (this.rows.length === 0) this.rows.push({ totals: [], variances: [] });
    this.rows[0].totals.push(x);
    this.rows[0].variances.push(0);
    // Exponential histogram: a row over its limit merges its two oldest buckets into one of
    // the next row, which may overflow in turn.
    for (let i = 0; i < this.rows.length && this.rows[i].totals.length > this.options.maxBuckets; i++) {
      const size = 2 ** i;
      const [t1, t2] = this.rows[i].totals.splice(0, 2);
      const [v1, v2] = this.rows[i].variances.splice(0, 2);
      const gap = (t1 - t2) / size;
      if (i + 1 === this.rows.length) this.rows.push({ totals: [], variances: [] });
      this.rows[i + 1].totals.push(t1 + t2);
      this.rows[i + 1].variances.push(v1 + v2 + (size * gap * gap) / 2);
    }
  }

  /**
   * Tries every bucket boundary, oldest first, as the cut between W0 and W1. River's loop
   * skips the newest bucket of each row (online-ml/river#1539); MOA and the paper do not, and
   * neither do we, so W0 and W1 are always contiguous.
   */
  private hasSignificantCut(): boolean {
    const { delta, minWindowLength } = this.options;
    const logTerm = Math.log((2 * Math.log(this.width)) / delta);
    const varianceOfValues = this.variance / this.width;
    let n0 = 0;
    let total0 = 0;
    for (let i = this.rows.length - 1; i >= 0; i--) {
      const size = 2 ** i;
      for (const bucketTotal of this.rows[i].totals) {
        n0 += size;
        total0 += bucketTotal;
        const n1 = this.width - n0;
        if (n1 < minWindowLength) return false;
        if (n0 < minWindowLength) continue;
        // epsilon_cut (Bifet & Gavaldà, section 4), with MOA's minimum sub-window correction
        // on the harmonic mean of the two lengths.
        const mInverse = 1 / (n0 - minWindowLength + 1) + 1 / (n1 - minWindowLength + 1);
        const epsilon = Math.sqrt(2 * mInverse * varianceOfValues * logTerm) + (2 / 3) * logTerm * mInverse;
        if (Math.abs(total0 / n0 - (this.total - total0) / n1) > epsilon) return true;
      }
    }
    return false;
  }

  private dropOldestBucket(): void {
    const last = this.rows.length - 1;
    const size = 2 ** last;
    const bucketTotal = this.rows[last].totals.shift() as number;
    const bucketVariance = this.rows[last].variances.shift() as number;
    if (this.rows[last].totals.length === 0) this.rows.pop();
    this.width -= size;
    this.total -= bucketTotal;
    const gap = bucketTotal / size - this.total / this.width;
    // Rounding can take a sum of squares a hair below zero; it is never negative in exact arithmetic.
    this.variance = Math.max(0, this.variance - bucketVariance - (size * this.width * gap * gap) / (size + this.width));
    this.droppedTotal += bucketTotal;
    this.droppedWidth += size;
  }
}
