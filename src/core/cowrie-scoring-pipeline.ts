/**
 * The default pipeline, for headless use: a Cowrie line in, the event's score and any alerts
 * out - clean, window features, online detector, alert policy - the same core classes the
 * Node-RED nodes wrap, in event time, so a back-test alerts as the live flow would have.
 *
 *     const pipeline = new CowrieScoringPipeline();
 *     for (const [i, line] of lines.entries()) {
 *       const { alerts } = pipeline.process(line, i + 1);
 *     }
 *     const last = pipeline.finish();  // updates of incidents still open at the end
 */
import { Alert, AlertPolicy, AlertPolicyOptions } from "./alert-policy";
import { CowrieEventCleaner } from "./cowrie-event-cleaner";
import { parseCowrieLine } from "./cowrie-line";
import type { DetectorName } from "./detector-catalogue";
import { Detection, OnlineAnomalyScorer } from "./online-anomaly-scorer";
import { WindowFeatures, WindowFeaturesOptions } from "./window-features";

export interface CowrieScoringPipelineOptions {
  detector?: DetectorName;
  quantile?: number;
  warmUp?: number;
  windows?: WindowFeaturesOptions;
  alerts?: AlertPolicyOptions;
}

export interface ScoredEvent {
  line: number;
  time_ms: number;
  src_ip: string;
  eventid: string;
  detection: Detection;
}

export interface PipelineStep {
  /** Undefined when the line was not a usable event (rejected or a duplicate). */
  scored?: ScoredEvent;
  alerts: Alert[];
}

export class CowrieScoringPipeline {
  // A back-test reads logs from any time, generated ones too; "in the future" only means
  // something against a live sensor's clock, so the headless pipeline does not judge it.
  readonly cleaner = new CowrieEventCleaner({ futureToleranceMs: Number.POSITIVE_INFINITY });
  readonly windows: WindowFeatures;
  readonly scorer: OnlineAnomalyScorer;
  readonly alerts: AlertPolicy;
  private lastTimeMs = 0;

  constructor(options: CowrieScoringPipelineOptions = {}) {
    this.windows = new WindowFeatures(options.windows);
    this.scorer = new OnlineAnomalyScorer({
      detector: options.detector ?? "default",
      threshold: { quantile: options.quantile ?? 0.995, warmUp: options.warmUp ?? 2000 },
    });
    this.alerts = new AlertPolicy(options.alerts);
  }

  process(line: string, lineNumber: number): PipelineStep {
    const parsed = parseCowrieLine(line);
    if ("reason" in parsed) return { alerts: [] };
    const outcome = this.cleaner.clean(parsed.event);
    if (outcome.kind !== "clean") return { alerts: [] };
    const event = outcome.event;
    const features = this.windows.update(event);
    const detection = this.scorer.process(features.vector, features.names);
    this.lastTimeMs = Math.max(this.lastTimeMs, event.time_ms);
    const scored: ScoredEvent = { line: lineNumber, time_ms: event.time_ms, src_ip: event.src_ip, eventid: event.eventid, detection };
    if (!detection.anomaly || !detection.explanation) return { scored, alerts: this.alerts.expire(event.time_ms) };
    const alerts = this.alerts.observe({
      time_ms: event.time_ms, src_ip: event.src_ip, sensor: event.sensor, score: detection.score,
      attack_type: detection.explanation.attack_type, top_features: detection.explanation.top_features, line: lineNumber,
    });
    return { scored, alerts };
  }

  /** Updates of the incidents still open when the log ends. */
  finish(): Alert[] {
    return this.alerts.expire(this.lastTimeMs + Number.MAX_SAFE_INTEGER / 2);
  }
}
