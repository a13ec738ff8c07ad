import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { generatedSensorLogForSuite, runHoneyflow as honeyflow } from "../support/honeyflow-cli";
import { requireReferenceData } from "../support/reference-data";
import { ATTACK_TYPES } from "../../src/domain/attack-types";

describe("honeyflow score and honeyflow eval", function () {
  this.timeout(120_000);
  const sensor = generatedSensorLogForSuite("honeyflow-score-", 12_000);

  it("score writes alerts with the documented fields and every event's score", () => {
    const alertsFile = path.join(sensor.dir, "alerts.jsonl");
    const scoresFile = path.join(sensor.dir, "scores.jsonl");
    const result = honeyflow("score", "--input", sensor.log, "--out", alertsFile, "--scores", scoresFile, "--warm-up", "1000");
    assert.equal(result.status, 0, result.stderr);
    type ScoreLine = { line: number; score: number; anomaly: boolean; type?: string; pca_error?: number; drift?: unknown };
    const scores = fs.readFileSync(scoresFile, "utf8").trim().split("\n").map((l) => JSON.parse(l) as ScoreLine);
    assert.equal(scores.length, 12000);
    // An anomalous event names its attack type, as its alert does: typed detection flags events the
    // model scores below the threshold, and the type says which watch did.
    const anomalous = scores.filter((s) => s.anomaly);
    assert.ok(anomalous.length > 0 && anomalous.every((s) => (ATTACK_TYPES as readonly string[]).includes(s.type as string)), JSON.stringify(anomalous.slice(0, 3)));
    assert.ok(scores.every((s) => s.anomaly || s.type === undefined));
    assert.deepEqual(scores.slice(0, 3).map((s) => s.line), [1, 2, 3]);
    // pca reports its reconstruction error once its 100-vector warm-up is over.
    assert.equal(scores[50].pca_error, undefined);
    assert.ok(scores.slice(100).every((s) => typeof s.pca_error === "number" && s.pca_error >= 0));
    // Attack episodes are alerts, not a change of regime: no drift in 40 minutes of one population.
    assert.deepEqual(scores.filter((s) => s.drift), []);
    const alerts = fs.readFileSync(alertsFile, "utf8").trim().split("\n").filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.ok(alerts.length > 0, "a log with injected attacks raises alerts");
    const lines = fs.readFileSync(sensor.log, "utf8").split("\n");
    for (const alert of alerts) {
      for (const field of ["time", "src_ip", "type", "severity", "score", "count", "first_seen", "last_seen", "line"]) assert.ok(field in alert, `${field} in ${JSON.stringify(alert)}`);
      const event = JSON.parse(lines[(alert.line as number) - 1]) as { src_ip: string };
      assert.equal(event.src_ip, alert.src_ip, "line points at the triggering event");
    }
  });

  it("score writes a drift on the event where the traffic's regime was seen to change, saying what changed", () => {
    const log = path.join(sensor.dir, "regimes.json");
    const generated = honeyflow("generate", "--events", "20000", "--rate", "3", "--episodes", "0", "--seed", "5", "--regime-change", "60m", "--out", log);
    assert.equal(generated.status, 0, generated.stderr);
    const scoresFile = path.join(sensor.dir, "regime-scores.jsonl");
    const result = honeyflow("score", "--input", log, "--out", path.join(sensor.dir, "regime-alerts.jsonl"), "--scores", scoresFile);
    assert.equal(result.status, 0, result.stderr);
    type Drift = { detector: string; position: number; old_mean: number; new_mean: number; value: number; time: number; since: number; summary: string };
    const scores = fs.readFileSync(scoresFile, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { line: number; time: string; drift?: Drift });
    const drifts = scores.filter((s) => s.drift);
    assert.equal(drifts.length, 1, JSON.stringify(drifts));
    const [{ line, time, drift }] = drifts as { line: number; time: string; drift: Drift }[];
    const planted = Date.parse("2026-03-18T01:00:00Z");
    assert.ok(Date.parse(time) > planted && Date.parse(time) <= planted + 15 * 60_000, `drift at ${time}`);
    assert.equal(drift.detector, "regime");
    assert.equal(drift.position, line, "every event so far was observed");
    assert.ok(drift.value >= 0.5 && drift.value <= 1 && drift.old_mean !== drift.new_mean);
    assert.ok(Math.abs(drift.since - planted) <= 10 * 60_000, `since ${new Date(drift.since).toISOString()}`);
    assert.match(drift.summary, /SSH-2\.0-Go 0\.\d\d -> 0\.00/);
  });

  it("eval reports event metrics, each episode and the background alert rate", () => {
    const result = honeyflow("eval", "--input", sensor.log, "--json", "--warm-up", "1000");
    assert.equal(result.status, 0, result.stderr);
    const report = JSON.parse(result.stdout) as Record<string, unknown> & { episodes: Array<{ type: string; detected: boolean }> };
    const labels = JSON.parse(fs.readFileSync(`${sensor.log}.labels.json`, "utf8")) as unknown[];
    assert.equal(report.events, 12000);
    assert.equal(report.episodes.length, labels.length);
    for (const key of ["roc_auc", "average_precision", "event_precision", "event_recall", "event_f1", "episode_recall", "background_alerts_per_hour"]) {
      assert.equal(typeof report[key], "number", key);
    }
    // Every event of an episode counts as an anomaly, the harmless-looking ones too (a malware
    // drop's session.connect), so event-level ROC AUC is a signal check, not the goal: that is
    // episodes alerted and few false alerts. This log measures 0.91.
    assert.ok((report.roc_auc as number) > 0.75, `ROC AUC ${report.roc_auc}`);
  });

  it("eval ranks a drilled real log's events by the detection, and reports the score's own ranking beside it", function () {
    // Typed detection flags a brute force's every failed login while the model, having learned the
    // sensor's bots, scores them as ordinary: ranked by the score alone, a drilled AWS log's attack
    // events looked no likelier than its background (ROC AUC 0.50) beside every episode found.
    const real = requireReferenceData(this, "cowrie/sensor-aws-2026-03.json");
    const drilled = path.join(sensor.dir, "drilled-aws.json");
    const drill = honeyflow("drill", "--input", real, "--out", drilled, "--seed", "1");
    assert.equal(drill.status, 0, drill.stderr);
    const result = honeyflow("eval", "--input", drilled, "--json");
    assert.equal(result.status, 0, result.stderr);
    const report = JSON.parse(result.stdout) as Record<string, number>;
    assert.equal(report.episode_recall, 1);
    assert.ok(report.roc_auc > 0.8, `ROC AUC ${report.roc_auc}`);
    for (const key of ["score_roc_auc", "score_average_precision"]) assert.equal(typeof report[key], "number", key);
  });

  describe("on a log with blank lines, a malformed line and no newline at its end", () => {
    let untidy: string;
    let untidyLines: string[];
    before(() => {
      const events = fs.readFileSync(sensor.log, "utf8").split("\n").slice(0, 60);
      untidyLines = [...events.slice(0, 30), "", '{"eventid":"cowrie.login.failed","src_ip":', ...events.slice(30, 40), "\r", ...events.slice(40)];
      untidy = path.join(sensor.dir, "untidy.json");
      fs.writeFileSync(untidy, untidyLines.join("\n"));
      fs.writeFileSync(`${untidy}.labels.json`, "[]\n");
    });

    it("score scores the last line, names each event's own line, and accounts for every line in its summary", () => {
      const scoresFile = path.join(sensor.dir, "untidy-scores.jsonl");
      const result = honeyflow("score", "--input", untidy, "--out", path.join(sensor.dir, "untidy-alerts.jsonl"), "--scores", scoresFile, "--warm-up", "10");
      assert.equal(result.status, 0, result.stderr);
      const scores = fs.readFileSync(scoresFile, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { line: number; src_ip: string; eventid: string; time: string });
      assert.equal(scores.length, 60, "every event, the unterminated last one too");
      for (const score of scores) {
        const event = JSON.parse(untidyLines[score.line - 1]) as { src_ip: string; eventid: string; timestamp: string };
        assert.deepEqual([event.src_ip, event.eventid], [score.src_ip, score.eventid], `line ${score.line}`);
      }
      assert.equal(scores[scores.length - 1].line, 63);
      assert.match(result.stderr, /scored 60 events from 63 lines: 0 rejected, 0 duplicates, 1 malformed, 2 blank/);
    });

    it("eval counts the last line's event", () => {
      const result = honeyflow("eval", "--input", untidy, "--json", "--warm-up", "10");
      assert.equal(result.status, 0, result.stderr);
      assert.equal((JSON.parse(result.stdout) as { events: number }).events, 60);
    });
  });

  it("eval scores a labelled CSV", () => {
    const csv = path.join(sensor.dir, "x.csv");
    fs.writeFileSync(csv, `a,b,label\n${Array.from({ length: 3000 }, (_, i) => (i % 100 === 99 ? `${50 + i % 7},1,1` : `${i % 5},${i % 3},0`)).join("\n")}\n`);
    const result = honeyflow("eval", "--input", csv, "--label", "label", "--json", "--warm-up", "100");
    assert.equal(result.status, 0, result.stderr);
    const report = JSON.parse(result.stdout) as { roc_auc: number; rows: number };
    assert.equal(report.rows, 3000);
    assert.ok(report.roc_auc > 0.95, `ROC AUC ${report.roc_auc}`);
  });

  it("eval scores every column of a CSV, whatever it is called: a CSV's columns are no window features", () => {
    const csv = path.join(sensor.dir, "named.csv");
    // The anomalies show only in columns named as window features the pipeline's model ignores.
    const rows = Array.from({ length: 3000 }, (_, i) => (i % 100 === 99 ? `${50 + i % 7},${40 + i % 3},1,1` : `${i % 5},${i % 3},1,0`));
    fs.writeFileSync(csv, `logins_5m,hour_sin,sessions_1m,label\n${rows.join("\n")}\n`);
    const result = honeyflow("eval", "--input", csv, "--label", "label", "--json", "--warm-up", "100");
    assert.equal(result.status, 0, result.stderr);
    const report = JSON.parse(result.stdout) as { roc_auc: number };
    assert.ok(report.roc_auc > 0.95, `ROC AUC ${report.roc_auc}`);
  });
});
