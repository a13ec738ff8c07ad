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
 *
 * Beside the multivariate detector, typed detection (src/typed-detection) watches the features
 * each attack type moves against the sensor's own baselines and alert budget; a typed finding
 * makes the event anomalous and names its type. The `default` detection runs both; `rules`
 * runs the fixed rules a SOC writes by hand and no model; any other name runs that multivariate
 * detector alone, as the baselines it is measured against.
 */
import type { AnomalyDetector } from "../anomaly/anomaly-detector";
import { AdaptiveThreshold, AdaptiveThresholdOptions } from "./adaptive-threshold";
import { AnomalyExplanation, explainAnomaly } from "./anomaly-explanation";
import { createDetector, DETECTOR_NAMES, restoreDetector } from "../anomaly/detector-catalogue";
import { RulesDetection, type RulesDetectionOptions } from "../typed-detection/rules-detection";
import { sameFeatureNames } from "../typed-detection/feature-places";
import { TypedDetection, type TypedDetectionState } from "../typed-detection/typed-detection";
import type { TypedFinding } from "../typed-detection/typed-watch";
import { ModelPool } from "./model-pool";
import { RecentVectors } from "../collections/recent-vectors";
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

/** What a user can pick: a multivariate detector by name, or `rules`, the fixed rules alone. */
export const DETECTION_NAMES = [...DETECTOR_NAMES, "rules"] as const;
export type DetectionName = (typeof DETECTION_NAMES)[number];

export function isDetectionName(name: unknown): name is DetectionName {
  return (DETECTION_NAMES as readonly unknown[]).includes(name);
}

/** Where and when an event came from, for evidence that adds up per source and per sensor, and for typed detection's baselines. */
export interface EventOrigin {
  src_ip?: string;
  sensor?: string;
  time_ms?: number;
  eventid?: string;
}

/** The typed finding behind an anomaly, when typed detection or a rule made it one. */
export type TypedVerdict = Omit<TypedFinding, "excess">;

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
  typed?: TypedVerdict;
  explanation?: AnomalyExplanation;
}

export interface OnlineAnomalyScorerOptions {
  detector: DetectionName;
  /** Background alerts a sensor may raise a day from typed detection (default detection only); default 2. */
  alertsPerDay?: number;
  /** Typed detection beside the default model; default true. False leaves the model alone, as it was measured before. */
  typed?: boolean;
  /** The rules' thresholds (`rules` only). */
  rules?: RulesDetectionOptions;
  threshold: AdaptiveThresholdOptions;
  topFeatures?: number;
  /** Recent events kept for retraining and model switching. */
  recentEvents?: number;
  /**
   * Features whose names match this pattern are passed through but not scored. By default:
   * - the hour and weekday: they say when, not what, and in a replay every new hour looks
   *   unusual (on generated sensor logs, scoring them added false alerts; README);
   * - the 30-second and 5-minute windows: the model reads each of a source's counts at one time
   *   scale, the minute. The three windows of one count move together, so scored all three they
   *   are one piece of evidence counted three times in ECOD's mean, and the typed watches read
   *   every window anyway. The attacks found on drilled real logs stayed the same, the model's
   *   ranking of attack events rose on generated logs, and the model does less per event
   *   (figures in the README's detection section).
   */
  ignoreFeatures?: string;
  /**
   * Sum evidence per source IP and per sensor (SustainedEvidence), so that runs of moderately
   * unusual events become anomalies too; default true. False judges each event alone.
   */
  sustained?: boolean;
}

export const DEFAULT_IGNORED_FEATURES = "^(hour|weekday)_(sin|cos)$|_(30s|5m)$";

export interface OnlineAnomalyScorerState {
  options: OnlineAnomalyScorerOptions;
  detector: unknown;
  threshold: ReturnType<AdaptiveThreshold["toJSON"]>;
  recent: number[][];
  events: number;
  sustained?: { source: SustainedEvidenceState; sensor: SustainedEvidenceState };
  typed?: TypedDetectionState;
  /** The names of the features the model learned (states saved before they were kept have none). */
  scored?: string[];
}

