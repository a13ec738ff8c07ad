/**
 * Ingest: how fast `cowrie in`'s core turns log bytes into events, against plain `JSON.parse`
 * of the same lines, and whether tailing a large file keeps memory flat.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CowrieIntake } from "../src/ingest/cowrie-intake";
import { CowrieLogGenerator } from "../src/datasets/synth/cowrie/cowrie-log-generator";
import { LineSplitter } from "../src/ingest/line-splitter";
import { LogReplay } from "../src/ingest/log-replay";
import { LogTail } from "../src/ingest/log-tail";
import type { Figure } from "./figure";

const MAX_LINE = 1024 * 1024;

export async function runIngestBench(events: number): Promise<Figure[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "honeyflow-bench-ingest-"));
  try {
    const file = path.join(dir, "cowrie.json");
    const out = fs.openSync(file, "w");
    let batch: string[] = [];
    for (const { line } of new CowrieLogGenerator({ events, seed: "bench", rate: 50 })) {
      batch.push(line.endsWith("\n") ? line : `${line}\n`);
      if (batch.length === 4096) {
        fs.writeSync(out, batch.join(""));
        batch = [];
      }
    }
    fs.writeSync(out, batch.join(""));
    fs.closeSync(out);
    const bytes = fs.statSync(file).size;
    const data = fs.readFileSync(file);

    const baselinePerSecond = measure(events, () => {
      const text = data.toString("utf8");
      let start = 0;
      for (let end = text.indexOf("\n"); end !== -1; end = text.indexOf("\n", start)) {
        JSON.parse(text.slice(start, end));
        start = end + 1;
      }
    });
    const splitPerSecond = measure(events, () => {
      const splitter = new LineSplitter(MAX_LINE);
      const intake = new CowrieIntake(MAX_LINE);
      for (let at = 0; at < data.length; at += 64 * 1024) {
        splitter.push(data.subarray(at, at + 64 * 1024), (record) => intake.fromRecord(record));
      }
    });

    let tailed = 0;
    let peakHeap = 0;
    const heapBefore = process.memoryUsage().heapUsed;
    const tailStart = process.hrtime.bigint();
    const intake = new CowrieIntake(MAX_LINE);
    const tail = new LogTail({
      path: file, startAt: "beginning", maxLineBytes: MAX_LINE,
      onRecord: (record) => {
        intake.fromRecord(record);
        if (++tailed % 10_000 === 0) peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
      },
    });
    await tail.check();
    await tail.close();
    const tailPerSecond = tailed / seconds(tailStart);

    let replayed = 0;
    const replayStart = process.hrtime.bigint();
    await new LogReplay({ files: [file], speed: 0, maxLineBytes: MAX_LINE, onRecord: (r) => { intake.fromRecord(r); replayed++; } }).run();
    const replayPerSecond = replayed / seconds(replayStart);

    const baseline = { name: "JSON.parse of the same lines", value: baselinePerSecond };
    const vs = (name: string, value: number): Figure => ({ bench: "ingest", name, value, unit: "lines/s", baseline, ratio: value / baselinePerSecond });
    return [
      { bench: "ingest", name: "log size", value: bytes / 1024 / 1024, unit: `MiB (${events.toLocaleString("en-US")} lines)` },
      { bench: "ingest", name: "JSON.parse per line (baseline)", value: baselinePerSecond, unit: "lines/s" },
      vs("LineSplitter + CowrieIntake, in memory", splitPerSecond),
      vs("LogTail from disk + CowrieIntake", tailPerSecond),
      vs("LogReplay as fast as possible + CowrieIntake", replayPerSecond),
      { bench: "ingest", name: "heap growth while tailing", value: Math.max(0, peakHeap - heapBefore) / 1024 / 1024, unit: `MiB for a ${(bytes / 1024 / 1024).toFixed(0)} MiB file` },
    ];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function measure(count: number, work: () => void): number {
  work(); // warm-up: JIT and page cache
  const start = process.hrtime.bigint();
  work();
  return count / seconds(start);
}

function seconds(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e9;
}
