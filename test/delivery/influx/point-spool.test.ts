import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PointSpool, SpoolBatch } from "../../../src/delivery/influx/point-spool";
import { SeededRandom } from "../../../src/stats/seeded-random";
import { hostileText } from "../../support/hostile-text";

/** Everything in the spool, oldest first, acknowledging as it goes. */
function drain(spool: PointSpool): string[] {
  const out: string[] = [];
  for (let batch = spool.peek(7); batch; batch = spool.peek(7)) {
    out.push(...batch.lines);
    spool.ack(batch, batch.lines.length);
  }
  return out;
}

const segmentFiles = (dir: string) => fs.readdirSync(dir).filter((name) => name.endsWith(".lp"));
const bytesOnDisk = (dir: string) => segmentFiles(dir).reduce((sum, name) => sum + fs.statSync(path.join(dir, name)).size, 0);

describe("PointSpool", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "honeyflow-point-spool-"));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("gives back points in the order they came, newlines and all, and removes delivered segments", () => {
    const spool = new PointSpool(dir, { segmentBytes: 64 });
    const lines = ["cpu value=1 1", 'log msg="two\nlines" 2', "cpu value=3 3", "é😀 value=4 4"];
    spool.append(lines.slice(0, 2));
    spool.append(lines.slice(2));
    assert.equal(spool.points, 4);
    assert.ok(segmentFiles(dir).length > 1, "small segments: the points span several files");
    assert.deepEqual(drain(spool), lines);
    assert.equal(spool.points, 0);
    assert.deepEqual(segmentFiles(dir), [], "nothing left on disk once delivered");
    spool.close();
  });

  it("keeps order and loses nothing across re-opens, under random appends, partial acks and re-opens (property)", () => {
    const random = new SeededRandom("spool-order");
    let spool = new PointSpool(dir, { segmentBytes: 2048 });
    const waiting: string[] = []; // the model: accepted, not yet acknowledged, oldest first
    let next = 0;
    for (let step = 0; step < 3000; step++) {
      const dice = random.next();
      if (dice < 0.4) {
        const lines = Array.from({ length: random.integer(1, 20) }, () => `m,n=${next++} text="${hostileText(random)}"`);
        spool.append(lines);
        waiting.push(...lines.map((line) => Buffer.from(line, "utf8").toString("utf8"))); // stored as UTF-8
      } else if (dice < 0.9) {
        const batch = spool.peek(random.integer(1, 30));
        if (waiting.length === 0) {
          assert.equal(batch, undefined);
          continue;
        }
        assert.ok(batch, "points are waiting, so a batch");
        assert.deepEqual(batch.lines, waiting.slice(0, batch.lines.length), "the oldest points, in order");
        const delivered = random.integer(0, batch.lines.length);
        spool.ack(batch, delivered);
        waiting.splice(0, delivered);
      } else {
        spool.close();
        spool = new PointSpool(dir, { segmentBytes: 2048 });
      }
      assert.equal(spool.points, waiting.length);
    }
    spool.close();
    assert.deepEqual(drain(new PointSpool(dir)), waiting);
  });

  it("never holds more than maxBytes on disk, and drops only the oldest, counted (property)", () => {
    const random = new SeededRandom("spool-bound");
    const maxBytes = 20_000;
    const spool = new PointSpool(dir, { maxBytes, segmentBytes: 2000 });
    const accepted: string[] = [];
    let delivered = 0;
    for (let step = 0; step < 2000; step++) {
      if (random.chance(0.7)) {
        const lines = Array.from({ length: random.integer(1, 10) }, () => `m,n=${accepted.length} s="${"x".repeat(random.integer(0, 300))}"`);
        spool.append(lines);
        accepted.push(...lines);
      } else {
        const batch = spool.peek(random.integer(1, 10));
        if (batch) spool.ack(batch, batch.lines.length);
        delivered += batch?.lines.length ?? 0;
      }
      assert.ok(spool.bytes <= maxBytes, `spool says ${spool.bytes} bytes`);
      assert.ok(bytesOnDisk(dir) <= maxBytes, `disk holds ${bytesOnDisk(dir)} bytes`);
      assert.equal(delivered + spool.dropped + spool.points, accepted.length, "every point delivered, dropped or waiting");
    }
    assert.ok(spool.dropped > 0, "the bound was reached");
    const left = spool.points;
    assert.deepEqual(drain(spool), accepted.slice(accepted.length - left), "what is left is the newest, in order");
    spool.close();
  });

  it("drops a point larger than the whole spool rather than break its bound", () => {
    const spool = new PointSpool(dir, { maxBytes: 1000 });
    spool.append(["small value=1 1", `big s="${"x".repeat(2000)}" 2`]);
    assert.equal(spool.points, 0);
    assert.equal(spool.dropped, 2);
    spool.append(["after value=1 3"]);
    assert.deepEqual(drain(spool), ["after value=1 3"]);
    spool.close();
  });

  it("ignores the ack of a batch the full spool has dropped meanwhile", () => {
    const spool = new PointSpool(dir, { maxBytes: 600, segmentBytes: 200 });
    spool.append(Array.from({ length: 5 }, (_, i) => `old value=${i} ${i}`));
    const stale = spool.peek(3);
    assert.ok(stale);
    spool.append(Array.from({ length: 30 }, (_, i) => `new value=${i} ${100 + i}`));
    spool.ack(stale, stale.lines.length);
    const left = drain(spool);
    assert.ok(left.length > 0 && left.every((line) => line.startsWith("new ")), "the oldest were dropped");
    assert.equal(left.at(-1), "new value=29 129");
    assert.equal(spool.dropped + left.length, 35);
    spool.close();
  });

  it("refuses an append the disk took only part of, and gives back every append it did not refuse", () => {
    // A full disk can take part of a write and say so only by the count written: a file size
    // limit (ulimit -f, in KiB) makes the same short write, in a child process.
    const script = `
      const { PointSpool } = require(${JSON.stringify(path.resolve(__dirname, "../../../src/delivery/influx/point-spool.ts"))});
      const spool = new PointSpool(${JSON.stringify(dir)}, { segmentBytes: 2 ** 20 });
      const accepted = [];
      let refused = 0;
      for (let i = 0; i < 100; i++) {
        const lines = Array.from({ length: 10 }, (_, j) => 'm seq=' + (i * 10 + j) + 'i,pad="' + 'x'.repeat(50) + '"');
        try { spool.append(lines); accepted.push(...lines); } catch { refused += 1; }
      }
      const drained = [];
      for (let batch = spool.peek(7); batch; batch = spool.peek(7)) { drained.push(...batch.lines); spool.ack(batch, batch.lines.length); }
      console.log(JSON.stringify({ accepted, drained, refused, left: spool.points }));`;
    const child = spawnSync("bash", ["-c", 'ulimit -f 8 && exec "$0" -r ts-node/register/transpile-only -e "$1"', process.execPath, script], { encoding: "utf8" });
    assert.equal(child.status, 0, child.stderr);
    const { accepted, drained, refused, left } = JSON.parse(child.stdout) as { accepted: string[]; drained: string[]; refused: number; left: number };
    assert.ok(refused > 0 && accepted.length > 0, `the limit was reached: ${refused} appends refused, ${accepted.length} points taken`);
    assert.deepEqual(drained, accepted, "every point of every append not refused, in order");
    assert.equal(left, 0);
  });

  it("gives back every point once and in order while its index cannot be saved (a full disk)", () => {
    const spool = new PointSpool(dir, { segmentBytes: 64 });
    const lines = Array.from({ length: 20 }, (_, i) => `m value=${i} ${i}`);
    spool.append(lines);
    // The index is written to a temporary file first: linked to /dev/full, every save fails as on a full disk.
    fs.symlinkSync("/dev/full", path.join(dir, `index.json.${process.pid}.tmp`));
    const out: string[] = [];
    for (let batch = spool.peek(2), tries = 0; batch && tries < 100; batch = spool.peek(2), tries++) {
      out.push(...batch.lines);
      const delivered = batch;
      assert.throws(() => spool.ack(delivered, delivered.lines.length), /ENOSPC/);
    }
    assert.deepEqual(out, lines);
    assert.equal(spool.points, 0);
    spool.close();
  });

  it("stays within its bound, and takes the appends, while its index cannot be saved (a full disk)", () => {
    let spool = new PointSpool(dir, { maxBytes: 600, segmentBytes: 200 });
    fs.symlinkSync("/dev/full", path.join(dir, `index.json.${process.pid}.tmp`));
    const lines = Array.from({ length: 100 }, (_, i) => `m value=${i} ${i}`);
    for (let i = 0; i < lines.length; i += 5) spool.append(lines.slice(i, i + 5));
    assert.ok(spool.bytes <= 600 && bytesOnDisk(dir) <= 600, `${spool.bytes} bytes`);
    assert.ok(spool.dropped > 0);
    const newest = lines.slice(lines.length - spool.points);
    spool.close();
    fs.rmSync(path.join(dir, `index.json.${process.pid}.tmp`));
    spool = new PointSpool(dir); // the index is the one from before the drops
    assert.deepEqual(drain(spool), newest, "what the spool kept, after a restart");
    spool.close();
  });

  it("keeps every point when the index at open points inside a record or before the file (a foreign or corrupted index)", () => {
    for (const offset of [7, -5]) {
      let spool = new PointSpool(dir);
      spool.append(["a value=1 1", "b value=2 2", "c value=3 3"]);
      spool.close();
      fs.writeFileSync(path.join(dir, "index.json"), JSON.stringify({ segment: 0, offset }));
      spool = new PointSpool(dir);
      assert.deepEqual(drain(spool), ["a value=1 1", "b value=2 2", "c value=3 3"], `index offset ${offset}: the segment is sent whole again`);
      spool.close();
    }
  });

  it("at open, resumes after the records an index on a record boundary says were delivered", () => {
    let spool = new PointSpool(dir);
    spool.append(["a value=1 1", "b value=2 2", "c value=3 3"]);
    const batch = spool.peek(1);
    assert.ok(batch);
    spool.ack(batch, 1);
    spool.close();
    spool = new PointSpool(dir);
    assert.deepEqual(drain(spool), ["b value=2 2", "c value=3 3"]);
    spool.close();
  });

  it("cuts off a record torn by a crash and keeps every complete one", () => {
    let spool = new PointSpool(dir);
    spool.append(["a value=1 1", "b value=2 2", "c value=3 3"]);
    spool.close();
    const [file] = segmentFiles(dir);
    fs.appendFileSync(path.join(dir, file), "27 d value=4 4"); // the record's end never reached the disk
    spool = new PointSpool(dir);
    assert.equal(spool.points, 3);
    spool.append(["e value=5 5"]);
    assert.deepEqual(drain(spool), ["a value=1 1", "b value=2 2", "c value=3 3", "e value=5 5"]);
    spool.close();
  });

  it("reads no record out of the text of a torn or damaged one: a string field's newlines cannot forge a point", () => {
    // Attacker text in a string field, shaped as a record of its own between raw newlines.
    const forged = "evil value=666 1";
    // Both forms: without a check, and with one, which anybody can work out.
    const check = createHash("sha1").update(forged).digest("hex").slice(0, 8);
    const hostile = `b user="x\n${Buffer.byteLength(forged)} ${forged}\n${Buffer.byteLength(forged)}:${check} ${forged}\ny" 2`;
    const recordStart = (content: Buffer, line: string) => content.lastIndexOf("\n", content.indexOf(line)) + 1;
    const damage = (cut: (content: Buffer, file: string) => void) => {
      const spool = new PointSpool(dir);
      spool.append(["a value=1 1", hostile, "c value=3 3"]);
      spool.close();
      const file = path.join(dir, segmentFiles(dir)[0]);
      cut(fs.readFileSync(file), file);
      const reopened = new PointSpool(dir);
      const lines = drain(reopened);
      reopened.close();
      return lines;
    };
    // b's end never reached the disk.
    assert.deepEqual(damage((content, file) => fs.writeFileSync(file, content.subarray(0, content.indexOf('\ny"') + 2))), ["a value=1 1"]);
    // b's end is zeros (a machine crash), c is whole.
    assert.deepEqual(damage((content, file) => fs.writeFileSync(file, content.fill(0, content.indexOf('\ny"') + 2, recordStart(content, "c value=3")))), ["a value=1 1", "c value=3 3"]);
  });

  it("keeps the records after a damaged stretch (zeros a machine crash left mid-file), counting the bytes skipped", () => {
    let spool = new PointSpool(dir);
    spool.append(["a value=1 1", "b value=2 2", "c value=3 3", "d value=4 4", "e value=5 5"]);
    const first = spool.peek(1) as SpoolBatch;
    spool.ack(first, 1); // delivered: the index now points past a
    spool.close();
    const file = path.join(dir, segmentFiles(dir)[0]);
    const content = fs.readFileSync(file);
    const from = content.indexOf("b value") + 3;
    const recordStart = (line: string) => content.lastIndexOf("\n", content.indexOf(line)) + 1;
    const [bStart, dStart] = [recordStart("b value=2"), recordStart("d value=4")];
    const to = dStart - 5;
    content.fill(0, from, to); // from inside b's record into c's: b and c are lost, d and e kept
    fs.writeFileSync(file, content);
    spool = new PointSpool(dir);
    assert.equal(spool.points, 2);
    assert.equal(spool.damagedBytes, dStart - bStart, "b's and c's records");
    spool.close();
    spool = new PointSpool(dir);
    assert.equal(spool.points, 2, "the index agrees with the rewritten file");
    assert.equal(spool.damagedBytes, 0, "the damage was cut out of the file at the first open");
    spool.append(["f value=6 6"]);
    assert.deepEqual(drain(spool), ["d value=4 4", "e value=5 5", "f value=6 6"]);
    spool.close();
  });

  it("replays the good records around one whose bytes changed on disk and one torn at the end, counting the bad one", () => {
    let spool = new PointSpool(dir);
    spool.append(["a value=1 1", "b value=2 2", "c value=3 3", "d value=4 4", "e value=5 5"]);
    spool.close();
    const file = path.join(dir, segmentFiles(dir)[0]);
    const content = fs.readFileSync(file);
    const flipped = content.indexOf("b value=2") + "b value=".length;
    content[flipped] ^= 0x04; // a flipped bit: b's value 2 would read 6
    const eStart = content.lastIndexOf("\n", content.indexOf("e value=5")) + 1;
    fs.writeFileSync(file, content.subarray(0, content.length - 3)); // e's end never reached the disk
    spool = new PointSpool(dir);
    assert.deepEqual(drain(spool), ["a value=1 1", "c value=3 3", "d value=4 4"]);
    const bStart = content.lastIndexOf("\n", flipped) + 1;
    const bEnd = content.indexOf("\n", flipped) + 1;
    assert.equal(spool.damagedBytes, bEnd - bStart + content.length - 3 - eStart, "b's record and what is left of e's");
    spool.close();
  });

  it("still reads the records of a spool written before they carried a check", () => {
    // a's colons end where a record with a check would have its colon: b is read all the same.
    fs.writeFileSync(path.join(dir, "0000000000.lp"), "16 a v=\"::::::::\" 1\n11 b value=2 2\n19 c msg=\"two\nlines\" 3\n");
    const spool = new PointSpool(dir);
    spool.append(["d value=4 4"]);
    assert.deepEqual(drain(spool), ['a v="::::::::" 1', "b value=2 2", 'c msg="two\nlines" 3', "d value=4 4"]);
    assert.equal(spool.damagedBytes, 0);
    spool.close();
  });

  it("skips a record whose bytes changed on disk while it was open (an outage keeps points there for days), and sends the rest", () => {
    const spool = new PointSpool(dir);
    spool.append(["a value=1 1", "b value=2 2", "c value=3 3"]);
    const file = path.join(dir, segmentFiles(dir)[0]);
    const content = fs.readFileSync(file);
    const flipped = content.indexOf("b value=2") + "b value=".length;
    content[flipped] ^= 0x04;
    fs.writeFileSync(file, content);
    assert.deepEqual(drain(spool), ["a value=1 1", "c value=3 3"]);
    assert.equal(spool.damagedBytes, content.indexOf("\n", flipped) + 1 - (content.lastIndexOf("\n", flipped) + 1));
    assert.equal(spool.points, 0);
    spool.close();
  });
});