export class OnlineAnomalyScorer {
  events = 0;
  anomalies = 0;
  /** Times the model started afresh because the features it was given were not those it had learned. */
  featureChanges = 0;
  /** The multivariate detector; none for `rules`. */
  private detector: AnomalyDetector | undefined;
  private typed: TypedDetection | RulesDetection | undefined;
  private threshold: AdaptiveThreshold;
  private readonly recent: RecentVectors;
  private pool = new ModelPool(3);
  private readonly ignored: RegExp | undefined;
  /** The feature layout last seen: which features are scored, and where the sensor-wide ones sit among them. */
  private layout:
    | { names: readonly string[]; length: number; scored: number[] | undefined; scoredNames: readonly string[]; sensorWide: number[]; checked: boolean }
    | undefined;
  /**
   * The features the model has learned, by name; for a state saved before names were kept, only
   * how many (its recent vectors' length).
   */
  private trainedOn: readonly string[] | undefined;
  private trainedDimension: number | undefined;
  private sourceEvidence: SustainedEvidence | undefined;
  private sensorEvidence: SustainedEvidence | undefined;

  constructor(readonly options: OnlineAnomalyScorerOptions) {
    this.detector = multivariateOf(options.detector);
    this.typed = typedOf(options);
    this.threshold = new AdaptiveThreshold(options.threshold);
    this.recent = new RecentVectors(options.recentEvents ?? 1000);
    if (options.sustained !== false) {
      this.sourceEvidence = new SustainedEvidence(SOURCE_EVIDENCE);
      this.sensorEvidence = new SustainedEvidence(SENSOR_EVIDENCE);
    }
    const ignore = options.ignoreFeatures ?? DEFAULT_IGNORED_FEATURES;
    this.ignored = ignore === "" ? undefined : new RegExp(ignore);
  }

  process(vector: readonly number[], featureNames: readonly string[], origin: EventOrigin = {}, { learn = true }: { learn?: boolean } = {}): Detection {
    // Typed baselines learn from the live stream only; a posted event is judged by them as they stand.
    const finding = this.typed?.observe(vector, featureNames, watchedEventOf(origin), learn);
    if (!this.detector) return this.ruled(finding, learn);
    const layout = this.layoutOf(featureNames, vector.length);
    if (learn && !layout.checked) this.keepModelOn(layout);
    // A posted event changes nothing, but a model of other features does not judge it either: until
    // the live stream starts the model afresh, it is judged as a fresh model judges it.
    const afresh = !layout.checked && this.learnedOther(layout);
    // Never undefined: `rules` has no model and returned above.
    const detector = (afresh ? multivariateOf(this.options.detector) : this.detector) as AnomalyDetector;
    const verdicts = afresh ? new AdaptiveThreshold(this.options.threshold) : this.threshold;
    const scored = layout.scored;
    // The event's own copy of what is scored: the caller may reuse its vector, and the detectors
    // know the event they scored last by its array.
    const x = scored ? scored.map((j) => vector[j]) : vector.slice();
    const names = layout.scoredNames;
    const score = detector.score(x);
    const { threshold, anomaly: alone } = verdicts.verdict(score);
    const sustained = verdicts.isWarm && learn ? this.sustainedBy(detector, origin, score, x, layout.sensorWide) : undefined;
    // Beside typed detection, which spends most of the alert budget, the model speaks for what no
    // watch describes only when an event is extreme alone and its source's (or sensor's) run adds up.
    const besideWatches = this.typed instanceof TypedDetection && this.typed.watchesAny(featureNames);
    // A posted event has no run to add up (it is judged alone): the model's own verdict stands.
    const byModel = besideWatches && learn ? alone && sustained !== undefined : alone || sustained !== undefined;
    const anomaly = byModel || finding !== undefined;
    const detection: Detection = { score, threshold, anomaly, warm: verdicts.isWarm };
    if (!alone && sustained) detection.sustained = sustained;
    if (anomaly) {
      const topK = this.options.topFeatures ?? 3;
      // A sensor-wide anomaly is about the traffic, not about this event's source.
      const among = detection.sustained === "sensor" ? layout.sensorWide : undefined;
      const explanation = explainAnomaly(detector, x, names, finding ? topK - 1 : topK, among);
      detection.explanation = finding ? typedExplanation(finding, explanation) : this.untyped(explanation, detection.sustained, featureNames);
      if (finding) detection.typed = verdictOf(finding);
      if (learn) this.anomalies += 1;
    }
    if (!learn) return detection;
    detector.learn(x);
    this.threshold.update(score);
    this.recent.push(x);
    this.events += 1;
    return detection;
  }

