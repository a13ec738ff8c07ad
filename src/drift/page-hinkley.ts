/**
 * The Page-Hinkley test: E. S. Page, "Continuous Inspection Schemes", Biometrika 41 (1954),
 * in the streaming form of Gama et al., "On evaluating stream learning algorithms", Machine
 * Learning 90 (2013), and two-sided as River's `drift.PageHinkley`.
 *
 * It accumulates each value's deviation from the running mean, less a tolerance `delta`,
 * into m_T = alpha * m_(T-1) + (x_T - mean_T - delta), and signals a rise of the mean when
 * m_T climbs more than `threshold` above its lowest point; the mirror sum, with `+ delta`,
 * signals a fall. `threshold` is in the stream's own unit times values: a shift of d needs
 * about threshold / d values to be noticed. `alpha` slowly forgets old deviations, so a long
 * quiet past does not bury a new change.
 *
 * Where the change began is marked where the statistic passed half the threshold on its way
 * to the drift: after a drift `meanBeforeDrift` is the mean of the values up to that mark and
 * `meanAfterDrift` the mean of those since. After a change the statistic climbs about |shift|
 * per value, so the second half of its climb is made of new values whenever the stream's own
 * noise kept it under threshold / 2 (which a threshold chosen for the stream does). The lowest
 * point of the sum, Page's own estimate, is no good here: with a small `delta` the sum drifts
 * like a random walk before the change, and its lowest point can lie anywhere in the past.
 * As in River, the detector starts over on the update after a drift.
 *
 * ```ts
 * const ph = new PageHinkley();                     // threshold 50, delta 0.005, both directions
 * for (let i = 0; i < 1000; i++) ph.update(i % 2);
 * let driftAt = -1;
 * for (let i = 1000; i < 1100 && driftAt < 0; i++) {
 *   ph.update(4 + (i % 4));
 *   if (ph.driftDetected) driftAt = i;
 * }
 * assert.equal(driftAt, 1010);                      // a shift of 5: about 50 / 5 values
 * assert.equal(ph.meanBeforeDrift.toFixed(2), "0.52");
 * assert.equal(ph.meanAfterDrift, 5.5);
 * ```
 */
import { isDriftValue, LARGEST_DRIFT_VALUE, type DriftDetector } from "./drift-detector";

export type PageHinkleyMode = "up" | "down" | "both";

export interface PageHinkleyOptions {
  /** No detection before this many values. */
  minInstances: number;
  /** The deviation tolerated without counting towards a change. */
  delta: number;
  /** lambda: how far the cumulative deviation must move, in the stream's unit times values. */
  threshold: number;
  /** Forgetting factor of the cumulative sums. */
  alpha: number;
  /** Watch for a rising mean, a falling one, or both. */
  mode: PageHinkleyMode;
}

/** The count and the total of the values read up to a point of the stream. */
interface Mark {
  count: number;
  total: number;
}

/** Everything a PageHinkley needs to continue where it stopped; plain JSON. */
export interface PageHinkleyState {
  options: PageHinkleyOptions;
  count: number;
  total: number;
  mean: number;
  sumIncrease: number;
  sumDecrease: number;
  /** The extremes the two statistics are measured from; null before the first value. */
  lowestIncrease: number | null;
  highestDecrease: number | null;
  /** Where each statistic passed threshold / 2, while it stays above. */
  climbIncrease: Mark | null;
  climbDecrease: Mark | null;
  /** Which statistic the last drift came from, until the next update. */
  driftFrom: "increase" | "decrease" | null;
}

export class PageHinkley implements DriftDetector {
  /** River's defaults. */
  static readonly defaults: Readonly<PageHinkleyOptions> = { minInstances: 30, delta: 0.005, threshold: 50, alpha: 1 - 0.0001, mode: "both" };

  readonly options: PageHinkleyOptions;
  private count = 0;
  private total = 0;
  private mean = 0;
  private sumIncrease = 0;
  private sumDecrease = 0;
  private lowestIncrease: number | null = null;
  private highestDecrease: number | null = null;
  private climbIncrease: Mark | null = null;
  private climbDecrease: Mark | null = null;
  private driftFrom: "increase" | "decrease" | null = null;

  constructor(options: Partial<PageHinkleyOptions> = {}) {
    this.options = { ...PageHinkley.defaults, ...options };
    const { minInstances, delta, threshold, alpha, mode } = this.options;
    if (!Number.isInteger(minInstances) || minInstances < 1) throw new RangeError(`Page-Hinkley minInstances must be a positive integer, got ${minInstances}`);
    if (!(delta >= 0)) throw new RangeError(`Page-Hinkley delta must be >= 0, got ${delta}`);
    if (!(threshold > 0) || !Number.isFinite(threshold)) throw new RangeError(`Page-Hinkley threshold must be > 0, got ${threshold}`);
    if (!(alpha > 0 && alpha <= 1)) throw new RangeError(`Page-Hinkley alpha must be in (0, 1], got ${alpha}`);
    if (!["up", "down", "both"].includes(mode)) throw new RangeError(`Page-Hinkley mode must be up, down or both, got ${mode}`);
  }

