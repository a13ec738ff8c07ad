/**
 * `honeyflow eval --input FILE [--labels FILE.labels.json | --label COLUMN] [--detector NAME]`:
 * measures detection quality on a labelled stream, in stream order, one pass. For a Cowrie log
 * with its episode labels (as `honeyflow generate` writes them): ROC AUC and average precision
 * of every event's score, precision/recall/F1 at the adaptive threshold, per-episode recall and
 * detection delay, and alerts per hour on the background. For a numeric CSV with a label column:
 * ROC AUC, average precision and precision/recall/F1.
 */
import * as fs from "node:fs";
import { parseArgs } from "node:util";
import type { Alert } from "../alerting/alert-policy";
import { averagePrecision } from "../metrics/average-precision";
import { ATTACK_TYPES, isAttackType, type AttackEpisodeLabel } from "../domain/attack-types";
import { IMPLAUSIBLE_CLOCK_JUMP_MS } from "../domain/canonical-event";
import { cowrieTimestampToEpochMs, epochMsToIsoString } from "../ingest/cowrie-timestamp";
import { WidestTimeStep } from "../ingest/widest-time-step";
import { CowrieScoringPipeline } from "../pipeline/cowrie-scoring-pipeline";
import { evaluateEpisodes } from "../metrics/episode-detection";
import { OnlineAnomalyScorer } from "../scoring/online-anomaly-scorer";
import { precisionRecallF1 } from "../metrics/precision-recall";
import { rocAuc } from "../metrics/roc-auc";
import { CsvCellError, csvHeader, numericCells } from "./numeric-csv";
import { DETECTOR_OPTIONS, DETECTOR_OPTIONS_USAGE, detectorSettings, type DetectorSettings } from "./detector-options";
import { UsageError } from "./usage-error";

export const USAGE = `usage: honeyflow eval --input FILE [--labels LABELS.json | --label COLUMN] [--detector NAME] [--json]

  --input FILE       a Cowrie log (labels from --labels, default FILE.labels.json) or a numeric CSV
  --label COLUMN     for a CSV: the ground-truth column (1 = anomaly); every other column is scored
${DETECTOR_OPTIONS_USAGE}  --json             print the report as JSON
`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      input: { type: "string" }, labels: { type: "string" }, label: { type: "string" },
      ...DETECTOR_OPTIONS, json: { type: "boolean" }, help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const input = values.input;
  if (!input) throw new UsageError("--input is required");
  const settings = detectorSettings(values);
  const isCsv = input.endsWith(".csv");
  const labelsFile = values.labels ?? `${input}.labels.json`;
  for (const file of isCsv ? [input] : [input, labelsFile]) {
    if (!fs.existsSync(file)) {
      process.stderr.write(`honeyflow eval: no such file: ${file}\n`);
      return 2;
    }
  }
  if (isCsv && !values.label) {
    process.stderr.write("honeyflow eval: a CSV needs --label COLUMN\n");
    return 2;
  }
  let episodes: AttackEpisodeLabel[] = [];
  if (!isCsv) {
    try {
      episodes = readEpisodeLabels(labelsFile);
    } catch (err) {
      process.stderr.write(`honeyflow eval: ${labelsFile}: ${(err as Error).message}\n`);
      return 2;
    }
  }
  let report: Report;
  try {
    report = isCsv ? evaluateCsv(input, values.label as string, settings) : await evaluateCowrieLog(input, labelsFile, episodes, settings);
  } catch (err) {
    if (err instanceof UnusableLabelsError) {
      process.stderr.write(`honeyflow eval: ${err.file}: ${err.message}\n`);
      return 2;
    }
    if (!(err instanceof CsvCellError)) throw err;
    process.stderr.write(`honeyflow eval: ${input}: ${err.message}\n`);
    return 1;
  }
  process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : describe(report));
  return 0;
}

/**
 * The episodes of a labels file, checked before the log is scored: a hand-edited or truncated
 * file would otherwise fail deep in the scoring with a message that names neither the file nor
 * the episode, or (an unreadable time counts from 1970) give a report that is silently wrong.
 */
