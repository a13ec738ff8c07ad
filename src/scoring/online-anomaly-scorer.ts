/**
 * One step of online detection, shared by the `online detector` node and the CLI: score an
 * event before learning it, compare with the adaptive threshold, explain it if anomalous, then
 * learn. Also the detector's lifecycle: reset, retrain on recent events, switch to a pooled
 * model on drift, and a JSON state that survives restarts.
 *
 * An event scored with `{ learn: false }` (one posted to the REST API) is judged by the live
 * model and threshold and changes nothing: not the model, the threshold, the recent events,
 * the counts, nor any source's or sensor's evidence. So whoever can reach the API can neither
 * teach the model that an attack is normal nor push a live source over its evidence threshold;
 * such an event is judged alone.
 */
import type { AnomalyDetector } from "../anomaly/anomaly-detector";
import { AdaptiveThreshold, AdaptiveThresholdOptions } from "./adaptive-threshold";
import { AnomalyExplanation, explainAnomaly } from "./anomaly-explanation";
import { createDetector, DetectorName, restoreDetector } from "../anomaly/detector-catalogue";
import { ModelPool } from "./model-pool";
import { SENSOR_WIDE_FEATURES } from "../features/window-features";
import { SustainedEvidence, SustainedEvidenceOptions, SustainedEvidenceState } from "./sustained-evidence";

/**
 * Chosen on generated sensor logs (seeds 3, 11, 5 and 7, 60k events each; README). Per source:
 * two events whose p (the detector's, for the default the surest member's tail times three)
 * is at or below 1 in 10,000, or three at about 1 in 3,000 (each gains −ln p − 6; p is floored
 * at 1e-4, so one event alone never reaches 6). Per sensor: a run of at least 25 events whose
 * traffic (events, new and distinct addresses per minute) is beyond all but 1 in 3,000 earlier
 * events. Lower allowances found no more attacks within a minute and raised the false alerts
 * by a fifth to a half.
 */
const SOURCE_EVIDENCE: SustainedEvidenceOptions = { allowance: 6, threshold: 6, maxKeys: 100_000 };
const SENSOR_EVIDENCE: SustainedEvidenceOptions = { allowance: 8, threshold: 30, maxKeys: 1_000 };

/** Where an event came from, for evidence that adds up per source and per sensor. */
export interface EventOrigin {
  src_ip?: string;
  sensor?: string;
}

export interface Detection {
  score: number;
  threshold: number;
  anomaly: boolean;
  /** False during the warm-up, when no event is called anomalous. */
  warm: boolean;
  /**
   * Set when the event is anomalous, although its own score is below the threshold, because
   * its source's recent events add up, or its sensor's traffic has been extreme for a while
   * (SustainedEvidence).
   */
  sustained?: "source" | "sensor";
  explanation?: AnomalyExplanation;
}

export interface OnlineAnomalyScorerOptions {
  detector: DetectorName;
  threshold: AdaptiveThresholdOptions;
  topFeatures?: number;
  /** Recent events kept for retraining and model switching. */
  recentEvents?: number;
  /**
   * Features whose names match this pattern are passed through but not scored. By default the
   * hour and weekday: they say when, not what, and in a replay every new hour looks unusual
   * (on generated sensor logs, scoring them added a third more false alerts).
   */
  ignoreFeatures?: string;
  /**
   * Sum evidence per source IP and per sensor (SustainedEvidence), so that runs of moderately
   * unusual events become anomalies too; default true. False judges each event alone.
   */
  sustained?: boolean;
}

export const DEFAULT_IGNORED_FEATURES = "^(hour|weekday)_(sin|cos)$";

export interface OnlineAnomalyScorerState {
  options: OnlineAnomalyScorerOptions;
  detector: unknown;
  threshold: ReturnType<AdaptiveThreshold["toJSON"]>;
  recent: number[][];
  events: number;
  sustained?: { source: SustainedEvidenceState; sensor: SustainedEvidenceState };
}

export class OnlineAnomalyScorer {
  events = 0;
  anomalies = 0;
  private detector: AnomalyDetector;
  private threshold: AdaptiveThreshold;
  private recent: number[][] = [];
  private readonly pool = new ModelPool(3);
  private readonly ignored: RegExp | undefined;
  /** The feature layout last seen: which features are scored, and where the sensor-wide ones sit among them. */
  private layout:
    | { names: readonly string[]; length: number; scored: number[] | undefined; scoredNames: readonly string[]; sensorWide: number[] }
    | undefined;
  private sourceEvidence: SustainedEvidence | undefined;
  private sensorEvidence: SustainedEvidence | undefined;

  constructor(readonly options: OnlineAnomalyScorerOptions) {
    this.detector = createDetector(options.detector);
    this.threshold = new AdaptiveThreshold(options.threshold);
    if (options.sustained !== false) {
      this.sourceEvidence = new SustainedEvidence(SOURCE_EVIDENCE);
      this.sensorEvidence = new SustainedEvidence(SENSOR_EVIDENCE);
    }
    const ignore = options.ignoreFeatures ?? DEFAULT_IGNORED_FEATURES;
    this.ignored = ignore === "" ? undefined : new RegExp(ignore);
  }