  static fromJSON(state: PageHinkleyState): PageHinkley {
    const ph = new PageHinkley(state.options);
    const markValid = (mark: Mark | null) => mark === null || (Number.isFinite(mark.count) && Number.isFinite(mark.total));
    const extremes = [state.lowestIncrease, state.highestDecrease];
    const numbers = [state.count, state.total, state.mean, state.sumIncrease, state.sumDecrease];
    if (!numbers.every(Number.isFinite) || !extremes.every((e) => e === null || Number.isFinite(e))
      || !markValid(state.climbIncrease) || !markValid(state.climbDecrease) || ![null, "increase", "decrease"].includes(state.driftFrom)) {
      throw new TypeError("not a saved Page-Hinkley state");
    }
    const { count, total, mean, sumIncrease, sumDecrease, lowestIncrease, highestDecrease, driftFrom } = state;
    const climbs = { climbIncrease: state.climbIncrease && { ...state.climbIncrease }, climbDecrease: state.climbDecrease && { ...state.climbDecrease } };
    return Object.assign(ph, { count, total, mean, sumIncrease, sumDecrease, lowestIncrease, highestDecrease, driftFrom }, climbs);
  }

  readonly reads = "values";

  get driftDetected(): boolean {
    return this.driftFrom !== null;
  }

  /** Page-Hinkley's statistic passes its threshold or does not: it has no warning zone. */
  get warningDetected(): boolean {
    return false;
  }

  /** The running mean of the values since the last start. */
  get runningMean(): number {
    return this.count > 0 ? this.mean : NaN;
  }

  /** After a drift, the mean of the values up to the mark where the change began; NaN otherwise. */
  get meanBeforeDrift(): number {
    const mark = this.driftMark();
    return mark ? mark.total / mark.count : NaN;
  }

  /** After a drift, the mean of the values since the mark where the change began; NaN otherwise. */
  get meanAfterDrift(): number {
    const mark = this.driftMark();
    return mark ? (this.total - mark.total) / (this.count - mark.count) : NaN;
  }

  update(x: number): void {
    if (!isDriftValue(x)) throw new RangeError(`Page-Hinkley takes finite numbers of at most ${LARGEST_DRIFT_VALUE} in size, got ${x}`);
    if (this.driftFrom) this.reset();
    const { delta, alpha, threshold, mode, minInstances } = this.options;
    const previous = { count: this.count, total: this.total };
    this.count += 1;
    this.total += x;
    this.mean += (x - this.mean) / this.count;
    const deviation = x - this.mean;
    this.sumIncrease = alpha * this.sumIncrease + deviation - delta;
    this.sumDecrease = alpha * this.sumDecrease + deviation + delta;
    this.lowestIncrease = Math.min(this.lowestIncrease ?? Infinity, this.sumIncrease);
    this.highestDecrease = Math.max(this.highestDecrease ?? -Infinity, this.sumDecrease);
    const increase = this.sumIncrease - this.lowestIncrease;
    const decrease = this.highestDecrease - this.sumDecrease;
    // The mark is the stream just before the value that took the statistic past threshold / 2.
    this.climbIncrease = increase > threshold / 2 ? this.climbIncrease ?? previous : null;
    this.climbDecrease = decrease > threshold / 2 ? this.climbDecrease ?? previous : null;
    if (this.count < minInstances) return;
    if (mode !== "down" && increase > threshold) this.driftFrom = "increase";
    else if (mode !== "up" && decrease > threshold) this.driftFrom = "decrease";
  }

  /** Starts over: the state of a fresh detector with the same options. */
  reset(): void {
    Object.assign(this, new PageHinkley(this.options));
  }

  toJSON(): PageHinkleyState {
    return {
      options: { ...this.options },
      count: this.count,
      total: this.total,
      mean: this.mean,
      sumIncrease: this.sumIncrease,
      sumDecrease: this.sumDecrease,
      lowestIncrease: this.lowestIncrease,
      highestDecrease: this.highestDecrease,
      climbIncrease: this.climbIncrease && { ...this.climbIncrease },
      climbDecrease: this.climbDecrease && { ...this.climbDecrease },
      driftFrom: this.driftFrom,
    };
  }

  private driftMark(): Mark | null {
    if (this.driftFrom === "increase") return this.climbIncrease;
    return this.driftFrom === "decrease" ? this.climbDecrease : null;
  }
}
