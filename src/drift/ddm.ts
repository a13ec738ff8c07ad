/**
 * DDM, the Drift Detection Method: João Gama, Pedro Medas, Gladys Castillo and Pedro
 * Rodrigues, "Learning with Drift Detection", SBIA 2004, LNCS 3171, pp. 286-295.
 *
 * DDM watches a stream of errors, 1 for a wrong answer and 0 for a right one. While the
 * stream is stationary the error rate p_i (with standard deviation s_i = sqrt(p_i(1-p_i)/i),
 * the binomial's) should not rise, so DDM remembers p_min and s_min where p_i + s_i was
 * lowest and raises a warning when p_i + s_i > p_min + warningThreshold * s_min (about 95%
 * confidence at 2) and a drift at driftThreshold * s_min (about 99% at 3). The paper declares
 * the new context to begin where the warning began, so after a drift `errorRateSinceWarning`
 * is the error rate since then and `lowestErrorRate` is p_min, the rate before the change.
 *
 * s_min is 0 when no error at all was seen past the warm start, so on such a stream the first
 * error is a drift: DDM suits error rates clearly above zero. As River's `drift.binary.DDM`
 * does, the detector starts over on the update after a drift.
 *
 * ```ts
 * const ddm = new Ddm();                            // warm start 30, warning 2, drift 3
 * for (let i = 0; i < 1000; i++) ddm.update(i % 5 === 0 ? 1 : 0);   // 20% errors
 * let warnedAt = -1, driftAt = -1;
 * for (let i = 1000; i < 1200 && driftAt < 0; i++) {
 *   ddm.update(i % 5 < 3 ? 1 : 0);                                  // 60% errors
 *   if (ddm.warningDetected && warnedAt < 0) warnedAt = i;
 *   if (ddm.driftDetected) driftAt = i;
 * }
 * assert.deepEqual([warnedAt, driftAt], [1031, 1066]);
 * assert.equal(ddm.lowestErrorRate, 0.2);           // p_min, the rate before the change
 * assert.equal(ddm.errorRateSinceWarning.toFixed(2), "0.61");
 * ```
 */
import type { DriftDetector } from "./drift-detector";


export interface DdmOptions {
  /** No warning or drift before this many values. */
  warmStart: number;
  /** Standard deviations above p_min + s_min that mean a warning. */
  warningThreshold: number;
  /** Standard deviations above p_min + s_min that mean a drift. */
  driftThreshold: number;
}

/** Everything a Ddm needs to continue where it stopped; plain JSON. */
export interface DdmState {
  options: DdmOptions;
  count: number;
  errors: number;
  /** p_min and s_min, null until the warm start is over. */
  lowest: { errorRate: number; deviation: number } | null;
  /** Where the current warning (or a drift without one) began. */
  warningSince: { count: number; errors: number } | null;
  warningDetected: boolean;
  driftDetected: boolean;
}

export class Ddm implements DriftDetector {
  /** The paper's and River's defaults. */
  static readonly defaults: Readonly<DdmOptions> = { warmStart: 30, warningThreshold: 2, driftThreshold: 3 };

  readonly options: DdmOptions;
  private count = 0;
  private errors = 0;
  private lowest: DdmState["lowest"] = null;
  private warningSince: DdmState["warningSince"] = null;
  private warning = false;
  private drift = false;

  constructor(options: Partial<DdmOptions> = {}) {
    this.options = { ...Ddm.defaults, ...options };
    const { warmStart, warningThreshold, driftThreshold } = this.options;
    if (!Number.isInteger(warmStart) || warmStart < 0) throw new RangeError(`DDM warmStart must be an integer >= 0, got ${warmStart}`);
    if (!(warningThreshold > 0)) throw new RangeError(`DDM warningThreshold must be > 0, got ${warningThreshold}`);
    if (!(driftThreshold >= warningThreshold)) {
      throw new RangeError(`DDM driftThreshold must be >= warningThreshold (${warningThreshold}), got ${driftThreshold}`);
    }
  }

  static fromJSON(state: DdmState): Ddm {
    const ddm = new Ddm(state.options);
    const lowestValid = state.lowest === null || [state.lowest.errorRate, state.lowest.deviation].every(Number.isFinite);
    const sinceValid = state.warningSince === null || [state.warningSince.count, state.warningSince.errors].every(Number.isFinite);
    if (![state.count, state.errors].every(Number.isFinite) || !lowestValid || !sinceValid
      || typeof state.warningDetected !== "boolean" || typeof state.driftDetected !== "boolean") {
      throw new TypeError("not a saved DDM state");
    }
    const { count, errors } = state;
    const marks = { lowest: state.lowest && { ...state.lowest }, warningSince: state.warningSince && { ...state.warningSince } };
    return Object.assign(ddm, { count, errors, warning: state.warningDetected, drift: state.driftDetected }, marks);
  }

  /** True while p_i + s_i is past the warning level but not (yet) past the drift level. */
  get warningDetected(): boolean {
    return this.warning;
  }

  readonly reads = "error-bits";

  get driftDetected(): boolean {
    return this.drift;
  }

  /** p_i: the error rate since the last start; NaN before the first value. */
  get errorRate(): number {
    return this.count > 0 ? this.errors / this.count : NaN;
  }

  /** p_min: the error rate where p_i + s_i was lowest; NaN during the warm start. */
  get lowestErrorRate(): number {
    return this.lowest ? this.lowest.errorRate : NaN;
  }

  /** After a drift, p_min: the error rate before the change; NaN otherwise. */
  get meanBeforeDrift(): number {
    return this.drift ? this.lowestErrorRate : NaN;
  }

  /** After a drift, the error rate since the warning before it began; NaN otherwise. */
  get meanAfterDrift(): number {
    return this.drift ? this.errorRateSinceWarning : NaN;
  }

  /** The error rate since the current warning (or the drift) began; NaN when there is none. */
  get errorRateSinceWarning(): number {
    const since = this.warningSince;
    return since ? (this.errors - since.errors) / (this.count - since.count) : NaN;
  }

  /** Feeds one outcome: 1 (or true) for an error, 0 (or false) for a success. */
  update(error: number | boolean): void {
    if (error !== 0 && error !== 1 && typeof error !== "boolean") throw new RangeError(`DDM takes errors as 0 or 1, got ${error}`);
    if (this.drift) this.reset();
    const previous = { count: this.count, errors: this.errors };
    this.count += 1;
    this.errors += Number(error);
    if (this.count <= this.options.warmStart) return;
    const p = this.errors / this.count;
    const s = Math.sqrt((p * (1 - p)) / this.count);
    if (!this.lowest || p + s <= this.lowest.errorRate + this.lowest.deviation) this.lowest = { errorRate: p, deviation: s };
    const { errorRate: pMin, deviation: sMin } = this.lowest;
    this.drift = p + s > pMin + this.options.driftThreshold * sMin;
    this.warning = !this.drift && p + s > pMin + this.options.warningThreshold * sMin;
    if (this.warning || this.drift) this.warningSince ??= previous;
    else this.warningSince = null;
  }

  /** Starts over: the state of a fresh detector with the same options. */
  reset(): void {
    Object.assign(this, new Ddm(this.options));
  }

  toJSON(): DdmState {
    return {
      options: { ...this.options },
      count: this.count,
      errors: this.errors,
      lowest: this.lowest && { ...this.lowest },
      warningSince: this.warningSince && { ...this.warningSince },
      warningDetected: this.warning,
      driftDetected: this.drift,
    };
  }
}
