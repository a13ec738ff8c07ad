/**
 * What every drift detector offers, so that the drift node and the headless pipeline treat
 * ADWIN, Page-Hinkley and DDM alike (River's `base.DriftDetector` is the model): feed it one
 * number at a time, ask whether that number completed a change, read the means on either side
 * of it, and save it as plain JSON to continue later.
 *
 * ```ts
 * import { createDriftDetector } from "./drift-catalogue";
 * const detector = createDriftDetector("adwin");
 * let drifts = 0;
 * for (const x of [...new Array(1000).fill(0.1), ...new Array(100).fill(0.9)]) {
 *   detector.update(x);
 *   if (detector.driftDetected) assert.ok(++drifts && detector.meanBeforeDrift < detector.meanAfterDrift);
 * }
 * assert.equal(drifts, 1);
 * ```
 */

export interface DriftDetector {
  /** What `update` takes: a number within LARGEST_DRIFT_VALUE (ADWIN, Page-Hinkley), or 0/1 for a right/wrong answer (DDM); it throws RangeError on anything else. */
  readonly reads: "values" | "error-bits";
  /** The options it runs with, defaults filled in; a saved state only continues under the same ones. */
  readonly options: object;
  /** True right after the update that detected a change, until the next update. */
  readonly driftDetected: boolean;
  /** True while the stream looks like it may be changing but has not yet (only DDM has such a zone). */
  readonly warningDetected: boolean;
  /** After a drift, the mean before and after the change; NaN otherwise. */
  readonly meanBeforeDrift: number;
  readonly meanAfterDrift: number;
  update(x: number): void;
  reset(): void;
  /** Plain JSON that the detector's kind restores from (`restoreDriftDetector`). */
  toJSON(): { options: object };
}

/**
 * The largest magnitude ADWIN and Page-Hinkley take. Their windows keep sums of values and of
 * squared deviations: a value near Number.MAX_VALUE makes one of them Infinity, and from then on
 * every mean is Infinity or NaN and the detector never fires again. Scores, counts and rates
 * stay far below this bound, and so do the sums of any window of values within it.
 */
export const LARGEST_DRIFT_VALUE = 1e100;

/** Whether `x` is a number ADWIN and Page-Hinkley can read: finite and within LARGEST_DRIFT_VALUE. */
export function isDriftValue(x: unknown): x is number {
  return typeof x === "number" && Math.abs(x) <= LARGEST_DRIFT_VALUE;
}
