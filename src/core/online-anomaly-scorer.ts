/**
 * One step of online detection, shared by the `online detector` node and the CLI: score an
 * event before learning it, compare with the adaptive threshold, explain it if anomalous, then
 * learn. Also the detector's lifecycle: reset, retrain on recent events, switch to a pooled
 * model on drift, and a JSON state that survives restarts.
 */
import type { AnomalyDetector } from "./anomaly-detector";
import { AdaptiveThreshold, AdaptiveThresholdOptions } from "./adaptive-threshold";
import { AnomalyExplanation, explainAnomaly } from "./anomaly-explanation";
import { createDetector, DetectorName, restoreDetector } from "./detector-catalogue";
import { ModelPool } from "./model-pool";

export interface Detection {
  score: number;
  threshold: number;
  anomaly: boolean;
  /** False during the warm-up, when no event is called anomalous. */
  warm: boolean;
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
}

export const DEFAULT_IGNORED_FEATURES = "^(hour|weekday)_(sin|cos)$";

export interface OnlineAnomalyScorerState {
  options: OnlineAnomalyScorerOptions;
  detector: unknown;
  threshold: ReturnType<AdaptiveThreshold["toJSON"]>;
  recent: number[][];
  events: number;
}

export class OnlineAnomalyScorer {
  events = 0;
  anomalies = 0;
  private detector: AnomalyDetector;
  private threshold: AdaptiveThreshold;
  private recent: number[][] = [];
  private readonly pool = new ModelPool(3);
  private readonly ignored: RegExp | undefined;
  private layout: { names: readonly string[]; scored: number[] } | undefined;

  constructor(readonly options: OnlineAnomalyScorerOptions) {
    this.detector = createDetector(options.detector);
    this.threshold = new AdaptiveThreshold(options.threshold);
    const ignore = options.ignoreFeatures ?? DEFAULT_IGNORED_FEATURES;
    this.ignored = ignore === "" ? undefined : new RegExp(ignore);
  }

  process(vector: readonly number[], featureNames: readonly string[]): Detection {
    const scored = this.scoredFeatures(featureNames, vector.length);
    const x = scored ? scored.map((j) => vector[j]) : vector;
    const names = scored ? scored.map((j) => featureNames[j]) : featureNames;
    const score = this.detector.score(x);
    const { threshold, anomaly } = this.threshold.verdict(score);
    const detection: Detection = { score, threshold, anomaly, warm: this.threshold.isWarm };
    if (anomaly) {
      detection.explanation = explainAnomaly(this.detector, x, names, this.options.topFeatures ?? 3);
      this.anomalies += 1;
    }
    this.detector.learn(x);
    this.threshold.update(score);
    this.recent.push([...x]);
    if (this.recent.length > (this.options.recentEvents ?? 1000)) this.recent.shift();
    this.events += 1;
    return detection;
  }

  /** Indexes of the features to score, or undefined for all; worked out once per feature layout. */
  private scoredFeatures(names: readonly string[], length: number): number[] | undefined {
    if (!this.ignored || names.length !== length) return undefined;
    // Node-RED clones each message, so the same layout arrives as a new array: compare contents.
    let layout = this.layout;
    const known = layout?.names;
    if (!layout || !known || (known !== names && (known.length !== names.length || known.some((name, j) => name !== names[j])))) {
      const ignored = this.ignored;
      layout = { names, scored: names.map((_, j) => j).filter((j) => !ignored.test(names[j])) };
      this.layout = layout;
    }
    return layout.scored.length === length ? undefined : layout.scored;
  }

  /** Forget everything: a new detector and threshold, warming up again. */
  reset(): void {
    this.detector = createDetector(this.options.detector);
    this.threshold = new AdaptiveThreshold(this.options.threshold);
    this.recent = [];
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
    return { options: this.options, detector: this.detector.toJSON(), threshold: this.threshold.toJSON(), recent: this.recent, events: this.events };
  }

  static fromJSON(state: OnlineAnomalyScorerState): OnlineAnomalyScorer {
    const scorer = new OnlineAnomalyScorer(state.options);
    scorer.detector = restoreDetector(state.options.detector, state.detector);
    scorer.threshold = AdaptiveThreshold.fromJSON(state.threshold);
    scorer.recent = state.recent;
    scorer.events = state.events;
    return scorer;
  }
}

export function isOnlineAnomalyScorerState(value: unknown): value is OnlineAnomalyScorerState {
  const s = value as OnlineAnomalyScorerState;
  return typeof s?.options?.detector === "string" && Array.isArray(s.recent) && typeof s.threshold === "object";
}
