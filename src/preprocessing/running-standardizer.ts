/**
 * Running standardisation: each feature minus its running mean, over its running standard
 * deviation, in one pass and constant memory - River's `preprocessing.StandardScaler`
 * (river/preprocessing/scale.py), with Welford's update for the mean and variance (Welford,
 * "Note on a method for calculating corrected sums of squares and products", Technometrics 4(3),
 * 1962; Knuth, TAOCP vol. 2, 4.2.2), which stays accurate where the textbook sum-of-squares
 * formula cancels catastrophically.
 *
 * Optionally each value first goes through a signed log1p, sign(x)·ln(1 + |x|). Honeypot
 * counts are heavily skewed: most source IPs make a handful of attempts, a brute-forcer makes
 * thousands. On the raw scale one storm inflates a feature's variance so much that all ordinary
 * traffic lands near zero; on the log scale a tenfold change is a step of the same size
 * wherever it happens. The sign keeps features that can be negative (the cyclic hour and
 * weekday, in [-1, 1]) finite, where a plain log1p(-1) would be -Infinity.
 *
 * ```ts
 * const scaler = new RunningStandardizer({ log1p: false });
 * for (const x of [[1, 10], [2, 10], [3, 10]]) scaler.learn(x);
 * const [up, constant] = scaler.transform([3, 10]);
 * assert.ok(Math.abs(up - 1) < 1e-3);                 // one standard deviation up
 * assert.equal(constant, 0);                          // the constant feature
 * assert.equal(scaler.transform([3, 11])[1], 1000);   // a never-seen change is large, not Infinity
 * ```
 */

export interface RunningStandardizerOptions {
  /** Apply sign(x)·ln(1 + |x|) before standardising (default true). */
  log1p?: boolean;
  /**
   * Added to every variance before the square root, so a feature that has never varied yields
   * a large finite z instead of a division by zero (default 1e-6, a standard-deviation floor of
   * 0.001: far below the step of any count, on the raw or the log scale).
   */
  epsilon?: number;
}

export interface RunningStandardizerState {
  log1p: boolean;
  epsilon: number;
  count: number;
  mean: number[];
  m2: number[];
}

export class RunningStandardizer {
  readonly log1p: boolean;
  readonly epsilon: number;
  private n = 0;
  private means: number[] = [];
  private m2: number[] = [];

  constructor(options: RunningStandardizerOptions = {}) {
    this.log1p = options.log1p ?? true;
    this.epsilon = options.epsilon ?? 1e-6;
  }

  /** How many vectors have been learned. */
  get count(): number {
    return this.n;
  }

  /** The length of the vectors learned so far; 0 before the first. */
  get dimension(): number {
    return this.means.length;
  }

  learn(x: readonly number[]): void {
    this.prepareToLearn(x);
    for (let j = 0; j < x.length; j++) this.addValue(j, this.scale(x[j]));
  }

  /** `x` standardised with what has been learned so far (it does not learn from `x`). */
  transform(x: readonly number[]): number[] {
    if (this.n > 0 && x.length !== this.means.length) {
      throw new RangeError(`expected ${this.means.length} features, got ${x.length}`);
    }
    const z = new Array<number>(x.length);
    for (let j = 0; j < x.length; j++) z[j] = this.standardize(j, this.scale(x[j]), this.n);
    return z;
  }

  /**
   * `transform(x)`, then `learn(x)`: the prequential step (score with what came before, then
   * learn), taking each value's log1p once instead of twice.
   */
  transformThenLearn(x: readonly number[]): number[] {
    const before = this.n;
    this.prepareToLearn(x);
    const z = new Array<number>(x.length);
    for (let j = 0; j < x.length; j++) {
      const value = this.scale(x[j]);
      z[j] = this.standardize(j, value, before);
      this.addValue(j, value);
    }
    return z;
  }

  /** The running mean of each feature, on the log1p scale when that is on. */
  mean(): number[] {
    return [...this.means];
  }

  /** The running sample variance (n - 1 in the denominator) of each feature; 0 before two vectors. */
  variance(): number[] {
    return this.m2.map((m2) => (this.n > 1 ? m2 / (this.n - 1) : 0));
  }

  toJSON(): RunningStandardizerState {
    return { log1p: this.log1p, epsilon: this.epsilon, count: this.n, mean: [...this.means], m2: [...this.m2] };
  }

  static fromJSON(state: RunningStandardizerState): RunningStandardizer {
    if (state.mean.length !== state.m2.length || !(state.count >= 0)) throw new RangeError("inconsistent standardizer state");
    const scaler = new RunningStandardizer({ log1p: state.log1p, epsilon: state.epsilon });
    scaler.n = state.count;
    scaler.means = [...state.mean];
    scaler.m2 = [...state.m2];
    return scaler;
  }

  /** Checks the length (the first vector sets it) and counts the vector in; addValue then adds each value. */
  private prepareToLearn(x: readonly number[]): void {
    if (this.n === 0) {
      this.means = new Array<number>(x.length).fill(0);
      this.m2 = new Array<number>(x.length).fill(0);
    } else if (x.length !== this.means.length) {
      throw new RangeError(`expected ${this.means.length} features, got ${x.length}`);
    }
    this.n += 1;
  }

  /** Welford's update of feature j's mean and M2 with the n-th (already scaled) value. */
  private addValue(j: number, value: number): void {
    const delta = value - this.means[j];
    this.means[j] += delta / this.n;
    this.m2[j] += delta * (value - this.means[j]);
  }

  /** A scaled value of feature j standardised with its running mean and with the variance of the first `count` vectors. */
  private standardize(j: number, value: number, count: number): number {
    return (value - (this.means[j] ?? 0)) / Math.sqrt((count > 1 ? this.m2[j] / (count - 1) : 0) + this.epsilon);
  }

  private scale(value: number): number {
    return this.log1p ? Math.sign(value) * Math.log1p(Math.abs(value)) : value;
  }
}
