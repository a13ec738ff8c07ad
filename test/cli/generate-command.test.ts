import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { run } from "../../src/cli/generate-command";
import { ATTACK_TYPES, AttackEpisodeLabel } from "../../src/domain/attack-types";
import { cowrieTimestampToEpochMs } from "../../src/ingest/cowrie-timestamp";
import { captureCommand } from "../support/command-output";

const runFile = promisify(execFile);
const projectRoot = path.resolve(__dirname, "..", "..");

/** Runs the command in this process, collecting what it prints. */
function generate(...args: string[]) {
  return captureCommand(run, ...args);
}

function readLog(file: string): { text: string; events: Record<string, unknown>[]; labels: AttackEpisodeLabel[] } {
  const text = fs.readFileSync(file, "utf8");
  const events = text.split("\n").slice(0, -1).map((line) => JSON.parse(line) as Record<string, unknown>);
  const labels = JSON.parse(fs.readFileSync(`${file}.labels.json`, "utf8")) as AttackEpisodeLabel[];
  return { text, events, labels };
}

function spanSeconds(events: Record<string, unknown>[]): number {
  const first = cowrieTimestampToEpochMs(events[0].timestamp as string) as number;
  const last = cowrieTimestampToEpochMs(events[events.length - 1].timestamp as string) as number;
  return (last - first) / 1000;
}