function readEpisodeLabels(file: string): AttackEpisodeLabel[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    throw new Error(`not JSON (${(err as Error).message})`);
  }
  if (!Array.isArray(parsed)) throw new Error("not a JSON array of episodes [{type, src_ips, start, end, first_line, last_line}, ...]");
  const seen = new Map<string, number>();
  parsed.forEach((episode: unknown, i) => {
    const fail = (why: string) => {
      throw new Error(`episode ${i + 1}: ${why}`);
    };
    if (typeof episode !== "object" || episode === null || Array.isArray(episode)) fail("not an object");
    const e = episode as Record<string, unknown>;
    if (typeof e.type !== "string" || !isAttackType(e.type)) fail(`type must be one of ${ATTACK_TYPES.join(", ")}, not ${JSON.stringify(e.type)}`);
    if (!Array.isArray(e.src_ips) || !e.src_ips.every((ip) => typeof ip === "string")) fail("src_ips must be a list of addresses");
    const times = (["start", "end"] as const).map((key) => {
      const ms = typeof e[key] === "string" ? cowrieTimestampToEpochMs(e[key]) : undefined;
      return ms ?? fail(`${key} is not a timestamp: ${JSON.stringify(e[key])}`);
    });
    if ((times[0] as number) > (times[1] as number)) fail(`start ${String(e.start)} is after its end ${String(e.end)}`);
    const [first, last] = [e.first_line, e.last_line];
    if (!Number.isSafeInteger(first) || !Number.isSafeInteger(last) || (first as number) < 1 || (first as number) > (last as number)) {
      fail(`first_line and last_line must be line numbers with first_line <= last_line, not ${JSON.stringify(first)} and ${JSON.stringify(last)}`);
    }
    // Listed twice (files merged by hand), an episode would be found or missed twice and move the recall.
    const key = JSON.stringify([e.type, [...(e.src_ips as string[])].sort(), times, first, last]);
    const earlier = seen.get(key);
    if (earlier !== undefined) fail(`repeats episode ${earlier + 1}`);
    seen.set(key, i);
  });
  return parsed as AttackEpisodeLabel[];
}

/**
 * Labels that cannot be used, found as the input is read: a CSV without the --label column, or
 * labels whose lines the log does not have (scored against it, each episode would read as missed).
 */
class UnusableLabelsError extends Error {
  constructor(readonly file: string, message: string) {
    super(message);
  }
}

type Report = Record<string, unknown> & { episodes?: ReturnType<typeof evaluateEpisodes>["episodes"] };

function evaluateCsv(file: string, labelColumn: string, { detector, quantile, warmUp }: DetectorSettings): Report {
  const [header, ...rows] = fs.readFileSync(file, "utf8").split("\n").filter((line) => line.trim() !== "");
  const columns = csvHeader(header ?? "");
  const labelIndex = columns.indexOf(labelColumn);
  if (labelIndex === -1) throw new UnusableLabelsError(file, `no column '${labelColumn}' in the header`);
  const names = columns.filter((_, i) => i !== labelIndex);
  // Every column is scored: what the pipeline's model leaves out (the hour, the 30 s and 5 min
  // windows) is about window features, and a CSV's columns are whatever its author measured.
  const scorer = new OnlineAnomalyScorer({ detector, threshold: { quantile, warmUp }, ignoreFeatures: "" });
  const scores: number[] = [];
  const flags: boolean[] = [];
  const labels: number[] = [];
  for (const [r, row] of rows.entries()) {
    const cells = numericCells(row, columns, r + 1);
    // Any other value counted as an anomaly would invert a file in sklearn's convention (-1 the outliers, 1 the rest).
    if (cells[labelIndex] !== 0 && cells[labelIndex] !== 1) {
      throw new CsvCellError(`row ${r + 1}, column '${labelColumn}': a label is 0 or 1 (1 = anomaly), not '${row.split(",")[labelIndex].trim()}'`);
    }
    labels.push(cells[labelIndex]);
    const detection = scorer.process(cells.filter((_, i) => i !== labelIndex), names);
    scores.push(detection.score);
    flags.push(detection.anomaly);
  }
  return { input: file, detector, rows: rows.length, anomalies: labels.filter(Boolean).length, roc_auc: rocAuc(scores, labels), average_precision: averagePrecision(scores, labels), ...eventMetrics(flags, labels) };
}

/**
 * ROC AUC and average precision of the detection on a Cowrie log: events ranked by its decision,
 * then by its score, and the score's own ranking beside them. Typed detection's decision is no
 * threshold on the model's score: it flags a brute force's every failed login while the model,
 * which has learned the sensor's bots, may score them as ordinary, so the score alone can rank a
 * drilled log's attacks no higher than its background while every episode is found. Scores lie
 * in [0, 1] (a rule's excess only where it fired), so a flagged event ranks above every other.
 */