  /**
   * The model's own anomaly, beside typed detection: the watches name the known attack types, so
   * what the model alone finds of a type they watch is unusual behaviour (or the sensor's traffic,
   * when that is what added up), one incident per source rather than one per type its features
   * happen to suggest.
   */
  private untyped(explanation: AnomalyExplanation, sustained: Detection["sustained"], featureNames: readonly string[]): AnomalyExplanation {
    if (!(this.typed instanceof TypedDetection) || !this.typed.watchedTypes(featureNames).has(explanation.attack_type)) return explanation;
    return { ...explanation, attack_type: sustained === "sensor" ? "traffic-spike" : "unusual-behaviour" };
  }

  /** The `rules` detection's verdict: a rule fired or none did; its score is how far past its threshold. */
  private ruled(finding: TypedFinding | undefined, learn: boolean): Detection {
    if (learn) {
      this.events += 1;
      if (finding) this.anomalies += 1;
    }
    if (!finding) return { score: 0, threshold: 1, anomaly: false, warm: true };
    return { score: finding.excess, threshold: 1, anomaly: true, warm: true, typed: verdictOf(finding), explanation: typedExplanation(finding) };
  }

  /** Adds the event's surprise to its source's and its sensor's evidence: which of them now adds up, if any. */
  private sustainedBy(detector: AnomalyDetector, origin: EventOrigin, score: number, x: readonly number[], sensorWide: readonly number[]): Detection["sustained"] {
    const bySource = this.sourceEvidence !== undefined && origin.src_ip !== undefined
      && this.sourceEvidence.observe(origin.src_ip, detector.lastTailProbability ?? this.threshold.tailProbability(score));
    const bySensor = this.sensorEvidence !== undefined && this.sensorEvidence.observe(origin.sensor ?? "", this.sensorTrafficTail(detector, x, sensorWide));
    return bySource ? "source" : bySensor ? "sensor" : undefined;
  }

  /** The tail probability of the most extreme sensor-wide feature (events, new IPs per minute), 1 without any. */
  private sensorTrafficTail(detector: AnomalyDetector, x: readonly number[], sensorWide: readonly number[]): number {
    if (sensorWide.length === 0) return 1;
    const outlyingness = detector.featureOutlyingness(x);
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
    const known = this.layout;
    if (known?.length === length && sameFeatureNames(known.names, names)) {
      known.names = names;
      return known;
    }
    const ignored = this.ignored;
    const kept = ignored && names.length === length ? names.map((_, j) => j).filter((j) => !ignored.test(names[j])) : undefined;
    const scored = kept && kept.length < length ? kept : undefined;
    const scoredNames = scored ? scored.map((j) => names[j]) : names;
    const sensorWide = SENSOR_WIDE_FEATURES.map((name) => scoredNames.indexOf(name)).filter((j) => j >= 0);
    this.layout = { names, length, scored, scoredNames, sensorWide, checked: false };
    return this.layout;
  }

