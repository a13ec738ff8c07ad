/**
 * Evidence that builds up: a CUSUM, per key (a source IP, a sensor), of how surprising each of
 * the key's events is, so that many moderately unusual events from one place add up to an
 * anomaly where none of them alone crosses the threshold.
 *
 * Some attacks are quiet event by event. A person at a shell typing rare commands, a bot
 * fetching one binary, a wave of new addresses each trying a few passwords: every event ranks
 * in the top few percent of scores, none in the top half percent the threshold asks for. A
 * single high quantile cannot see them without alerting on every merely unusual event too.
 *
 * Each event brings its tail probability p, the share of earlier scores at or above its score
 * (a conformal p-value: uniform on a stream with nothing going on). Page's CUSUM adds
 * `−ln p − allowance` and never drops below 0; an event that adds to a sum at or above
 * `threshold` is anomalous. With nothing going on −ln p averages 1, so an allowance of 3 drains the
 * sum, and only a run of events each rarer than e^−3 ≈ 5 % builds it up: eight events in the
 * top 1 % (−ln p ≈ 4.6) reach 12.
 *
 * Page, "Continuous Inspection Schemes" (Biometrika 1954); Vovk et al., "Testing
 * Exchangeability On-Line" (ICML 2003), for p-values from ranks.
 *
 * ```ts
 * const evidence = new SustainedEvidence();                      // allowance 3, threshold 12
 * assert.equal(evidence.observe("198.51.100.4", 0.004), false);  // one rare event is not yet a pattern
 * const verdicts = Array.from({ length: 8 }, () => evidence.observe("203.0.113.7", 0.01));
 * assert.equal(verdicts.indexOf(true), 7);                       // the eighth in the top 1 % reaches 12
 * ```
 */
import { LruMap } from "../collections/lru-map";

export interface SustainedEvidenceOptions {
  /** Subtracted from each event's −ln p: the surprise an event must exceed to add evidence. */
  allowance?: number;
  /** The sum at which a key's events are anomalous. */
  threshold?: number;
  /** At most this many keys are tracked; the least recently seen is forgotten first. */
  maxKeys?: number;
  /** p is floored here: one event beyond everything seen adds at most −ln(minP). */
  minP?: number;
}

export interface SustainedEvidenceState {
  options: Required<SustainedEvidenceOptions>;
  sums: Array<[string, number]>;
}

export class SustainedEvidence {
  readonly options: Required<SustainedEvidenceOptions>;
  private readonly sums: LruMap<string, number>;

  constructor(options: SustainedEvidenceOptions = {}) {
    this.options = {
      allowance: options.allowance ?? 3,
      threshold: options.threshold ?? 12,
      maxKeys: options.maxKeys ?? 100_000,
      minP: options.minP ?? 1e-4,
    };
    this.sums = new LruMap(this.options.maxKeys);
  }

  /**
   * Adds an event of `key` with tail probability `p`. True when the key's evidence is at or
   * above the threshold and this event added to it: an ordinary event of a source that was
   * busy a moment ago is not anomalous itself.
   */
  observe(key: string, p: number): boolean {
    const { allowance, threshold, minP } = this.options;
    const gain = -Math.log(Math.min(1, Math.max(minP, p))) - allowance;
    // Capped, so that the sum drains within a few ordinary events once a long burst ends.
    const sum = Math.min(2 * threshold, Math.max(0, (this.sums.get(key) ?? 0) + gain));
    if (sum === 0) this.sums.delete(key);
    else this.sums.set(key, sum);
    return gain > 0 && sum >= threshold;
  }

  /** The key's current sum (0 when it has none). */
  evidence(key: string): number {
    return this.sums.get(key) ?? 0;
  }

  get trackedKeys(): number {
    return this.sums.size;
  }

  toJSON(): SustainedEvidenceState {
    return { options: this.options, sums: [...this.sums.inRecencyOrder()] };
  }

  /** The sums `state` saved, under `options` when given, else the saved ones. */
  static fromJSON(state: SustainedEvidenceState, options: SustainedEvidenceOptions = state.options): SustainedEvidence {
    const evidence = new SustainedEvidence(options);
    for (const [key, sum] of state.sums) evidence.sums.set(key, sum);
    return evidence;
  }
}