describe("honeyflow generate", () => {
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "honeyflow-generate-"));
  });

  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("writes exactly N newline-terminated lines and labels that point at the episodes' lines", async () => {
    const file = path.join(dir, "cowrie.json");
    const outcome = await generate("--events", "6000", "--seed", "7", "--out", file);
    assert.equal(outcome.code, 0, outcome.stderr);
    assert.match(outcome.stdout, /wrote 6000 lines .* and 6 episodes/);
    const { text, events, labels } = readLog(file);
    assert.ok(text.endsWith("}\n"));
    assert.equal(events.length, 6000);
    assert.deepEqual(labels.map((l) => l.type).sort(), [...ATTACK_TYPES].sort());
    for (const label of labels) {
      assert.deepEqual(Object.keys(label), ["type", "src_ips", "start", "end", "first_line", "last_line"]);
      const addresses = new Set(label.src_ips);
      assert.ok(addresses.has(events[label.first_line - 1].src_ip as string));
      assert.ok(addresses.has(events[label.last_line - 1].src_ip as string));
      assert.equal(events[label.first_line - 1].timestamp, label.start);
      assert.equal(events[label.last_line - 1].timestamp, label.end);
      // Every line from the episode's addresses lies inside its range.
      events.forEach((event, i) => {
        if (addresses.has(event.src_ip as string)) assert.ok(i + 1 >= label.first_line && i + 1 <= label.last_line, `line ${i + 1}`);
      });
    }
  });

  it("writes background alone with --episodes 0", async () => {
    const file = path.join(dir, "quiet.json");
    const outcome = await generate("--events", "6000", "--seed", "7", "--episodes", "0", "--out", file);
    assert.equal(outcome.code, 0, outcome.stderr);
    assert.match(outcome.stdout, /wrote 6000 lines .* and 0 episodes/);
    assert.deepEqual(readLog(file).labels, []);
  });

  it("plants regime changes at --regime-change times (or durations after --start) and every --regime-every, listed in FILE.regimes.json", async () => {
    const file = path.join(dir, "regimes.json");
    const outcome = await generate("--events", "20000", "--rate", "3", "--episodes", "0", "--start", "2026-03-18",
      "--regime-change", "2026-03-18T00:40:00Z", "--regime-change", "80m", "--out", file);
    assert.equal(outcome.code, 0, outcome.stderr);
    assert.match(outcome.stdout, /and 2 regime changes to .*regimes\.json/);
    const regimes = JSON.parse(fs.readFileSync(`${file}.regimes.json`, "utf8")) as { at: string; from: string; to: string; first_line: number }[];
    assert.deepEqual(regimes.map((r) => r.at), ["2026-03-18T00:40:00.000000Z", "2026-03-18T01:20:00.000000Z"]);
    for (const regime of regimes) {
      assert.deepEqual(Object.keys(regime), ["at", "from", "to", "first_line"]);
      assert.equal(readLog(file).events[regime.first_line - 1].timestamp, regime.at);
    }
    assert.deepEqual(readLog(file).labels, [], "the attack labels keep their own file and format");

    const every = path.join(dir, "every.json");
    assert.equal((await generate("--events", "20000", "--rate", "3", "--episodes", "0", "--regime-every", "30m", "--out", every)).code, 0);
    const planted = JSON.parse(fs.readFileSync(`${every}.regimes.json`, "utf8")) as { at: string }[];
    assert.deepEqual(planted.slice(0, 3).map((r) => r.at.slice(11, 19)), ["00:30:00", "01:00:00", "01:30:00"]);
  });

  it("writes no regimes file without regime changes", async () => {
    const file = path.join(dir, "plain.json");
    assert.equal((await generate("--events", "1000", "--out", file)).code, 0);
    assert.deepEqual(fs.readdirSync(dir).sort(), ["plain.json", "plain.json.labels.json"]);
  });

  it("writes the same bytes for the same seed and different bytes for another", async () => {
    const files = ["a.json", "b.json", "c.json"].map((name) => path.join(dir, name));
    for (const [file, seed] of [[files[0], "s"], [files[1], "s"], [files[2], "t"]]) {
      assert.equal((await generate("--events", "3000", "--seed", seed, "--out", file)).code, 0);
    }
    assert.ok(fs.readFileSync(files[0]).equals(fs.readFileSync(files[1])));
    assert.ok(fs.readFileSync(`${files[0]}.labels.json`).equals(fs.readFileSync(`${files[1]}.labels.json`)));
    assert.ok(!fs.readFileSync(files[0]).equals(fs.readFileSync(files[2])));
  });

  it("starts the log at --start and spreads it over time according to --rate", async () => {
    const fast = path.join(dir, "fast.json");
    const slow = path.join(dir, "slow.json");
    assert.equal((await generate("--events", "2000", "--start", "2025-01-02T03:04:05Z", "--rate", "2", "--out", fast)).code, 0);
    assert.equal((await generate("--events", "2000", "--start", "2025-01-02", "--rate", "0.02", "--out", slow)).code, 0);
    const fastEvents = readLog(fast).events;
    assert.equal(fastEvents[0].timestamp, "2025-01-02T03:04:05.000000Z");
    assert.equal(readLog(slow).events[0].timestamp, "2025-01-02T00:00:00.000000Z");
    // A hundred times the rate: the same number of lines over about a hundredth of the time.
    const ratio = spanSeconds(readLog(slow).events) / spanSeconds(fastEvents);
    assert.ok(ratio > 30 && ratio < 300, `span ratio ${ratio}`);
  });

  it("refuses to write a log that would run past 9999-12-31, which no Cowrie timestamp can say", async () => {
    // Written as +010000-... they were lines every reader rejects, after an exit code of 0.
    const out = path.join(dir, "late.json");
    const outcome = await generate("--events", "100", "--start", "9999-12-31T23:59:00Z", "--rate", "0.5", "--out", out);
    assert.equal(outcome.code, 1, outcome.stderr);
    assert.match(outcome.stderr, /past 9999-12-31/);
    assert.equal(fs.existsSync(out), false, "no half-written log left behind");
  });

  it("prints its usage for --help", async () => {
    const outcome = await generate("--help");
    assert.equal(outcome.code, 0);
    assert.match(outcome.stdout, /^usage: honeyflow generate --out FILE/);
    for (const option of ["--events", "--seed", "--start", "--rate"]) assert.ok(outcome.stdout.includes(option));
    assert.equal(outcome.stderr, "");
  });

  it("without --out, says so with the usage on stderr, exits 2 and writes nothing", async () => {
    const outcome = await generate("--events", "10", "--seed", "1");
    assert.equal(outcome.code, 2);
    assert.match(outcome.stderr, /--out FILE is required/);
    assert.match(outcome.stderr, /usage: honeyflow generate/);
    assert.equal(outcome.stdout, "");
    assert.deepEqual(fs.readdirSync(dir), []);
  });

  it("exits 2 on malformed options, naming the problem", async () => {
    const file = path.join(dir, "x.json");
    const cases: [string[], RegExp][] = [
      [["--events", "ten"], /--events must be a whole number/],
      [["--events", "-5"], /--events/],
      [["--rate", "0"], /--rate must be a positive number/],
      [["--rate", "fast"], /--rate must be a positive number/],
      [["--episodes", "some"], /--episodes must be a whole number/],
      [["--start", "yesterday"], /--start must be an ISO 8601 time/],
      [["--regime-change", "later"], /--regime-change must be an ISO 8601 time or a duration/],
      [["--regime-every", "0m"], /--regime-every must be a positive duration/],
      [["--bogus"], /bogus/],
      [["extra"], /extra/],
    ];
    for (const [args, message] of cases) {
      const outcome = await generate(...args, "--out", file);
      assert.equal(outcome.code, 2, args.join(" "));
      assert.match(outcome.stderr, message);
    }
    assert.ok(!fs.existsSync(file));
  });

  it("exits 1 with the reason when the file cannot be written", async () => {
    const outcome = await generate("--events", "100", "--out", path.join(dir, "missing", "cowrie.json"));
    assert.equal(outcome.code, 1);
    assert.match(outcome.stderr, /ENOENT/);
  });

  it("runs through the honeyflow command, reporting on stdout and never mixing it into the log", async () => {
    const file = path.join(dir, "cowrie.json");
    const { stdout } = await runFile(
      process.execPath,
      ["-r", "ts-node/register/transpile-only", path.join("src", "cli", "honeyflow.ts"), "generate", "--events", "500", "--seed", "3", "--out", file],
      { cwd: projectRoot },
    );
    assert.match(stdout, /^wrote 500 lines/);
    assert.equal(readLog(file).events.length, 500);
  });
});
