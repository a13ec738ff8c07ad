/**
 * Fuzzing the headless pipeline (parse -> clean -> window features -> pca -> detector -> alerts)
 * with random mutations of valid Cowrie lines: nothing may throw, every line is accounted for
 * (scored, rejected, a duplicate, or malformed), and every score is a number.
 *
 * A fixed budget in `npm test`; `npm run fuzz` runs it longer, and HONEYFLOW_FUZZ_LINES and
 * HONEYFLOW_FUZZ_SEED set the budget and the seed (a failure names the seed to run it again).
 */
import assert from "node:assert/strict";
import { CowrieLogGenerator } from "../../src/datasets/synth/cowrie/cowrie-log-generator";
import { BATCH_LINES, CowrieScoringPipeline, type LogLine } from "../../src/pipeline/cowrie-scoring-pipeline";
import { SeededRandom } from "../../src/stats/seeded-random";
import { IPV6_FORMS } from "../support/hostile-corpus";
import { hostileText } from "../support/hostile-text";

const LINES = Number(process.env.HONEYFLOW_FUZZ_LINES ?? 20_000);
const SEED = process.env.HONEYFLOW_FUZZ_SEED ?? "ci";

const HOSTILE_VALUES: unknown[] = [
  null, true, 0, -0, -1, 1e20, 1e17, 99999, 2 ** 53, -(2 ** 31), 0.5, "", " ", "NaN", "Infinity", "99999999999999999999", "+010000-01-01T00:00:00Z",
  "x.x.x.x", "999.1.1.1", ...IPV6_FORMS, [], [1, 2], {}, { __proto__: null, polluted: true }, { $gt: "" }, "__proto__", "constructor",
];
/** Raw JSON values that JSON.stringify cannot write. */
const RAW_VALUES = ["1e400", "-1e400", "1e-400", "-0.0", "123456789012345678901234567890", `${"[".repeat(2000)}${"]".repeat(2000)}`];

type Mutation = (line: string, random: SeededRandom, other: string) => string;

const setField: Mutation = (line, random) => {
  const event = JSON.parse(line) as Record<string, unknown>;
  const key = random.chance(0.1) ? random.pick(["__proto__", "constructor", "toString", "hasOwnProperty"]) : random.pick(Object.keys(event));
  const value = random.chance(0.4) ? hostileText(random, { longChance: 0.01 }) : random.pick(HOSTILE_VALUES);
  return JSON.stringify({ ...event, [key]: value }).replace('"__proto__":{}', '"__proto__":{"src_ip":"6.6.6.6"}');
};
const MUTATIONS: Mutation[] = [
  setField,
  setField,
  (line, random) => {
    // A raw value JSON.stringify cannot write, in place of a number or string value.
    const values = [...line.matchAll(/:("(?:[^"\\]|\\.)*"|-?\d[\d.eE+-]*)/g)];
    if (values.length === 0) return line;
    const { index, 1: value } = random.pick(values);
    return `${line.slice(0, index + 1)}${random.pick(RAW_VALUES)}${line.slice(index + 1 + value.length)}`;
  },
  (line, random) => {
    const at = random.integer(0, line.length - 1);
    return `${line.slice(0, at)}${String.fromCharCode(random.integer(0, 0xffff))}${line.slice(at + 1)}`;
  },
  (line, random) => line.slice(0, random.integer(0, line.length)),
  (line, random) => {
    const from = random.integer(0, line.length);
    return line.slice(0, from) + line.slice(random.integer(from, line.length));
  },
  (line, random) => {
    const at = random.integer(0, line.length);
    return `${line.slice(0, at)}${hostileText(random)}${line.slice(at)}`;
  },
  (line, _random, other) => `${line}${other}`,
  (line) => line,
];

describe(`fuzz: ${LINES.toLocaleString("en-US")} mutated Cowrie lines through the headless pipeline (seed ${SEED})`, function () {
  this.timeout(Math.max(20_000, LINES * 10));

  it("never throws, accounts for every line and scores every event with a number", () => {
    const random = new SeededRandom(`fuzz/${SEED}`);
    const pipeline = new CowrieScoringPipeline({ warmUp: 200 });
    let previous = "{}";
    let batch: LogLine[] = [];
    let lines = 0;
    let scored = 0;
    const scoreBatch = () => {
      const steps = pipeline.processLines(batch);
      assert.equal(steps.length, batch.length);
      for (const [i, step] of steps.entries()) {
        if (!step.scored) continue;
        scored += 1;
        assert.ok(Number.isFinite(step.scored.detection.score), `line ${batch[i].line}: score ${step.scored.detection.score}`);
        assert.ok(Number.isFinite(step.scored.time_ms), `line ${batch[i].line}: time ${step.scored.time_ms}`);
      }
      batch = [];
    };
    for (const { line } of new CowrieLogGenerator({ events: LINES, seed: `fuzz/${SEED}`, rate: 20 })) {
      const text = random.chance(0.5) ? random.pick(MUTATIONS)(line, random, previous) : line;
      previous = line;
      lines += 1;
      batch.push({ text, line: lines });
      if (batch.length === BATCH_LINES) scoreBatch();
    }
    scoreBatch();
    pipeline.finish();
    const { clean, rejected, duplicates } = pipeline.cleaner.counts;
    assert.equal(clean, scored);
    assert.equal(clean + rejected + duplicates + pipeline.malformedLines, lines, "every line is scored, rejected, a duplicate or malformed");
    assert.ok(clean > lines / 2 && rejected > 0 && pipeline.malformedLines > 0, JSON.stringify({ lines, clean, rejected, duplicates, malformed: pipeline.malformedLines }));
  });
});