  process(vector: readonly number[], featureNames: readonly string[], origin: EventOrigin = {}, { learn = true }: { learn?: boolean } = {}): Detection {
    const layout = this.layoutOf(featureNames, vector.length);
    const scored = layout.scored;
    // The event's own copy of what is scored, which `recent` keeps: the caller may reuse its vector.
    const x = scored ? scored.map((j) => vector[j]) : vector.slice();
    const names = layout.scoredNames;
    const score = this.detector.score(x);
    const { threshold, anomaly: alone } = this.threshold.verdict(score);
    const sustained = this.threshold.isWarm && learn ? this.sustainedBy(origin, score, x, layout.sensorWide) : undefined;
    const anomaly = alone || sustained !== undefined;
    const detection: Detection = { score, threshold, anomaly, warm: this.threshold.isWarm };
    if (!alone && sustained) detection.sustained = sustained;
    if (anomaly) {
      // A sensor-wide anomaly is about the traffic, not about this event's source.
      const among = detection.sustained === "sensor" ? layout.sensorWide : undefined;
      detection.explanation = explainAnomaly(this.detector, x, names, this.options.topFeatures ?? 3, among);
      if (learn) this.anomalies += 1;
    }
    if (!learn) return detection;
    this.detector.learn(x);
    this.threshold.update(score);
    this.recent.push(x);
    if (this.recent.length > (this.options.recentEvents ?? 1000)) this.recent.shift();
    this.events += 1;
    return detection;
  }

  /** Adds the event's surprise to its source's and its sensor's evidence: which of them now adds up, if any. */
  private sustainedBy(origin: EventOrigin, score: number, x: readonly number[], sensorWide: readonly number[]): Detection["sustained"] {
    const bySource = this.sourceEvidence !== undefined && origin.src_ip !== undefined
      && this.sourceEvidence.observe(origin.src_ip, this.detector.lastTailProbability ?? this.threshold.tailProbability(score));
    const bySensor = this.sensorEvidence !== undefined && this.sensorEvidence.observe(origin.sensor ?? "", this.sensorTrafficTail(x, sensorWide));
    return bySource ? "source" : bySensor ? "sensor" : undefined;
  }

  /** The tail probability of the most extreme sensor-wide feature (events, new IPs per minute), 1 without any. */
  private sensorTrafficTail(x: readonly number[], sensorWide: readonly number[]): number {
    if (sensorWide.length === 0) return 1;
    const outlyingness = this.detector.featureOutlyingness(x);
    if (!outlyingness) return 1;
    let most = 0;
    for (const j of sensorWide) most = Math.max(most, outlyingness[j]);
    // Outlyingness is −ln(2·tail) (see StreamingEcod).
    return Math.min(1, Math.exp(-most) / 2);
  }

  /**
   * The features to score (undefined for all), their names, and the sensor-wide ones' places
   * among them, worked out once per feature layout.
   */
  private layoutOf(names: readonly string[], length: number): NonNullable<OnlineAnomalyScorer["layout"]> {
    // Node-RED clones each message, so the same layout arrives as a new array: compare contents.
    const known = this.layout?.names;
    if (this.layout?.length === length && known && (known === names || (known.length === names.length && known.every((name, j) => name === names[j])))) {
      return this.layout;
    }
    const ignored = this.ignored;
    const kept = ignored && names.length === length ? names.map((_, j) => j).filter((j) => !ignored.test(names[j])) : undefined;
    const scored = kept && kept.length < length ? kept : undefined;
    const scoredNames = scored ? scored.map((j) => names[j]) : names;
    const sensorWide = SENSOR_WIDE_FEATURES.map((name) => scoredNames.indexOf(name)).filter((j) => j >= 0);
    this.layout = { names, length, scored, scoredNames, sensorWide };
    return this.layout;
  }

  /** Forget everything: a new detector and threshold, warming up again. */
  reset(): void {
    this.detector = createDetector(this.options.detector);
    this.threshold = new AdaptiveThreshold(this.options.threshold);
    this.recent = [];
    if (this.sourceEvidence) this.sourceEvidence = new SustainedEvidence(SOURCE_EVIDENCE);
    if (this.sensorEvidence) this.sensorEvidence = new SustainedEvidence(SENSOR_EVIDENCE);
  }

  /** A new detector trained on the recent events only: the old regime is forgotten. */
  retrain(): void {
    this.detector = createDetector(this.options.detector);
    for (const x of this.recent) this.detector.learn(x);
  }

  /** Put the current model aside and take the pooled or fresh model that fits recent events best. */
  switchModel(): void {
    this.detector = this.pool.switchFrom(this.detector, this.recent, () => createDetector(this.options.detector));
  }

  toJSON(): OnlineAnomalyScorerState {
    return {
      options: this.options, detector: this.detector.toJSON(), threshold: this.threshold.toJSON(), recent: this.recent, events: this.events,
      ...(this.sourceEvidence && this.sensorEvidence ? { sustained: { source: this.sourceEvidence.toJSON(), sensor: this.sensorEvidence.toJSON() } } : {}),
    };
  }

  static fromJSON(state: OnlineAnomalyScorerState): OnlineAnomalyScorer {
    const scorer = new OnlineAnomalyScorer(state.options);
    scorer.detector = restoreDetector(state.options.detector, state.detector);
    scorer.threshold = AdaptiveThreshold.fromJSON(state.threshold);
    scorer.recent = state.recent;
    scorer.events = state.events;
    if (scorer.sourceEvidence && state.sustained) {
      scorer.sourceEvidence = SustainedEvidence.fromJSON(state.sustained.source);
      scorer.sensorEvidence = SustainedEvidence.fromJSON(state.sustained.sensor);
    }
    return scorer;
  }
}

export function isOnlineAnomalyScorerState(value: unknown): value is OnlineAnomalyScorerState {
  const s = value as OnlineAnomalyScorerState;
  return typeof s?.options?.detector === "string" && Array.isArray(s.recent) && typeof s.threshold === "object";
}
