/**
 * Scores an event by its single most outlying feature as a streaming ECOD sees it: the
 * smallest of the per-feature tail probabilities (Tippett's method of combining tests, 1931),
 * beside ECOD's own mean over all of them.
 *
 * A mean over 58 window features dilutes one feature at a value never seen before, such as
 * two programs new to the sensor run within 30 s; the most outlying feature does not. In the
 * default ensemble this view, ECOD and the online z-score are ranked together: it brings the
 * first alert on a person at a shell sooner at about the same background alerts, and lifts
 * Statlog Shuttle's ROC AUC a little (`honeyflow eval`; figures in the README).
 *
 * It reads the ECOD it is given and learns nothing itself: that ECOD is a member of the same
 * ensemble and learns each event once, for both.
 *
 * ```ts
 * import { StreamingEcod } from "./streaming-ecod";
 * const ecod = new StreamingEcod();
 * for (let i = 0; i < 1000; i++) ecod.learn(new Array(20).fill(i % 10 === 0 ? 1 : 0));
 * const newProgram = [9, ...new Array(19).fill(0)];
 * assert.ok(ecod.score(newProgram) < 0.2);                          // diluted by 19 usual features
 * assert.ok(new MostOutlyingFeature(ecod).score(newProgram) > 0.4);  // not diluted
 * ```
 */
import type { AnomalyDetector } from "./anomaly-detector";
import type { StreamingEcod } from "./streaming-ecod";

/**
 * Any increasing map serves the ensemble's ranks. This one spreads ECOD's range, up to
 * −ln(2 / (n + 2)) ≈ 10 after 40,000 events, over most of [0, 1) for the raw-score tie-break.
 */
const SCALE = 10;

export class MostOutlyingFeature implements AnomalyDetector {
  constructor(readonly ecod: StreamingEcod) {}

  score(x: readonly number[]): number {
    return 1 - Math.exp(-this.ecod.mostOutlying(x) / SCALE);
  }

  /** Nothing to learn: the ECOD it reads learns as a member of the ensemble. */
  learn(): void {}

  featureOutlyingness(x: readonly number[]): number[] {
    return this.ecod.featureOutlyingness(x);
  }

  usualRange(j: number): [number, number] | undefined {
    return this.ecod.usualRange(j);
  }

  /** Its state is the ECOD's, saved with that member. */
  toJSON(): Record<string, never> {
    return {};
  }
}
