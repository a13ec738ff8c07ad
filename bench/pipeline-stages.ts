/**
 * Where `honeyflow score`'s time goes: each stage of the headless pipeline alone, over the same
 * generated log, in microseconds per event beside `JSON.parse` of its lines; then the whole
 * pipeline in this process (CowrieScoringPipeline without pca, as `honeyflow score` runs without
 * `--scores`), one line at a time and in batches as `honeyflow score` feeds it. Each stage runs
 * over the whole log before the next, on the previous stage's output, so its figure is its own;
 * the whole pipeline's adds drift, the alert policy and what joins the stages, and, one line at a
 * time, the cost of taking every stage's code and state back into the CPU's caches for each line.
 *
 * This is the budget behind the headless target (0.3 of `JSON.parse`): the pipeline would have
 * about three times `JSON.parse`'s time for everything it does.
 */
import { CowrieEventCleaner } from "../src/clean/cowrie-event-cleaner";
import { parseCowrieLine, type CowrieEvent } from "../src/ingest/cowrie-line";
import { CowrieLogGenerator } from "../src/datasets/synth/cowrie/cowrie-log-generator";
import { BATCH_LINES, CowrieScoringPipeline } from "../src/pipeline/cowrie-scoring-pipeline";
import type { CanonicalEvent } from "../src/domain/canonical-event";
import { OnlineAnomalyScorer } from "../src/scoring/online-anomaly-scorer";
import { WindowFeatures } from "../src/features/window-features";
import type { Figure } from "./figure";

const BENCH = "stages";
/** As the headless bench's log: a busy sensor. */
const LOG_RATE = 50;

export function runPipelineStagesBench(events: number): Figure[] {
  const lines = Array.from(new CowrieLogGenerator({ events, seed: "bench-stages", rate: LOG_RATE }), ({ line }) => line);
  // Once through everything first, so that no stage is measured before the JIT has compiled it.
  const warmUp = new CowrieScoringPipeline({ pcaError: false });
  lines.slice(0, Math.min(lines.length, 20_000)).forEach((line, i) => warmUp.process(line, i + 1));

  const parsed: CowrieEvent[] = [];
  const parseUs = microsecondsPerEvent(lines.length, () => {
    for (const line of lines) {
      const result = parseCowrieLine(line);
      if ("event" in result) parsed.push(result.event);
    }
  });
  // The headless pipeline's cleaner: a back-test takes any event time.
  const cleaner = new CowrieEventCleaner({ futureToleranceMs: Number.POSITIVE_INFINITY });
  const cleaned: CanonicalEvent[] = [];
  const cleanUs = microsecondsPerEvent(parsed.length, () => {
    for (const event of parsed) {
      const outcome = cleaner.clean(event);
      if (outcome.kind === "clean") cleaned.push(outcome.event);
    }
  });
  const windows = new WindowFeatures();
  const vectors: number[][] = [];
  const featuresUs = microsecondsPerEvent(cleaned.length, () => {
    for (const event of cleaned) vectors.push(windows.updateVector(event));
  });
  const scorer = new OnlineAnomalyScorer({ detector: "default", threshold: {} });
  const detectorUs = microsecondsPerEvent(vectors.length, () => {
    for (let i = 0; i < vectors.length; i++) scorer.process(vectors[i], windows.names, cleaned[i]);
  });
  const oneByOne = new CowrieScoringPipeline({ pcaError: false });
  const lineByLineUs = microsecondsPerEvent(lines.length, () => {
    for (let i = 0; i < lines.length; i++) oneByOne.process(lines[i], i + 1);
  });
  const batched = new CowrieScoringPipeline({ pcaError: false });
  const batchedUs = microsecondsPerEvent(lines.length, () => {
    for (let first = 0; first < lines.length; first += BATCH_LINES) {
      batched.processLines(lines.slice(first, first + BATCH_LINES).map((text, i) => ({ text, line: first + i + 1 })));
    }
  });

  const baseline = { name: "JSON.parse", value: parseUs };
  const stage = (name: string, us: number): Figure => ({ bench: BENCH, name, value: us, unit: "us/event", baseline, ratio: us / parseUs });
  return [
    { bench: BENCH, name: `JSON.parse of a line (baseline; ${lines.length.toLocaleString("en-US")} generated lines)`, value: parseUs, unit: "us/event" },
    stage("clean", cleanUs),
    stage(`window features (${windows.names.length} features)`, featuresUs),
    stage("online detector (default, adaptive threshold, adding up)", detectorUs),
    stage("whole pipeline (parse to alert policy, no pca), one line at a time", lineByLineUs),
    stage(`whole pipeline, ${BATCH_LINES} lines at a time (as honeyflow score)`, batchedUs),
  ];
}

function microsecondsPerEvent(events: number, run: () => void): number {
  const started = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - started) / 1000 / Math.max(1, events);
}
