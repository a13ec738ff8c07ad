import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as zlib from "node:zlib";
import { RotatingLogWriter } from "../support/rotating-log-writer";
import { runHoneyflow as honeyflow } from "../support/honeyflow-cli";
import { cowrieTimestampToEpochMs, epochMsToCowrieTimestamp } from "../../src/ingest/cowrie-timestamp";


describe("honeyflow replay", function () {
  this.timeout(30_000);
  let dir: string;
  let logs: string;
  let expected: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "honeyflow-replay-cli-"));
    logs = path.join(dir, "logs");
    fs.mkdirSync(logs);
    // Three rotated generations, named by two schemes and one gzipped: time order is not name order.
    const writer = new RotatingLogWriter(path.join(logs, "cowrie.json"), 10);
    writer.append(4);
    const oldest = writer.renameRotation();
    fs.writeFileSync(`${oldest}.gz`, zlib.gzipSync(fs.readFileSync(oldest)));
    fs.rmSync(oldest);
    writer.append(4);
    fs.renameSync(path.join(logs, "cowrie.json"), path.join(logs, "cowrie.json.1"));
    writer.append(4);
    expected = Array.from({ length: 12 }, (_, seq) => writer.line(seq)).join("");
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("appends a directory of rotated logs to a file in time order, byte for byte", () => {
    const out = path.join(dir, "live.json");
    fs.writeFileSync(out, "");
    const result = honeyflow("replay", "--input", logs, "--speed", "max", "--out", out);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(fs.readFileSync(out, "utf8"), expected);
    assert.match(result.stderr, /replayed 12 lines from 3 file\(s\)/);
  });

  it("writes to stdout when no --out is given", () => {
    const result = honeyflow("replay", "--input", path.join(logs, "cowrie.json.1"), path.join(logs, "cowrie.json"), "--speed", "0");
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout, expected.split("\n").slice(4).join("\n"));
  });

  it("skips and counts lines over the size limit", () => {
    fs.appendFileSync(path.join(logs, "cowrie.json"), `{"eventid":"cowrie.command.input","input":"${"A".repeat(5000)}"}\n`);
    const result = honeyflow("replay", "--input", logs, "--speed", "max", "--max-line-bytes", "4096");
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout, expected);
    assert.match(result.stderr, /skipped 1 line\(s\) over 4096 bytes/);
  });

  it("writes each file's last line when it has no newline, on a line of its own", () => {
    for (const name of ["cowrie.json.1", "cowrie.json"]) {
      const file = path.join(logs, name);
      fs.writeFileSync(file, fs.readFileSync(file, "utf8").trimEnd());
    }
    const result = honeyflow("replay", "--input", logs, "--speed", "max");
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout, expected);
    assert.match(result.stderr, /replayed 12 lines from 3 file\(s\)/);
  });

  it("--retime --backlog: writes the first minutes at once, then at pace, each event stamped with the time it is written at", () => {
    // Ten minutes of log: 5 minutes of backlog, then events 1 s and 2 s after its end.
    const log = path.join(dir, "sensor.json");
    const offsetsMs = [0, 60_000, 240_000, 301_000, 302_000];
    const originals = offsetsMs.map((offset, i) =>
      JSON.stringify({ eventid: "cowrie.login.failed", src_ip: "203.0.113.7", timestamp: epochMsToCowrieTimestamp(Date.UTC(2026, 2, 18) + offset + 0.123), n: i }));
    fs.writeFileSync(log, `${originals.join("\n")}\nnot json, no time\n`);
    const began = Date.now();
    const result = honeyflow("replay", "--input", log, "--retime", "--backlog", "5m");
    const ended = Date.now();
    assert.equal(result.status, 0, result.stderr);
    const lines = result.stdout.trim().split("\n");
    assert.equal(lines[5], "not json, no time", "a line without a timestamp goes out as it is");
    const written = lines.slice(0, 5).map((line) => cowrieTimestampToEpochMs(JSON.parse(line).timestamp) as number);
    lines.slice(0, 5).forEach((line, i) => {
      const { timestamp, ...rest } = JSON.parse(line);
      const { timestamp: original, ...originalRest } = JSON.parse(originals[i]);
      assert.deepEqual(rest, originalRest, "only the timestamp changes");
      assert.notEqual(timestamp, original);
    });
    // The pace is the log's: the gaps between events are kept to the microsecond.
    written.forEach((ms, i) => assert.ok(Math.abs(ms - written[0] - offsetsMs[i]) < 0.002, `event ${i}: ${ms - written[0]} ms after the first`));
    // The backlog's end is the start of the replay: the last events are stamped between start and end.
    assert.ok(written[4] >= began && written[4] <= ended, `${written[4] - began} ms after the start, run took ${ended - began} ms`);
    assert.ok(written[0] < began - 290_000, "the backlog lies in the past");
  });

  it("refuses --retime without a pace and a malformed --backlog", () => {
    for (const args of [["--retime", "--speed", "max"], ["--backlog", "soon"]]) {
      const result = honeyflow("replay", "--input", logs, ...args);
      assert.equal(result.status, 2, `${args.join(" ")}: ${result.stderr}`);
      assert.match(result.stderr, /--retime|--backlog/);
      assert.equal(result.stdout, "");
    }
  });

  it("refuses a speed that would never get to the next event, with the usage and exit code 2", () => {
    for (const speed of ["1e-300", "-1", "fast"]) {
      const result = honeyflow("replay", "--input", logs, "--speed", speed);
      assert.equal(result.status, 2, `--speed ${speed}: ${result.stderr}`);
      assert.match(result.stderr, /--speed/);
      assert.match(result.stderr, /usage: honeyflow replay/);
      assert.equal(result.stdout, "");
    }
  });

  it("explains a missing input with exit code 2", () => {
    const result = honeyflow("replay", "--input", path.join(dir, "nope.json"));
    assert.equal(result.status, 2);
    assert.match(result.stderr, /no such file or directory/);
  });
});
