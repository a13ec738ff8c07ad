import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { run as scoreCommand } from "../../src/cli/score-command";
import { captureCommand as capture } from "../support/command-output";
import { hostileCorpus, tallyKinds, type HostileCorpus } from "../support/hostile-corpus";
import { runHoneyflowWithin } from "../support/honeyflow-cli";

/** A run that takes longer is a hang: the corpus scores in a few seconds. */
const BOUND_MS = 60_000;
const SUMMARY = /scored (\d+) events from (\d+) lines: (\d+) rejected, (\d+) duplicates, (\d+) malformed, (\d+) blank/;

interface ScoreLine { line: number; [field: string]: unknown }

function score(dir: string, name: string, text: string) {
  const log = path.join(dir, `${name}.json`);
  const scores = path.join(dir, `${name}.scores.jsonl`);
  const alerts = path.join(dir, `${name}.alerts.jsonl`);
  fs.writeFileSync(log, text);
  // A short warm-up, so that the detector scores and alerts within the corpus.
  const run = runHoneyflowWithin(BOUND_MS, "score", "--input", log, "--out", alerts, "--scores", scores, "--warm-up", "500");
  assert.equal(run.signal, null, `honeyflow score was still running after ${BOUND_MS} ms`);
  assert.equal(run.status, 0, run.stderr.slice(-3000));
  const summary = SUMMARY.exec(run.stderr);
  assert.ok(summary, `no summary line in: ${run.stderr.slice(-500)}`);
  const [scored, lines, rejected, duplicates, malformed, blank] = summary.slice(1).map(Number);
  const readJsonLines = (file: string) => fs.readFileSync(file, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as ScoreLine);
  return { counts: { scored, lines, rejected, duplicates, malformed, blank }, scores: readJsonLines(scores), alerts: readJsonLines(alerts) };
}

const withoutLine = ({ line: _line, ...rest }: ScoreLine) => rest;

describe("honeyflow score over the hostile corpus", function () {
  this.timeout(2 * BOUND_MS + 30_000);
  let dir: string;
  let corpus: HostileCorpus;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "honeyflow-hostile-score-"));
    corpus = hostileCorpus({ seed: "ci", validLines: 3000 });
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("accounts for every line in its summary, scores exactly the events, and scores them as it scores the events alone", () => {
    const hostile = score(dir, "hostile", corpus.text);
    const kinds = tallyKinds(corpus.lines);
    assert.deepEqual(hostile.counts, {
      scored: kinds.event, lines: corpus.lines.length, rejected: kinds.rejected, duplicates: 0, malformed: kinds.malformed, blank: kinds.blank,
    });
    const eventLines = corpus.lines.flatMap((line, i) => (line.kind === "event" ? [i + 1] : []));
    assert.deepEqual(hostile.scores.map((s) => s.line), eventLines, "the scored lines are the events' lines, the last one (no newline) too");

    const alone = score(dir, "alone", corpus.eventsAlone);
    assert.equal(alone.counts.scored, kinds.event);
    assert.ok(alone.alerts.length > 0, "the corpus's generated attacks raise alerts");
    assert.deepEqual(hostile.scores.map(withoutLine), alone.scores.map(withoutLine), "the junk changed what an event scores");
    assert.deepEqual(hostile.alerts.map(withoutLine), alone.alerts.map(withoutLine), "the junk changed the alerts");
    for (const alert of hostile.alerts) assert.equal(eventLines[alone.alerts.find((a) => a.id === alert.id)!.line - 1], alert.line, "an alert names its event's line");
  });
});

describe("honeyflow score on a log of which no line is a Cowrie event", () => {
  it("says so and exits 1, rather than pass Cowrie's text log for a quiet sensor", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "honeyflow-text-log-"));
    try {
      const textLog = path.join(dir, "cowrie.log");
      fs.writeFileSync(textLog, [
        "2026-03-18T10:26:59.715732Z [cowrie.ssh.factory.CowrieSSHFactory] New connection: 176.83.10.132:29733 (172.31.31.222:2222) [session: 96c551fefaa2]",
        "2026-03-18T10:27:00.120519Z [HoneyPotSSHTransport,0,176.83.10.132] login attempt [b'root'/b'123456'] failed",
        "",
      ].join("\n"));
      const outcome = await capture(scoreCommand, "--input", textLog, "--out", path.join(dir, "alerts.jsonl"));
      assert.equal(outcome.code, 1, outcome.stderr);
      assert.match(outcome.stderr, /scored 0 events from 2 lines: 0 rejected, 0 duplicates, 2 malformed, 0 blank/);
      assert.ok(outcome.stderr.endsWith(`honeyflow score: none of the 2 lines read is a Cowrie event: is ${textLog} Cowrie's JSON log (cowrie.json), not its text log (cowrie.log)?\n`), outcome.stderr);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("scores an empty log as a quiet sensor: nothing was read that is not an event", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "honeyflow-empty-log-"));
    try {
      const empty = path.join(dir, "cowrie.json");
      fs.writeFileSync(empty, "\n");
      const outcome = await capture(scoreCommand, "--input", empty, "--out", path.join(dir, "alerts.jsonl"));
      assert.equal(outcome.code, 0, outcome.stderr);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