  /**
   * Starts the model afresh if it learned other features than this layout scores: a model restored
   * onto features it never saw (other windows, or another default of what is ignored, as after an
   * upgrade) would read each value against another feature's history. The typed baselines keep
   * theirs: they follow their features by name.
   */
  private keepModelOn(layout: NonNullable<OnlineAnomalyScorer["layout"]>): void {
    const names = layout.scoredNames;
    if (this.learnedOther(layout)) {
      this.startModelAfresh();
      // The models put aside learned the other features too: switching to one on drift would bring them back.
      this.pool = new ModelPool(3);
      this.featureChanges += 1;
    }
    // Vectors without names (or with names of another count) cannot be told apart by them, only by
    // their length: taken as the names of what was learned, none would match none at any length, and
    // the model would learn vectors of every length as one.
    const dimension = layout.scored?.length ?? layout.length;
    this.trainedOn = names.length === dimension ? [...names] : undefined;
    this.trainedDimension = names.length === dimension ? undefined : dimension;
    layout.checked = true;
  }

  /**
   * Whether the model learned other features than `layout` scores, as far as the state it came from
   * says: their names, or only how many, counted in the vector (which may come without names).
   */
  private learnedOther(layout: NonNullable<OnlineAnomalyScorer["layout"]>): boolean {
    if (this.trainedOn) return !sameFeatureNames(this.trainedOn, layout.scoredNames);
    return this.trainedDimension !== undefined && this.trainedDimension !== (layout.scored?.length ?? layout.length);
  }

  /** Forget everything: a new detector, threshold and typed baselines, warming up again. */
  reset(): void {
    this.startModelAfresh();
    this.typed = typedOf(this.options);
  }

  /** A new model and threshold, warming up again, and no evidence summed under the old one. */
  private startModelAfresh(): void {
    this.detector = multivariateOf(this.options.detector);
    this.threshold = new AdaptiveThreshold(this.options.threshold);
    this.recent.clear();
    if (this.sourceEvidence) this.sourceEvidence = new SustainedEvidence(SOURCE_EVIDENCE);
    if (this.sensorEvidence) this.sensorEvidence = new SustainedEvidence(SENSOR_EVIDENCE);
  }

  /** A new detector trained on the recent events only: the old regime is forgotten. */
  retrain(): void {
    const detector = multivariateOf(this.options.detector);
    if (detector) for (const x of this.recent.vectors()) detector.learn(x);
    this.detector = detector;
  }

  /** Put the current model aside and take the pooled or fresh model that fits recent events best. */
  switchModel(): void {
    const name = this.options.detector;
    if (this.detector && name !== "rules") this.detector = this.pool.switchFrom(this.detector, this.recent.vectors(), () => createDetector(name));
  }

  /** Whether the threshold, and the model's score of the latest event it learned, are numbers. */
  scoresNumbers(): boolean {
    const latest = this.recent.vectors().at(-1);
    return Number.isFinite(this.threshold.value) && (!this.detector || latest === undefined || Number.isFinite(this.detector.score(latest)));
  }

  toJSON(): OnlineAnomalyScorerState {
    return {
      options: this.options, detector: this.detector?.toJSON() ?? null, threshold: this.threshold.toJSON(), recent: this.recent.vectors(), events: this.events,
      ...(this.typed instanceof TypedDetection ? { typed: this.typed.toJSON() } : {}),
      ...(this.sourceEvidence && this.sensorEvidence ? { sustained: { source: this.sourceEvidence.toJSON(), sensor: this.sensorEvidence.toJSON() } } : {}),
      ...(this.trainedOn ? { scored: [...this.trainedOn] } : {}),
    };
  }

