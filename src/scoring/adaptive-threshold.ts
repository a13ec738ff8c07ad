/**
 * A threshold that follows the recent score distribution: the q-quantile of the scores seen,
 * with older scores fading (their weight halves every `halfLife` scores), after a warm-up.
 *
 * A fixed threshold is wrong on every stream but one: the share of events above 0.9 depends on
 * the detector, the features and the sensor. A high quantile of recent scores alerts on the
 * rarest events of the current regime instead, e.g. the top 0.5% with q = 0.995.
 *
 * ```ts
 * const threshold = new AdaptiveThreshold({ warmUp: 1000 });        // quantile 0.995, as in DEFAULTS
 * for (let i = 0; i < 1000; i++) threshold.update((i % 100) / 100);  // scores 0 to 0.99
 * assert.equal(threshold.isAnomalous(0.5), false);
 * assert.equal(threshold.isAnomalous(1), true);  // asked before update, like the detector
 * threshold.update(1);
 * ```
 */
import { smoothedTail } from "../stats/smoothed-tail";
import { TDigest, TDigestState } from "../sketch/t-digest";

export interface AdaptiveThresholdOptions {
  quantile?: number;
  warmUp?: number;
  halfLife?: number;
  /** If set, this fixed value replaces the quantile (still after the warm-up). */
  fixed?: number;
}

export class AdaptiveThreshold {
  /**
   * The defaults of every caller: the CLI, the headless pipeline and the online detector node.
   * The 0.995-quantile flags the rarest 0.5% of the current regime. Its estimate rests on the
   * scores above it, one in 200: a warm-up of 2,000 scores puts about ten there before anything
   * is called anomalous, where 500 would put two or three.
   */
  static readonly DEFAULTS = { quantile: 0.995, warmUp: 2000, halfLife: 10_000 } as const;

  readonly quantile: number;
  readonly warmUp: number;
  readonly halfLife: number;
  readonly fixed: number | undefined;
  private digest = new TDigest(100);
  private seen = 0;

  constructor(options: AdaptiveThresholdOptions = {}) {
    this.quantile = options.quantile ?? AdaptiveThreshold.DEFAULTS.quantile;
    this.warmUp = options.warmUp ?? AdaptiveThreshold.DEFAULTS.warmUp;
    this.halfLife = options.halfLife ?? AdaptiveThreshold.DEFAULTS.halfLife;
    this.fixed = options.fixed;
  }

  get isWarm(): boolean {
    return this.seen >= this.warmUp;
  }

  /** The current threshold (the fixed value, or the quantile of recent scores). */
  get value(): number {
    if (this.fixed !== undefined) return this.fixed;
    return this.digest.count > 0 ? this.digest.quantile(this.quantile) : 1;
  }

  isAnomalous(score: number): boolean {
    return this.verdict(score).anomaly;
  }

  /** The threshold and whether `score` is above it, from one quantile query (each costs a merge). */
  verdict(score: number): { threshold: number; anomaly: boolean } {
    const threshold = this.value;
    return { threshold, anomaly: this.isWarm && score > threshold };
  }

  /**
   * The share of recent scores at or above `score`, smoothed (smoothedTail) so that a
   * score beyond all of them is rare rather than impossible: the event's conformal p-value.
   */
  tailProbability(score: number): number {
    const n = this.digest.count;
    return smoothedTail(n * (1 - (n > 0 ? this.digest.cdf(score) : 0)), n);
  }

  update(score: number): void {
    this.digest.add(score);
    this.seen += 1;
    if (this.seen % this.halfLife === 0) this.digest.decay(0.5);
  }

  toJSON(): { options: AdaptiveThresholdOptions; seen: number; digest: TDigestState } {
    return {
      options: { quantile: this.quantile, warmUp: this.warmUp, halfLife: this.halfLife, fixed: this.fixed },
      seen: this.seen,
      digest: this.digest.toJSON(),
    };
  }

  /** The threshold `state` saved, under `options` when given (settings changed since), else the saved ones. */
  static fromJSON(state: ReturnType<AdaptiveThreshold["toJSON"]>, options: AdaptiveThresholdOptions = state.options): AdaptiveThreshold {
    const threshold = new AdaptiveThreshold(options);
    threshold.seen = state.seen;
    threshold.digest = TDigest.fromJSON(state.digest);
    return threshold;
  }
}
