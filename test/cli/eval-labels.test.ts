import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { run as evaluate } from "../../src/cli/eval-command";
import { builtBackground } from "../datasets/drill/built-background";
import { captureCommand as capture } from "../support/command-output";
import { runHoneyflowWithin } from "../support/honeyflow-cli";

describe("honeyflow eval with a labels file that is not a list of episodes", () => {
  let dir: string;
  let log: string;
  let labels: string;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "honeyflow-eval-labels-"));
    log = path.join(dir, "cowrie.json");
    labels = `${log}.labels.json`;
    fs.writeFileSync(log, builtBackground("telnet-2.0", 50));
  });

  after(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const episode = { type: "brute-force", src_ips: ["203.0.113.9"], start: "2025-06-01T10:00:00.000000Z", end: "2025-06-01T10:05:00.000000Z", first_line: 3, last_line: 9 };
  const cases: Array<[string, string, RegExp]> = [
    ["empty", "", /not JSON/],
    ["truncated JSON", '[{"type":', /not JSON/],
    ["an object", '{"type":"brute-force"}', /not a JSON array/],
    ["a list of numbers", "[1, 2]", /episode 1: not an object/],
    ["an episode of unknown type", JSON.stringify([{ ...episode, type: "nuke" }]), /episode 1: type/],
    ["an episode without sources", JSON.stringify([{ ...episode, src_ips: undefined }]), /episode 1: src_ips/],
    ["an unreadable start", JSON.stringify([episode, { ...episode, start: "yesterday" }]), /episode 2: start/],
    ["a start after its end", JSON.stringify([{ ...episode, start: episode.end, end: episode.start }]), /episode 1: start .* after its end/],
    ["lines the wrong way round", JSON.stringify([{ ...episode, first_line: 9, last_line: 3 }]), /episode 1: first_line/],
    // Counted twice, it would be found or missed twice and move the recall (a hand-merged file).
    ["an episode listed twice", JSON.stringify([episode, { ...episode, type: "port-scan/tunnel" }, { ...episode }]), /episode 3: repeats episode 1/],
  ];
  for (const [what, text, message] of cases) {
    it(`says so for ${what}, naming the file, and exits 2`, async () => {
      fs.writeFileSync(labels, text);
      const outcome = await capture(evaluate, "--input", log);
      assert.equal(outcome.code, 2);
      assert.ok(outcome.stderr.startsWith(`honeyflow eval: ${labels}: `), outcome.stderr);
      assert.match(outcome.stderr, message);
      assert.equal(outcome.stderr.trim().split("\n").length, 1, outcome.stderr);
      assert.equal(outcome.stdout, "");
    });
  }

  it("says the labels are not the log's when an episode ends past its last line, rather than report it missed", async () => {
    const lines = fs.readFileSync(log, "utf8").trimEnd().split("\n").length;
    fs.writeFileSync(labels, JSON.stringify([episode, { ...episode, first_line: lines - 5, last_line: lines + 1 }]));
    const outcome = await capture(evaluate, "--input", log);
    assert.equal(outcome.code, 2);
    assert.equal(outcome.stderr, `honeyflow eval: ${labels}: episode 2 ends at line ${lines + 1}, past the last of ${log}'s ${lines} lines: these are not its labels\n`);
    assert.equal(outcome.stdout, "");
  });

  it("says the labels are not the log's when an episode's lines hold no event from its sources (another drill's labels), rather than report it missed", async () => {
    const events = fs.readFileSync(log, "utf8").trimEnd().split("\n").map((line) => JSON.parse(line) as { src_ip?: string });
    const own = { ...episode, src_ips: [events[4].src_ip as string], first_line: 5, last_line: 5 };
    fs.writeFileSync(labels, JSON.stringify([own, { ...episode, first_line: 10, last_line: 20 }]));
    const outcome = await capture(evaluate, "--input", log);
    assert.equal(outcome.code, 2, outcome.stdout);
    assert.equal(outcome.stderr, `honeyflow eval: ${labels}: episode 2 (brute-force, lines 10-20) has no event of ${log} from its sources 203.0.113.9: these are not its labels\n`);
    assert.equal(outcome.stdout, "");
  });

  it("warns when the log's time jumps decades (a sensor clock restarted at 1970): its hours and alerts per hour count the jump", async () => {
    const lines = fs.readFileSync(log, "utf8").trimEnd().split("\n");
    assert.match(lines[9], /"timestamp": ?"2025-/);
    lines[9] = lines[9].replace(/("timestamp": ?")2025-/, "$11970-");
    const reset = path.join(dir, "clock-reset.json");
    fs.writeFileSync(reset, `${lines.join("\n")}\n`);
    fs.writeFileSync(`${reset}.labels.json`, "[]");
    const outcome = await capture(evaluate, "--input", reset, "--json");
    assert.equal(outcome.code, 0, outcome.stderr);
    const hours = (JSON.parse(outcome.stdout) as { hours: number }).hours;
    assert.ok(hours > 24 * 365 * 50, String(hours));
    // The jump back and the jump forward again are as long: either is named.
    const jump = String.raw`(from \S+ \(line 9\) to 1970-\S+ \(line 10\)|from 1970-\S+ \(line 10\) to \S+ \(line 11\))`;
    assert.match(outcome.stderr, new RegExp(`^honeyflow eval: warning: ${reset}'s time jumps ${jump}: its ${Math.round(hours)} hours, and the background alerts per hour, count the jump\n$`));
  });

  it("reports an empty log as no hours and no background rate, not a span from Infinity", async () => {
    const empty = path.join(dir, "empty.json");
    fs.writeFileSync(empty, "");
    fs.writeFileSync(`${empty}.labels.json`, "[]");
    const outcome = await capture(evaluate, "--input", empty, "--json");
    assert.equal(outcome.code, 0, outcome.stderr);
    const report = JSON.parse(outcome.stdout) as Record<string, unknown>;
    assert.equal(report.events, 0);
    assert.equal(report.hours, 0);
    assert.equal(report.background_alerts, 0);
  });
});

describe("honeyflow eval with a CSV holding a cell that is not a number", () => {
  let dir: string;
  let csv: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "honeyflow-eval-csv-"));
    csv = path.join(dir, "x.csv");
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("says which row and column, exits 1 and does not hang", function () {
    this.timeout(15_000);
    fs.writeFileSync(csv, "a,b,label\r\n1,2,0\r\nx,3,1\r\n");
    const result = runHoneyflowWithin(8_000, "eval", "--input", csv, "--label", "label");
    assert.equal(result.signal, null, "killed: hung");
    assert.equal(result.status, 1);
    assert.equal(result.stderr, `honeyflow eval: ${csv}: row 2, column 'a': not a number: 'x'\n`);
  });

  it("refuses a row with a cell too few or too many: every column after it would shift", async () => {
    for (const [row, cells] of [["3,1", 2], ["3,4,1,7", 4]] as const) {
      fs.writeFileSync(csv, `a,b,label\n1,2,0\n\n${row}\n`);
      const outcome = await capture(evaluate, "--input", csv, "--label", "label");
      assert.equal(outcome.code, 1, row);
      assert.equal(outcome.stderr, `honeyflow eval: ${csv}: row 2 has ${cells} cells, the header 3\n`);
    }
  });

  it("takes an empty or overflowing cell for not a number too", async () => {
    for (const bad of ["", "1e999"]) {
      fs.writeFileSync(csv, `a,b,label\n1,2,0\n3,${bad},1\n`);
      const outcome = await capture(evaluate, "--input", csv, "--label", "label");
      assert.equal(outcome.code, 1);
      assert.equal(outcome.stderr, `honeyflow eval: ${csv}: row 2, column 'b': not a number: '${bad}'\n`);
    }
  });

  it("says a --label column the header lacks as score-csv does: a command line that names no column, exit 2", async () => {
    fs.writeFileSync(csv, "a,b,label\n1,2,0\n");
    const outcome = await capture(evaluate, "--input", csv, "--label", "lable");
    assert.equal(outcome.code, 2);
    assert.equal(outcome.stderr, `honeyflow eval: ${csv}: no column 'lable' in the header\n`);
  });

  it("refuses a label that is neither 0 nor 1 rather than count it as an anomaly: -1 marks the outliers in sklearn's convention, its normal rows 1", async () => {
    for (const bad of ["-1", "2", "0.5"]) {
      fs.writeFileSync(csv, `a,b,label\n1,2,0\n3,4,${bad}\n`);
      const outcome = await capture(evaluate, "--input", csv, "--label", "label");
      assert.equal(outcome.code, 1, bad);
      assert.equal(outcome.stderr, `honeyflow eval: ${csv}: row 2, column 'label': a label is 0 or 1 (1 = anomaly), not '${bad}'\n`);
    }
  });
});
