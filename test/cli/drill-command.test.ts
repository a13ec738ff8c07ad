import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { run as drill } from "../../src/cli/drill-command";
import { run as evaluate } from "../../src/cli/eval-command";
import { UsageError } from "../../src/cli/usage-error";
import type { AttackEpisodeLabel } from "../../src/domain/attack-types";
import { LogNotFoundError } from "../../src/ingest/log-replay";
import { builtBackground } from "../datasets/drill/built-background";
import { expectDrilledLog } from "../datasets/drill/drilled-log-expectations";
import { captureCommand as capture } from "../support/command-output";

describe("honeyflow drill", () => {
  let dir: string;
  let real: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "honeyflow-drill-cli-"));
    real = path.join(dir, "cowrie.json");
    fs.writeFileSync(real, builtBackground("telnet-2.0", 900));
  });

  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("drills labelled episodes into the log, lists them, and honeyflow eval reads the labels", async () => {
    const out = path.join(dir, "drill.json");
    const outcome = await capture(drill, "--input", real, "--out", out, "--seed", "4", "--episodes", "6", "--intensity", "low");
    assert.equal(outcome.code, 0, outcome.stderr);
    assert.match(outcome.stdout, /sensor home-telnet, telnet: \d+ real lines, \d+ drilled lines in 6 episodes/);
    assert.equal(outcome.stdout.match(/ low +lines \d+-\d+/g)?.length, 6);
    const labels = JSON.parse(fs.readFileSync(`${out}.labels.json`, "utf8")) as AttackEpisodeLabel[];
    assert.equal(labels.length, 6);
    assert.deepEqual(Object.keys(labels[0]), ["type", "src_ips", "start", "end", "first_line", "last_line"]);
    expectDrilledLog(fs.readFileSync(real, "utf8"), fs.readFileSync(out, "utf8"), labels);

    const report = await capture(evaluate, "--input", out, "--json");
    assert.equal(report.code, 0, report.stderr);
    const episodes = (JSON.parse(report.stdout) as { episodes: { type: string; start: string }[] }).episodes;
    assert.deepEqual(episodes.map((e) => [e.type, e.start]), labels.map((l) => [l.type, l.start]));
  });

  it("takes several inputs, after --input or repeated", async () => {
    const second = path.join(dir, "cowrie.json.2");
    fs.writeFileSync(second, builtBackground("telnet-2.0", 50, "later").replaceAll("2025-06-", "2025-07-"));
    const out = path.join(dir, "both.json");
    const outcome = await capture(drill, "--input", real, second, "--out", out, "--episodes", "2");
    assert.equal(outcome.code, 0, outcome.stderr);
    const labels = JSON.parse(fs.readFileSync(`${out}.labels.json`, "utf8")) as AttackEpisodeLabel[];
    expectDrilledLog(fs.readFileSync(real, "utf8") + fs.readFileSync(second, "utf8"), fs.readFileSync(out, "utf8"), labels);
  });

  it("prints its usage for --help", async () => {
    const outcome = await capture(drill, "--help");
    assert.equal(outcome.code, 0);
    assert.match(outcome.stdout, /^usage: honeyflow drill --input REAL.json... --out DRILL.json/);
    for (const option of ["--seed", "--episodes", "--intensity", "--start", "--every", "--gap", "--types"]) assert.ok(outcome.stdout.includes(option), option);
  });

  it("refuses a malformed command line (a usage error: honeyflow exits 2 with the usage) or a missing log, and writes nothing", async () => {
    const out = path.join(dir, "x.json");
    const cases: [string[], RegExp][] = [
      [["--input", real], /--out FILE is required/],
      [["--out", out], /--input FILE is required/],
      [["--input", real, "--out", out, "--intensity", "extreme"], /--intensity must be one of low, mid, high, mixed/],
      [["--input", real, "--out", out, "--episodes", "0"], /--episodes must be a whole number from 1 to 10000/],
      [["--input", real, "--out", out, "--episodes", "1000000000"], /--episodes must be a whole number from 1 to 10000/],
      [["--input", real, "--out", out, "--every", "often"], /--every must be a positive duration/],
      [["--input", real, "--out", out, "--gap", "soon"], /--gap must be a positive duration/],
      [["--input", real, "--out", out, "--types", "brute-force,phishing"], /--types takes a comma-separated list/],
      [["--input", real, "--out", out, "--start", "soon"], /--start must be an ISO 8601 time/],
    ];
    for (const [args, message] of cases) {
      await assert.rejects(drill(args), (err: Error) => err instanceof UsageError && message.test(err.message), args.join(" "));
    }
    await assert.rejects(drill(["--input", path.join(dir, "absent.json"), "--out", out]), (err: Error) => err instanceof LogNotFoundError && /no such file or directory/.test(err.message));
    assert.ok(!fs.existsSync(out));
    const oneEvent = path.join(dir, "one.json");
    fs.writeFileSync(oneEvent, fs.readFileSync(real, "utf8").split("\n")[0] + "\n");
    const failed = await capture(drill, "--input", oneEvent, "--out", out);
    assert.equal(failed.code, 1);
    assert.match(failed.stderr, /honeyflow drill: the log spans no time \(.*\): give --every\n$/);
    assert.ok(!fs.existsSync(out), "a log that cannot be drilled opens no output");
    await capture(drill, "--input", oneEvent, "--out", out, "--episodes", "2", "--every", "10m");
    assert.equal(JSON.parse(fs.readFileSync(`${out}.labels.json`, "utf8")).length, 2, "with --every it drills");
  });

  // /dev/full takes the open and refuses every write with ENOSPC, as a full disk does.
  (fs.existsSync("/dev/full") ? it : it.skip)("leaves no earlier drill's labels beside a log it could not finish writing", async () => {
    const out = path.join(dir, "drill.json");
    assert.equal((await capture(drill, "--input", real, "--out", out, "--episodes", "2")).code, 0);
    fs.rmSync(out);
    fs.symlinkSync("/dev/full", out);
    const failed = await capture(drill, "--input", real, "--out", out, "--episodes", "2", "--seed", "2");
    assert.equal(failed.code, 1);
    assert.match(failed.stderr, /honeyflow drill: .*ENOSPC/);
    assert.ok(!fs.existsSync(`${out}.labels.json`), "honeyflow eval would take the earlier drill's labels for this log's");
  });

  it("warns when the log's time jumps decades (a sensor clock restarted at 1970): the episodes would be spread over the gap", async () => {
    const lines = fs.readFileSync(real, "utf8").trimEnd().split("\n");
    lines[0] = lines[0].replace(/("timestamp": ?")2025-/, "$11970-");
    assert.match(lines[0], /"timestamp": ?"1970-/);
    const reset = path.join(dir, "clock-reset.json");
    fs.writeFileSync(reset, `${lines.join("\n")}\n`);
    const outcome = await capture(drill, "--input", reset, "--out", path.join(dir, "drill.json"), "--episodes", "2");
    assert.equal(outcome.code, 0, outcome.stderr);
    assert.match(outcome.stderr, /honeyflow drill: warning: the log's time jumps \d+ days between lines 1 and 2 \(a sensor clock reset, or logs months apart\): the episodes are spread over the gap/);
    const plain = await capture(drill, "--input", real, "--out", path.join(dir, "plain.json"), "--episodes", "2");
    assert.ok(!plain.stderr.includes("warning"), plain.stderr);
  });

  it("warns when --start or --every place episodes outside the log's time, where none of its traffic surrounds them", async () => {
    const outcome = await capture(drill, "--input", real, "--out", path.join(dir, "early.json"), "--episodes", "2", "--start", "2020-01-01", "--every", "1d");
    assert.equal(outcome.code, 0, outcome.stderr);
    assert.match(outcome.stderr, /honeyflow drill: warning: 2 of 2 episodes start outside the log's time \(2025-\S+ to 2025-\S+\), with none of its traffic around them\n/);
    const inside = await capture(drill, "--input", real, "--out", path.join(dir, "inside.json"), "--episodes", "2");
    assert.ok(!inside.stderr.includes("warning"), inside.stderr);
  });
});