function detectionRanking(scores: number[], flags: boolean[], labels: number[]) {
  const ranked = scores.map((score, i) => (flags[i] ? 1 + score : score));
  return {
    roc_auc: rocAuc(ranked, labels), average_precision: averagePrecision(ranked, labels),
    score_roc_auc: rocAuc(scores, labels), score_average_precision: averagePrecision(scores, labels),
  };
}

/** Precision, recall and F1 of the threshold's decisions, event by event. */
function eventMetrics(flags: boolean[], labels: number[]) {
  const { precision, recall, f1 } = precisionRecallF1(flags, labels);
  return { event_precision: precision, event_recall: recall, event_f1: f1 };
}

async function evaluateCowrieLog(file: string, labelsFile: string, episodes: AttackEpisodeLabel[], settings: DetectorSettings): Promise<Report> {
  const { detector } = settings;
  const pipeline = new CowrieScoringPipeline({ ...settings, pcaError: false });
  const scores: number[] = [];
  const flags: boolean[] = [];
  const labels: number[] = [];
  const alerts: Alert[] = [];
  const eventsOfEpisode = episodes.map(() => 0);
  let firstMs = Infinity;
  let lastMs = -Infinity;
  const steps = new WidestTimeStep();
  const read = await pipeline.processLog([file], ({ scored, alerts: raised }) => {
    alerts.push(...raised);
    if (!scored) return;
    firstMs = Math.min(firstMs, scored.time_ms);
    lastMs = Math.max(lastMs, scored.time_ms);
    steps.see(scored.line, scored.time_ms);
    scores.push(scored.detection.score);
    flags.push(scored.detection.anomaly);
    let inEpisode = false;
    episodes.forEach((e, i) => {
      if (scored.line < e.first_line || scored.line > e.last_line || !e.src_ips.includes(scored.src_ip)) return;
      eventsOfEpisode[i] += 1;
      inEpisode = true;
    });
    labels.push(inEpisode ? 1 : 0);
  });
  const beyond = episodes.findIndex((e) => e.last_line > read.lines);
  if (beyond !== -1) {
    throw new UnusableLabelsError(labelsFile, `episode ${beyond + 1} ends at line ${episodes[beyond].last_line}, past the last of ${file}'s ${read.lines} lines: these are not its labels`);
  }
  // The labels of another drill of the same log (another seed or intensity) fit in its lines, but
  // their sources are not on them: each such episode would be reported missed, its recall lowered.
  const absent = eventsOfEpisode.indexOf(0);
  if (absent !== -1) {
    const e = episodes[absent];
    throw new UnusableLabelsError(labelsFile, `episode ${absent + 1} (${e.type}, lines ${e.first_line}-${e.last_line}) has no event of ${file} from its sources ${e.src_ips.join(", ") || "(none)"}: these are not its labels`);
  }
  alerts.push(...pipeline.finish());
  const hours = scores.length === 0 ? 0 : (lastMs - firstMs) / 3_600_000;
  // One event from a sensor whose clock restarted at 1970 (no real-time clock before NTP) spans
  // the log over decades and turns the background alerts per hour to 0: the reader is told.
  if (steps.widest.ms > IMPLAUSIBLE_CLOCK_JUMP_MS) {
    const { from, to } = steps.widest;
    process.stderr.write(`honeyflow eval: warning: ${file}'s time jumps from ${epochMsToIsoString(from.timeMs)} (line ${from.line}) to ${epochMsToIsoString(to.timeMs)} (line ${to.line}): ` +
      `its ${hours.toFixed(0)} hours, and the background alerts per hour, count the jump\n`);
  }
  const detection = evaluateEpisodes(episodes, alerts, hours);
  return {
    input: file, detector, events: scores.length, hours: Number(hours.toFixed(2)), episode_events: labels.filter(Boolean).length,
    ...detectionRanking(scores, flags, labels), ...eventMetrics(flags, labels),
    alerts: new Set(alerts.map((a) => a.id)).size, episode_recall: detection.recall, background_alerts: detection.background_alerts,
    background_alerts_per_hour: detection.background_alerts_per_hour, episodes: detection.episodes,
  };
}

function describe(report: Report): string {
  const lines = Object.entries(report)
    .filter(([key]) => key !== "episodes")
    .map(([key, value]) => `${key.padEnd(28)} ${typeof value === "number" && !Number.isInteger(value) ? value.toFixed(4) : String(value)}`);
  for (const e of report.episodes ?? []) {
    lines.push(`  episode ${e.type.padEnd(20)} ${e.start}  ${e.detected ? `alerted after ${e.delay_s?.toFixed(1)} s as ${e.alerted_as}` : "MISSED"}`);
  }
  return `${lines.join("\n")}\n`;
}
