import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as zlib from "node:zlib";
import { RotatingLogWriter } from "../support/rotating-log-writer";
import { runHoneyflow as honeyflow } from "../support/honeyflow-cli";


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
