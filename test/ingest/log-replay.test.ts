import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as zlib from "node:zlib";
import { LogReplay, orderLogFiles, ReplayProgress } from "../../src/ingest/log-replay";
import { SplitRecord } from "../../src/ingest/line-splitter";

const event = (second: number) =>
  JSON.stringify({ eventid: "cowrie.login.failed", timestamp: `2026-03-18T10:00:${String(second).padStart(2, "0")}.000000Z`, src_ip: "203.0.113.7", second });

async function replay(files: string[]) {
  const records: Array<{ record: SplitRecord; line: number }> = [];
  const progress: ReplayProgress = await new LogReplay({
    files, speed: 0, maxLineBytes: 1024 * 1024,
    onRecord: (record, line) => records.push({ record, line }),
  }).run();
  const texts = records.map(({ record }) => (record.kind === "line" ? record.text : `oversize ${record.bytes}`));
  return { records, texts, progress };
}

/** Bytes this process has read through read(2) and friends so far (Linux). */
function bytesReadByThisProcess(): number | undefined {
  try {
    const match = /^rchar:\s+(\d+)$/m.exec(fs.readFileSync("/proc/self/io", "utf8"));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

describe("LogReplay", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "honeyflow-replay-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("replays a last line that has no newline", async () => {
    const file = path.join(dir, "cowrie.json");
    fs.writeFileSync(file, `${event(1)}\n${event(2)}`);
    const { texts, progress } = await replay([file]);
    assert.deepEqual(texts, [event(1), event(2)]);
    assert.equal(progress.lines, 2);
  });

  it("does not glue a rotated file's unterminated last line to the next file's first line", async () => {
    fs.writeFileSync(path.join(dir, "cowrie.json.2026-03-17"), `${event(1)}\n${event(2)}`);
    fs.writeFileSync(path.join(dir, "cowrie.json"), `${event(3)}\n${event(4)}\n`);
    const { texts } = await replay([dir]);
    assert.deepEqual(texts, [event(1), event(2), event(3), event(4)]);
  });

  it("fails with the file's name, rather than crash the process, when a gzipped file is gone by the time its turn comes", async () => {
    const older = path.join(dir, "cowrie.json.2026-03-17");
    const gzipped = path.join(dir, "cowrie.json.1.gz");
    fs.writeFileSync(older, `${event(1)}\n${event(2)}\n`);
    fs.writeFileSync(gzipped, zlib.gzipSync(`${event(3)}\n`));
    const run = new LogReplay({
      files: [dir], speed: 0, maxLineBytes: 1024 * 1024,
      // logrotate renames its numbered copies while a long replay is still on the older file
      onRecord: () => fs.rmSync(gzipped, { force: true }),
    }).run();
    await assert.rejects(run, (err: NodeJS.ErrnoException) => err.code === "ENOENT" && err.message.includes(gzipped));
  });

  it("leaves its consumer's own failures as they are: a write to a full disk is not the log's error", async () => {
    const file = path.join(dir, "cowrie.json");
    fs.writeFileSync(file, `${event(1)}\n`);
    const full = Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
    const run = new LogReplay({
      files: [file], speed: 0, maxLineBytes: 1024 * 1024,
      onRecord: () => {
        throw full;
      },
    }).run();
    await assert.rejects(run, (err) => err === full);
  });

  it("numbers lines as a text editor does, blank ones included, and on across rotated files", async () => {
    fs.writeFileSync(path.join(dir, "cowrie.json.2026-03-17"), `${event(1)}\n\n\r\n${event(2)}\n`);
    fs.writeFileSync(path.join(dir, "cowrie.json"), `\n${event(3)}\n`);
    const { records, texts, progress } = await replay([dir]);
    assert.deepEqual(texts, [event(1), event(2), event(3)]);
    assert.deepEqual(records.map((r) => r.line), [1, 4, 6]);
    assert.deepEqual(records.map((r) => r.record.origin.line), [1, 4, 2], "in its own file");
    assert.equal(progress.lines, 6);
    assert.equal(progress.records, 3);
  });

  it("orders files by their first event without reading a huge first line", async function () {
    const before = bytesReadByThisProcess();
    if (before === undefined) this.skip();
    const hugeFirstLine = 50 * 1024 * 1024;
    const big = path.join(dir, "cowrie.json.1");
    // A sparse file: a 50 MB first line of NULs that takes no disk space, then an event.
    fs.writeFileSync(big, "");
    fs.truncateSync(big, hugeFirstLine);
    fs.appendFileSync(big, `\n${event(5)}\n`);
    const small = path.join(dir, "cowrie.json");
    fs.writeFileSync(small, `${event(9)}\n`);

    const start = bytesReadByThisProcess() as number;
    const ordered = await orderLogFiles([dir], 1024 * 1024);
    const read = (bytesReadByThisProcess() as number) - start;
    assert.ok(read < hugeFirstLine / 4, `the scan read ${read} bytes`);
    assert.deepEqual(ordered, [small, big], "a file whose head holds no event within the line limit sorts last");
  });
});
