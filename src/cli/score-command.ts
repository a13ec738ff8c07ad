/**
 * `honeyflow score --input COWRIE.json [--out ALERTS.jsonl] [--scores SCORES.jsonl]`: runs the
 * default pipeline over a Cowrie log in event time and writes alerts (and optionally every
 * event's score) as JSON lines. `--enrich` adds each alert's `src_geo` from the bundled offline
 * databases (never a network service), so that a back-test can group alerts by country and network.
 */
import * as fs from "node:fs";
import { parseArgs } from "node:util";
import { CowrieScoringPipeline, DRIFT_ACTIONS, type DriftAction } from "../pipeline/cowrie-scoring-pipeline";
import { epochMsToIsoString } from "../ingest/cowrie-timestamp";
import { listLogFiles } from "../ingest/log-replay";
import { OfflineGeoLookup } from "../enrich/offline-geo-lookup";
import { DETECTOR_OPTIONS, DETECTOR_OPTIONS_USAGE, detectorSettings } from "./detector-options";
import { refuseOutputOverInput } from "./output-over-input";
import { writeOutput } from "./output-write";
import { UsageError } from "./usage-error";

export const USAGE = `usage: honeyflow score --input COWRIE.json [--out ALERTS.jsonl] [--scores SCORES.jsonl] [--detector NAME]

  --input FILE|DIR   Cowrie log(s), rotated and .gz files too, read in time order
  --out FILE         alerts as JSON lines (default: stdout)
  --scores FILE      every event's score as JSON lines {line, time, src_ip, eventid, score, threshold, anomaly,
                     type (an anomaly's attack type), pca_error (after the pca warm-up), drift (on the event where the traffic's regime was
                     seen to change: {detector, position, old_mean, new_mean, value, time, since, summary, ...})}
  --drift-action A   none | reset | retrain | switch: what the detector does on a regime change (default: none)
  --enrich           add src_geo {country, country_name, asn, as_org} to each alert, from the bundled offline databases
${DETECTOR_OPTIONS_USAGE}`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      input: { type: "string", multiple: true },
      out: { type: "string" },
      scores: { type: "string" },
      ...DETECTOR_OPTIONS,
      "drift-action": { type: "string", default: "none" },
      enrich: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const inputs = values.input ?? [];
  if (inputs.length === 0) throw new UsageError("--input is required");
  const settings = detectorSettings(values);
  const driftAction = values["drift-action"] as DriftAction;
  if (!DRIFT_ACTIONS.includes(driftAction)) throw new UsageError(`unknown --drift-action '${driftAction}'`);
  const files = listLogFiles(inputs); // before any output file is opened: a missing log is said, not written as an empty back-test
  refuseOutputOverInput(files, [["--out", values.out], ["--scores", values.scores]]);

  // The reconstruction error is only ever written to --scores.
  const pipeline = new CowrieScoringPipeline({ ...settings, driftAction, pcaError: values.scores !== undefined });
  const geo = values.enrich ? await OfflineGeoLookup.open() : undefined;
  const alertLine = (alert: object & { src_ip: string }) => `${JSON.stringify(geo ? { ...alert, src_geo: geo.lookup(alert.src_ip) ?? null } : alert)}\n`;
  const alertsOut = values.out ? fs.openSync(values.out, "w") : 1;
  const scoresOut = values.scores ? fs.openSync(values.scores, "w") : undefined;
  let alertLines: string[] = [];
  let scoreLines: string[] = [];
  let alertCount = 0;
  const flush = (force = false) => {
    if (alertLines.length > 0 && (force || alertLines.length >= 256)) {
      writeOutput(alertsOut, values.out ?? "stdout", alertLines.join(""));
      alertLines = [];
    }
    if (scoresOut !== undefined && scoreLines.length > 0 && (force || scoreLines.length >= 4096)) {
      writeOutput(scoresOut, values.scores as string, scoreLines.join(""));
      scoreLines = [];
    }
  };
  const started = Date.now();
  // A run that stops early (a rotation truncated in the copy, Ctrl-C) keeps the alerts it found
  // and says that they are not the whole log's: a half-written output must not pass for a back-test.
  const keepWhatWasFound = (why: string) => {
    try {
      flush(true);
    } catch {
      // The output itself failed: the error that stopped the run says so.
    }
    process.stderr.write(`\nhoneyflow score: ${why}: the log was not scored to its end; ${values.out ?? "stdout"} holds the ${alertCount} alerts found before\n`);
  };
  const interrupted = () => {
    keepWhatWasFound("interrupted");
    process.exit(130);
  };
  process.once("SIGINT", interrupted);
  let read: Awaited<ReturnType<typeof pipeline.processLog>>;
  try {
    read = await pipeline.processLog(inputs, ({ scored, alerts }) => {
      for (const alert of alerts) alertLines.push(alertLine(alert));
      alertCount += alerts.length;
      if (scored && scoresOut !== undefined) {
        const d = scored.detection;
        const { line, src_ip, eventid, pca_error, drift } = scored;
        scoreLines.push(`${JSON.stringify({ line, time: epochMsToIsoString(scored.time_ms), src_ip, eventid, score: d.score, threshold: d.threshold, anomaly: d.anomaly, type: d.explanation?.attack_type, pca_error, drift })}\n`);
      }
      flush();
    }, (p) => process.stderr.write(`\rscore ${p.percent.toFixed(1)}% · ${p.lines} lines · ${alertCount} alerts`));
  } catch (err) {
    keepWhatWasFound("stopped by the error below");
    throw err;
  } finally {
    process.removeListener("SIGINT", interrupted);
  }
  for (const alert of pipeline.finish()) alertLines.push(alertLine(alert));
  flush(true);
  if (alertsOut !== 1) fs.closeSync(alertsOut);
  if (scoresOut !== undefined) fs.closeSync(scoresOut);
  const seconds = (Date.now() - started) / 1000;
  const { clean, rejected, duplicates } = pipeline.cleaner.counts;
  // Every line is one of these, so that a line the back-test did not score is never unaccounted for.
  process.stderr.write(`\nscored ${clean} events from ${read.lines} lines: ${rejected} rejected, ${duplicates} duplicates, ` +
    `${pipeline.malformedLines} malformed, ${read.blank} blank in ${seconds.toFixed(1)} s; ${pipeline.scorer.anomalies} anomalies\n`);
  // Lines of which none is an event (Cowrie's text log, a syslog) are no quiet sensor: no alert
  // from them is no all-clear.
  if (clean === 0 && read.lines > read.blank) {
    process.stderr.write(`honeyflow score: none of the ${read.lines - read.blank} lines read is a Cowrie event: is ${inputs.join(", ")} Cowrie's JSON log (cowrie.json), not its text log (cowrie.log)?\n`);
    return 1;
  }
  return 0;
}
