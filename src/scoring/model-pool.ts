/**
 * A few models kept for recurring regimes (Gama et al., "A Survey on Concept Drift
 * Adaptation", 2014, §4: model management). When drift is signalled the current model is put
 * aside, and the model under which the most recent events look most normal - a stored one
 * (the old regime is back) or a fresh one trained on those events (a new regime) - takes over.
 */
import type { AnomalyDetector } from "../anomaly/anomaly-detector";

export class ModelPool {
  private stored: AnomalyDetector[] = [];

  constructor(private readonly capacity = 3) {}

  get size(): number {
    return this.stored.length;
  }

  /**
   * Stores `current` and returns the best model for `recent` events: the stored model or the
   * fresh model (built by `createFresh` and trained on `recent`) with the lowest mean score.
   */
  switchFrom(current: AnomalyDetector, recent: readonly number[][], createFresh: () => AnomalyDetector): AnomalyDetector {
    const fresh = createFresh();
    const half = Math.floor(recent.length / 2);
    // Train the fresh model on the older half and judge every candidate on the newer half,
    // so that no candidate is judged on what it learned.
    for (const x of recent.slice(0, half)) fresh.learn(x);
    const probe = recent.slice(half);
    const meanScore = (model: AnomalyDetector) => probe.reduce((sum, x) => sum + model.score(x), 0) / Math.max(1, probe.length);
    const candidates = [...this.stored, fresh];
    let best = fresh;
    let bestScore = meanScore(fresh);
    for (const model of this.stored) {
      const score = meanScore(model);
      if (score < bestScore) {
        best = model;
        bestScore = score;
      }
    }
    this.stored = [current, ...candidates.filter((m) => m !== best && m !== fresh)].slice(0, this.capacity);
    if (best === fresh) for (const x of probe) fresh.learn(x);
    return best;
  }
}
