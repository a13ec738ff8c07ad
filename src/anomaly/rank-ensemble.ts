/**
 * Combines detectors by rank: each member's score becomes its percentile among that member's
 * own earlier scores, and the ensemble scores the mean percentile - over views when members are
 * grouped into views (`views`): members that read the same evidence (ECOD's mean, the z-score
 * and the most outlying feature all look at one feature at a time) then share one vote, so a
 * view of another kind (the kNN's distance in all features at once) is not outvoted three to
 * one by what is in effect one opinion counted three times.
 *
 * Members score on different scales (tail log-probabilities, z units, masses); ranks put them
 * on one without any global scaling, the way rank averaging combines outlier detectors in
 * Aggarwal & Sathe, "Theoretical Foundations and Algorithms for Outlier Ensembles" (2015).
 * Percentiles come from a t-digest per member, so memory stays bounded. This is the `online
 * detector`'s default (detector-catalogue.ts); its members keep their whole history or a
 * uniform sample of it, so long anomalous runs stay rare.
 * Suspects are learned sparingly (see `learn`), which keeps such runs from becoming the norm.
 *
 * ```ts
 * import { OnlineZScore } from "./online-z-score";
 * import { StreamingEcod } from "./streaming-ecod";
 * const ensemble = new RankEnsemble([new StreamingEcod(), new OnlineZScore()]);
 * for (let i = 0; i < 1000; i++) {
 *   const x = [i % 10 === 0 ? 4 : 1];
 *   ensemble.score(x);  // before it learns x, as the online detector does
 *   ensemble.learn(x);
 * }
 * assert.ok(ensemble.score([50]) > 0.99);  // above all earlier scores of both members
 * ```
 */
import type { AnomalyDetector } from "./anomaly-detector";
import { smoothedTail } from "../stats/smoothed-tail";
import { TDigest, TDigestState } from "../sketch/t-digest";

const RANK_WEIGHT = 0.99;

export interface RankEnsembleOptions {
  compression?: number;
  /** An event scoring at least this is a suspect: it is learned only once in `suspectLearnEvery`. */
  suspectScore?: number;
  /** After a suspect, events scoring at least this are suspects too, until one scores lower. */
  suspectRunScore?: number;
  suspectLearnEvery?: number;
  /** The view of each member (0, 1, ...): the ensemble averages the views' mean percentiles. Default: one view per member. */
  views?: readonly number[];
}

export class RankEnsemble implements AnomalyDetector {
  private scoreDistributions: TDigest[];
  private readonly suspectScore: number;
  private readonly suspectRunScore: number;
  private readonly suspectLearnEvery: number;
  private readonly views: readonly number[];
  private readonly viewSizes: number[];
  private suspects = 0;
  private inSuspectRun = false;
  private lastScored: readonly number[] | undefined;
  /** The members' scores of the event scored last, which `learn` adds to their distributions. */
  private readonly lastMemberScores: Float64Array;
  private lastScore = 0;
  lastTailProbability = 1;

  constructor(readonly members: AnomalyDetector[], options: RankEnsembleOptions = {}) {
    this.scoreDistributions = members.map(() => new TDigest(options.compression ?? 100));
    this.lastMemberScores = new Float64Array(members.length);
    this.suspectScore = options.suspectScore ?? 0.98;
    this.suspectRunScore = options.suspectRunScore ?? 0.9;
    this.suspectLearnEvery = options.suspectLearnEvery ?? 10;
    this.views = options.views ?? members.map((_, i) => i);
    if (this.views.length !== members.length) throw new Error("RankEnsemble: one view per member");
    this.viewSizes = new Array<number>(Math.max(...this.views) + 1).fill(0);
    for (const view of this.views) this.viewSizes[view] += 1;
    if (this.viewSizes.some((size) => size === 0)) throw new Error("RankEnsemble: views are numbered 0, 1, ... without gaps");
  }