  static fromJSON(state: OnlineAnomalyScorerState): OnlineAnomalyScorer {
    // Counted on with `+= 1`: a count that is text (a snapshot or file edited by hand) would grow
    // by a character on every event, in the node's status and in every save.
    if (!Number.isSafeInteger(state.events) || state.events < 0) throw new RangeError(`events must be a count, not ${String(state.events)}`);
    const scorer = new OnlineAnomalyScorer(state.options);
    const name = state.options.detector;
    scorer.detector = name === "rules" ? undefined : restoreDetector(name, state.detector);
    if (state.typed && scorer.typed instanceof TypedDetection) scorer.typed.restore(state.typed);
    // The scores learned, judged by the threshold settings given now: a node redeployed with another
    // quantile or a fixed threshold would otherwise go on with the ones saved with its model.
    scorer.threshold = AdaptiveThreshold.fromJSON(state.threshold, state.options.threshold);
    // What is no vector is left out (copying it would throw, and with it the node's restore), and of the
    // rest only as many as are kept.
    const recent = state.recent.filter((x) => Array.isArray(x));
    for (const x of recent.slice(Math.max(0, recent.length - scorer.recent.capacity))) scorer.recent.push(x);
    if (Array.isArray(state.scored) && state.scored.every((name) => typeof name === "string")) scorer.trainedOn = state.scored;
    // Its models relearn from scratch on vectors of another length: the last vector's is what they learned.
    else scorer.trainedDimension = recent[recent.length - 1]?.length;
    scorer.events = state.events;
    if (scorer.sourceEvidence && state.sustained) {
      // The sums, within this version's bounds and allowances rather than the file's.
      scorer.sourceEvidence = SustainedEvidence.fromJSON(state.sustained.source, SOURCE_EVIDENCE);
      scorer.sensorEvidence = SustainedEvidence.fromJSON(state.sustained.sensor, SENSOR_EVIDENCE);
    }
    return scorer;
  }
}

/**
 * The scorer a saved state continues under `options`, or undefined when its parts cannot be read
 * back: edited by hand, or saved by a version that shaped them otherwise. Such a state threw while
 * restoring, which the online detector node does on start, and a node that throws there is left out
 * of the flow; or it restored a model that scored NaN.
 */
export function restoredScorer(state: OnlineAnomalyScorerState, options: OnlineAnomalyScorerOptions): OnlineAnomalyScorer | undefined {
  let scorer: OnlineAnomalyScorer;
  try {
    scorer = OnlineAnomalyScorer.fromJSON({ ...state, options });
  } catch {
    return undefined;
  }
  return scorer.scoresNumbers() ? scorer : undefined;
}

export function isOnlineAnomalyScorerState(value: unknown): value is OnlineAnomalyScorerState {
  const s = value as OnlineAnomalyScorerState;
  return typeof s?.options?.detector === "string" && Array.isArray(s.recent) && typeof s.threshold === "object";
}

function multivariateOf(name: DetectionName): AnomalyDetector | undefined {
  return name === "rules" ? undefined : createDetector(name);
}

/** Typed detection for `default`, the rules for `rules`, none for a multivariate detector measured alone. */
function typedOf(options: OnlineAnomalyScorerOptions): TypedDetection | RulesDetection | undefined {
  if (options.detector === "rules") return new RulesDetection(options.rules);
  return options.detector === "default" && options.typed !== false ? new TypedDetection({ alertsPerDay: options.alertsPerDay }) : undefined;
}

function watchedEventOf(origin: EventOrigin) {
  return { src_ip: origin.src_ip ?? "", sensor: origin.sensor ?? "", time_ms: origin.time_ms ?? 0, eventid: origin.eventid };
}

function verdictOf({ type, feature, value, threshold }: TypedFinding): TypedVerdict {
  return { type, feature, value, threshold };
}

/** The finding's feature first, with the range the sensor's baseline allows, then what the model saw. */
function typedExplanation(finding: TypedFinding, model?: AnomalyExplanation): AnomalyExplanation {
  const watched = { name: finding.feature, value: finding.value, usual: [0, finding.threshold] as [number, number], outlyingness: finding.excess };
  const rest = (model?.top_features ?? []).filter((feature) => feature.name !== finding.feature);
  return { attack_type: finding.type, top_features: [watched, ...rest] };
}
