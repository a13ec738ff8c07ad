import assert from "node:assert/strict";
import { CowrieLogGenerator } from "../../src/datasets/synth/cowrie/cowrie-log-generator";
import { CowrieScoringPipeline, type LogLine } from "../../src/pipeline/cowrie-scoring-pipeline";

/** A generated log with attacks and a regime change in it, and lines clean must turn away: malformed, not an object, a duplicate. */
function logLines(events: number): LogLine[] {
  const regimeChangesAt = [CowrieLogGenerator.DEFAULT_START_MS + 35 * 60_000];
  const texts = Array.from(new CowrieLogGenerator({ events, seed: "scoring-pipeline", rate: 5, regimeChangesAt }), ({ line }) => line);
  texts.splice(100, 0, '{"eventid":', "[1, 2, 3]", texts[99]);
  return texts.map((text, i) => ({ text, line: i + 1 }));
}

describe("CowrieScoringPipeline", () => {
  it("scores lines in batches exactly as it scores them one by one: the same scores, pca errors, drifts and alerts", () => {
    const lines = logLines(16_000);
    const options = { warmUp: 300 };
    const oneByOne = new CowrieScoringPipeline(options);
    const expected = lines.map(({ text, line }) => oneByOne.process(text, line));
    const batched = new CowrieScoringPipeline(options);
    const steps = [];
    // Uneven batch sizes, down to one line, so that no stage can lean on where a batch ends.
    for (let first = 0, size = 1; first < lines.length; first += size, size = (size * 7) % 500 + 1) {
      steps.push(...batched.processLines(lines.slice(first, first + size)));
    }
    assert.equal(steps.length, lines.length);
    assert.deepEqual(steps, expected);
    assert.deepEqual(batched.finish(), oneByOne.finish());

    const scored = expected.filter((step) => step.scored);
    assert.equal(scored.length, lines.length - 3, "all but the three bad lines scored");
    assert.ok(scored.some((step) => step.scored?.pca_error !== undefined), "pca errors compared");
    assert.ok(expected.some((step) => step.alerts.length > 0), "alerts compared");
    assert.ok(scored.some((step) => step.scored?.drift !== undefined), "drifts compared");
  });

  it("keeps one sensor's incident open while another sensor, its clock half an hour ahead, logs in between", () => {
    const pipeline = new CowrieScoringPipeline({ warmUp: 20 });
    const start = Date.UTC(2026, 2, 18, 10);
    const line = (sensor: string, ms: number, src_ip: string, eventid: string, extra: object = {}) =>
      JSON.stringify({ eventid, sensor, src_ip, session: `${src_ip}-s`, timestamp: new Date(ms).toISOString(), ...extra });
    const texts: string[] = [];
    for (let s = 0; s < 780; s++) {
      // Ten minutes of scanners trying one password each, then a brute force of a login a second.
      if (s < 600) texts.push(line("a", start + s * 1000, `192.0.2.${s % 250}`, "cowrie.login.failed", { username: "root", password: "root" }));
      else texts.push(line("a", start + s * 1000, "203.0.113.7", "cowrie.login.failed", { username: "root", password: `pw${s}` }));
      texts.push(line("ahead", start + 1_800_000 + s * 1000 + 500, `198.51.100.${s % 200}`, "cowrie.session.connect", { src_port: 1, dst_ip: "10.0.0.2", dst_port: 22 }));
    }
    const alerts = pipeline.processLines(texts.map((text, i) => ({ text, line: i + 1 }))).flatMap((step) => step.alerts);
    const bruteForce = alerts.filter((alert) => alert.src_ip === "203.0.113.7");
    assert.ok(bruteForce.length > 0, "the brute force is alerted");
    assert.equal(new Set(bruteForce.map((alert) => alert.id)).size, 1, "as one incident, not one per event of the other sensor");
  });

  it("alerts on the rest of a log as it would without one event stamped 1970 ahead of it (a sensor that booted before NTP set its clock)", () => {
    const texts = Array.from(new CowrieLogGenerator({ events: 12_000, seed: "clock-restart", rate: 0.05 }), ({ line }) => line);
    const stray = JSON.stringify({ ...JSON.parse(texts[0]), timestamp: "1970-01-01T00:00:05.000000Z" });
    const alertsOf = (lines: string[]) => {
      const pipeline = new CowrieScoringPipeline({ pcaError: false });
      const alerts = lines.flatMap((text, i) => pipeline.process(text, i + 1).alerts);
      return [...alerts, ...pipeline.finish()].map(({ type, src_ip, first_seen, count }) => ({ type, src_ip, first_seen, count }));
    };
    const clean = alertsOf(texts);
    assert.ok(clean.length > 0, "alerts compared");
    assert.deepEqual(alertsOf([stray, ...texts]), clean);
  });

  it("gives a line clean turns away a step with no score, and goes on", () => {
    const pipeline = new CowrieScoringPipeline();
    const [good] = logLines(200);
    const steps = pipeline.processLines([
      { text: "not json", line: 1 },
      { text: '{"eventid":"cowrie.login.failed","src_ip":"203.0.113.7"}', line: 2 },
      { text: good.text, line: 3 },
      { text: good.text, line: 4 },
    ]);
    assert.deepEqual(steps.map((step) => step.scored?.line), [undefined, undefined, 3, undefined]);
    assert.deepEqual(steps.map((step) => step.alerts), [[], [], [], []]);
    assert.equal(pipeline.cleaner.counts.rejected, 1, "no timestamp");
    assert.equal(pipeline.cleaner.counts.duplicates, 1);
  });
});