  score(x: readonly number[]): number {
    // The members' scores are written over the last event's: should a member throw, the event
    // scored last is no longer the one they hold, and `learn` scores it again.
    this.lastScored = undefined;
    const memberScores = this.lastMemberScores;
    let percentiles = 0;
    let raw = 0;
    let smallestTail = 1;
    for (let i = 0; i < this.members.length; i++) {
      memberScores[i] = this.members[i].score(x);
      const distribution = this.scoreDistributions[i];
      const n = distribution.count;
      const percentile = n === 0 ? 0.5 : distribution.cdf(memberScores[i]);
      percentiles += percentile / this.viewSizes[this.views[i]];
      raw += memberScores[i];
      smallestTail = Math.min(smallestTail, smoothedTail(n * (1 - percentile), n));
    }
    // Bonferroni: the surest member's tail times the number of members is a p-value whatever
    // the members' dependence, so one member that sees something no other looks at (a program
    // new to the sensor, for the most outlying feature) still counts. On generated sensor logs
    // that found a person at a shell after 50 s rather than 63 (seed 3), where the geometric
    // mean of the tails waited for ECOD's mean to agree.
    this.lastTailProbability = Math.min(1, this.members.length * smallestTail);
    this.lastScored = x;
    // Every score beyond a member's maximum so far has percentile 1; a little of the raw score
    // keeps "far beyond" above "just beyond", so a threshold can still separate them.
    this.lastScore = RANK_WEIGHT * (percentiles / this.viewSizes.length) + (1 - RANK_WEIGHT) * (raw / this.members.length);
    return this.lastScore;
  }

  /** The first member's view that can be attributed to features (streaming ECOD in the default). */
  featureOutlyingness(x: readonly number[]): number[] | undefined {
    for (const member of this.members) {
      const outlyingness = member.featureOutlyingness(x);
      if (outlyingness) return outlyingness;
    }
    return undefined;
  }

  /** The first member's usual range of feature j (streaming ECOD's in the default). */
  usualRange(j: number): [number, number] | undefined {
    for (const member of this.members) {
      const range = member.usualRange(j);
      if (range) return range;
    }
    return undefined;
  }

  /**
   * Learns `x`, except that a suspect (an event the ensemble scores as extreme) is learned only
   * once in `suspectLearnEvery`: a long run of one attack then cannot teach the model that it
   * is normal, while a real change of regime is still absorbed, ten times slower (and a drift
   * detector can reset the model outright).
   *
   * A run of suspects lasts while its events stay in the top tenth (`suspectRunScore`), not
   * only while they stay extreme: the run's later events, a little less extreme once its first
   * ones were learned, would otherwise be learned in full and make the rest of the run normal.
   * On a contiguous run of 400 anomalies (the KDD99 http trap, test/pipeline/detection-quality)
   * that lifts ROC AUC above the online z-score's, with Shuttle and the background alerts of
   * generated sensor logs about where they were (figures in the README).
   */
  learn(x: readonly number[]): void {
    if (this.lastScored !== x) this.score(x);
    const threshold = this.inSuspectRun ? Math.min(this.suspectRunScore, this.suspectScore) : this.suspectScore;
    this.inSuspectRun = this.lastScore >= threshold;
    if (this.inSuspectRun && ++this.suspects % this.suspectLearnEvery !== 0) {
      this.lastScored = undefined;
      return;
    }
    const memberScores = this.lastMemberScores;
    for (let i = 0; i < this.members.length; i++) {
      this.scoreDistributions[i].add(memberScores[i]);
      this.members[i].learn(x);
    }
    this.lastScored = undefined;
  }

  /** Restores an ensemble whose members the caller has restored from `state.members`. */
  static fromJSON(state: unknown, members: AnomalyDetector[], options: RankEnsembleOptions = {}): RankEnsemble {
    const s = state as { scoreDistributions: TDigestState[]; suspects: number; inSuspectRun?: boolean };
    // Counted on with `++` and `%`: text or NaN would learn no suspect again until the next restart.
    if (!Number.isSafeInteger(s.suspects) || s.suspects < 0) throw new RangeError(`suspects must be a count, not ${String(s.suspects)}`);
    const ensemble = new RankEnsemble(members, options);
    s.scoreDistributions.forEach((d, i) => (ensemble.scoreDistributions[i] = TDigest.fromJSON(d)));
    ensemble.suspects = s.suspects;
    ensemble.inSuspectRun = s.inSuspectRun === true;
    return ensemble;
  }

  toJSON(): unknown {
    return {
      members: this.members.map((m) => m.toJSON()),
      scoreDistributions: this.scoreDistributions.map((d) => d.toJSON()),
      suspects: this.suspects,
      inSuspectRun: this.inSuspectRun,
    };
  }
}
