/**
 * `honeyflow score --input COWRIE.json [--out ALERTS.jsonl] [--scores SCORES.jsonl]`: runs the
 * default pipeline over a Cowrie log in event time and writes alerts (and optionally every
 * event's score) as JSON lines.
 */
import * as fs from "node:fs";
import { parseArgs } from "node:util";
import { CowrieScoringPipeline, DRIFT_ACTIONS, type DriftAction } from "../pipeline/cowrie-scoring-pipeline";
import { epochMsToIsoString } from "../ingest/cowrie-timestamp";
import { DETECTOR_NAMES, isDetectorName } from "../anomaly/detector-catalogue";

const HELP = `usage: honeyflow score --input COWRIE.json [--out ALERTS.jsonl] [--scores SCORES.jsonl] [--detector NAME]

  --input FILE|DIR   Cowrie log(s), rotated and .gz files too, read in time order
  --out FILE         alerts as JSON lines (default: stdout)
  --scores FILE      every event's score as JSON lines {line, time, src_ip, eventid, score, threshold, anomaly,
                     pca_error (after the pca warm-up), drift (on the event where ADWIN saw the score change)}
  --drift-action A   none | reset | retrain | switch: what the detector does on drift (default: none)
  --detector NAME    ${DETECTOR_NAMES.join(" | ")} (default: default)
  --quantile Q       adaptive threshold quantile (default 0.995)
  --warm-up N        events before anything is called anomalous (default 2000)
`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      input: { type: "string", multiple: true },
      out: { type: "string" },
      scores: { type: "string" },
      detector: { type: "string", default: "default" },
      quantile: { type: "string", default: "0.995" },
      "warm-up": { type: "string", default: "2000" },
      "drift-action": { type: "string", default: "none" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const detector = values.detector ?? "default";
  const quantile = Number(values.quantile);
  const warmUp = Number(values["warm-up"]);
  const inputs = values.input ?? [];
  const driftAction = values["drift-action"] as DriftAction;
  const driftActionKnown = DRIFT_ACTIONS.includes(driftAction);
  if (inputs.length === 0 || !isDetectorName(detector) || !(quantile > 0 && quantile < 1) || !(warmUp >= 0) || !driftActionKnown) {
    const why = inputs.length === 0 ? "--input is required" : !isDetectorName(detector) ? `unknown detector '${detector}'`
      : !driftActionKnown ? `unknown --drift-action '${driftAction}'` : "bad --quantile or --warm-up";
    process.stderr.write(`honeyflow score: ${why}\n\n${HELP}`);
    return 2;
  }
  const missing = inputs.find((f) => !fs.existsSync(f));
  if (missing) {
    process.stderr.write(`honeyflow score: no such file or directory: ${missing}\n`);
    return 2;
  }

  // The reconstruction error is only ever written to --scores.
  const pipeline = new CowrieScoringPipeline({ detector, quantile, warmUp, driftAction, pcaError: values.scores !== undefined });
  const alertsOut = values.out ? fs.openSync(values.out, "w") : 1;
  const scoresOut = values.scores ? fs.openSync(values.scores, "w") : undefined;
  let alertLines: string[] = [];
  let scoreLines: string[] = [];
  let alertCount = 0;
  const flush = (force = false) => {
    if (alertLines.length > 0 && (force || alertLines.length >= 256)) {
      fs.writeSync(alertsOut, alertLines.join(""));
      alertLines = [];
    }
    if (scoresOut !== undefined && scoreLines.length > 0 && (force || scoreLines.length >= 4096)) {
      fs.writeSync(scoresOut, scoreLines.join(""));
      scoreLines = [];
    }
  };
  const started = Date.now();
  const lineCount = await pipeline.processLog(inputs, ({ scored, alerts }) => {
    for (const alert of alerts) alertLines.push(`${JSON.stringify(alert)}\n`);
    alertCount += alerts.length;
    if (scored && scoresOut !== undefined) {
      const d = scored.detection;
      const { line, src_ip, eventid, pca_error, drift } = scored;
      scoreLines.push(`${JSON.stringify({ line, time: epochMsToIsoString(scored.time_ms), src_ip, eventid, score: d.score, threshold: d.threshold, anomaly: d.anomaly, pca_error, drift })}\n`);
    }
    flush();
  }, (p) => process.stderr.write(`\rscore ${p.percent.toFixed(1)}% · ${p.records} lines · ${alertCount} alerts`));
  for (const alert of pipeline.finish()) alertLines.push(`${JSON.stringify(alert)}\n`);
  flush(true);
  if (alertsOut !== 1) fs.closeSync(alertsOut);
  if (scoresOut !== undefined) fs.closeSync(scoresOut);
  const seconds = (Date.now() - started) / 1000;
  const { clean, rejected, duplicates } = pipeline.cleaner.counts;
  process.stderr.write(`\nscored ${clean} events (${rejected} rejected, ${duplicates} duplicates) from ${lineCount} lines in ${seconds.toFixed(1)} s; ${pipeline.scorer.anomalies} anomalies\n`);
  return 0;
}
