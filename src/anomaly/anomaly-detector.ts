/**
 * What every streaming anomaly detector offers the `online detector` node, the CLI and the
 * benchmarks. Detectors are prequential: `score` an event with what was learned before it,
 * then `learn` it, so a score never depends on the event itself or on anything after it.
 *
 * ```ts
 * import { OnlineZScore } from "./online-z-score";
 * const detector: AnomalyDetector = new OnlineZScore();
 * for (const x of [[1], [2], [1], [2]]) detector.learn(x);
 * const score = detector.score([9]);
 * assert.equal(detector.score([9]), score);  // scoring learns nothing
 * detector.learn([9]);
 * assert.ok(detector.score([9]) < score);    // once learned, the same event is less surprising
 * ```
 */
export interface AnomalyDetector {
  /** Anomaly score in [0, 1]; higher is more anomalous. */
  score(x: readonly number[]): number;
  learn(x: readonly number[]): void;
  /**
   * How unusual each feature of `x` is on its own (larger is more unusual), for explanations.
   * Detectors that cannot attribute a score to features return undefined.
   */
  featureOutlyingness(x: readonly number[]): number[] | undefined;
  /** The usual range of feature j as learned so far (e.g. its 5th-95th percentiles), if known. */
  usualRange(j: number): [number, number] | undefined;
  /**
   * For the event scored last: a p-value, the share of earlier events at least as anomalous,
   * when the detector can say it better than the rank of its score (an ensemble: from its
   * members' own tails). Undefined otherwise.
   */
  readonly lastTailProbability?: number;
  toJSON(): unknown;
}
