/**
 * Online z-score: how many standard deviations each feature lies from its running mean.
 *
 * Running mean and variance by Welford's algorithm (Welford 1962; Knuth TAOCP vol. 2), over
 * the whole stream: without forgetting, a long run of anomalies cannot become "normal" - the
 * trap that sinks windowed detectors on KDD99 http. The score averages |z| over features: on
 * Statlog Shuttle, in stream order, the mean of |z| ranks anomalies better than the max
 * (`honeyflow eval`, figures in the README's online detector section).
 *
 * ```ts
 * const z = new OnlineZScore();
 * for (const x of [[1, 10], [2, 11], [1, 9], [2, 10]]) z.learn(x);
 * assert.ok(z.score([1.5, 10]) < 0.5);
 * assert.ok(z.score([9, 10]) > 0.9);
 * ```
 */
import type { AnomalyDetector } from "./anomaly-detector";

export interface OnlineZScoreState {
  count: number;
  mean: number[];
  m2: number[];
}

export class OnlineZScore implements AnomalyDetector {
  private count = 0;
  private mean: number[] = [];
  private m2: number[] = [];

  score(x: readonly number[]): number {
    let sum = 0;
    for (let j = 0; j < x.length; j++) sum += this.outlyingness(j, x[j]);
    const meanAbsZ = sum / Math.max(1, x.length);
    return 1 - Math.exp(-meanAbsZ / 2);
  }

  featureOutlyingness(x: readonly number[]): number[] {
    return x.map((value, j) => this.outlyingness(j, value));
  }

  private outlyingness(j: number, value: number): number {
    if (this.count < 2) return 0;
    const sd = Math.sqrt(this.m2[j] / (this.count - 1));
    if (sd > 0) return Math.abs(value - this.mean[j]) / sd;
    // A feature that never varied (no download in 40,000 events) and now does: as far out as
    // one value can lie in a sample of n + 1, Samuelson's bound n/√(n + 1) - so the first
    // download after a long quiet is extreme, while one early in the stream is not.
    return value === this.mean[j] ? 0 : this.count / Math.sqrt(this.count + 1);
  }

  learn(x: readonly number[]): void {
    if (this.mean.length !== x.length) {
      this.count = 0;
      this.mean = new Array<number>(x.length).fill(0);
      this.m2 = new Array<number>(x.length).fill(0);
    }
    this.count += 1;
    for (let j = 0; j < x.length; j++) {
      const delta = x[j] - this.mean[j];
      this.mean[j] += delta / this.count;
      this.m2[j] += delta * (x[j] - this.mean[j]);
    }
  }

  /** Mean ± 2 standard deviations of feature j. */
  usualRange(j: number): [number, number] | undefined {
    if (this.count < 2 || j >= this.mean.length) return undefined;
    const sd = Math.sqrt(this.m2[j] / (this.count - 1));
    return [this.mean[j] - 2 * sd, this.mean[j] + 2 * sd];
  }

  toJSON(): OnlineZScoreState {
    return { count: this.count, mean: [...this.mean], m2: [...this.m2] };
  }

  static fromJSON(state: OnlineZScoreState): OnlineZScore {
    const z = new OnlineZScore();
    z.count = state.count;
    z.mean = [...state.mean];
    z.m2 = [...state.m2];
    return z;
  }
}
