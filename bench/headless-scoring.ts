/**
 * Headless scoring: `honeyflow score` over a generated Cowrie log, as a user runs it (its own
 * Node process, reading the file, writing alerts to /dev/null), against plain `JSON.parse` of the
 * same lines timed in this process while the log is written. The command's time includes its
 * start-up and the read, which is what a back-test waits for.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CowrieLogGenerator } from "../src/datasets/synth/cowrie/cowrie-log-generator";
import type { Figure } from "./figure";
import { PROJECT_ROOT } from "./project-root";

const BENCH = "headless";
const BATCH = 10_000;
/** Mean background events per second of the generated log: a busy sensor, as in the ingest bench. */
const LOG_RATE = 50;

export async function runHeadlessScoringBench(events: number): Promise<Figure[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "honeyflow-bench-score-"));
  try {
    const file = path.join(dir, "cowrie.json");
    const out = fs.openSync(file, "w");
    let parseNs = 0n;
    let batch: string[] = [];
    const parseAndWrite = () => {
      const started = process.hrtime.bigint();
      for (const line of batch) JSON.parse(line);
      parseNs += process.hrtime.bigint() - started;
      fs.writeSync(out, `${batch.join("\n")}\n`);
      batch = [];
    };
    let warmedUp = false;
    for (const { line } of new CowrieLogGenerator({ events, seed: "bench-score", rate: LOG_RATE })) {
      batch.push(line);
      if (batch.length < BATCH) continue;
      if (!warmedUp) {
        for (const l of batch) JSON.parse(l); // JIT, so that the baseline is not measured cold
        warmedUp = true;
      }
      parseAndWrite();
    }
    if (batch.length > 0) parseAndWrite();
    fs.closeSync(out);
    const parsePerSecond = events / (Number(parseNs) / 1e9);
    const bytes = fs.statSync(file).size;

    const cli = path.join(PROJECT_ROOT, "dist", "src", "cli", "honeyflow.js");
    const started = process.hrtime.bigint();
    const summary = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, [cli, "score", "--input", file, "--out", "/dev/null"], { maxBuffer: 64 * 1024 * 1024 }, (err, _stdout, stderr) => {
        if (err) reject(new Error(`honeyflow score failed: ${err.message}\n${stderr.slice(-2000)}`));
        else resolve(stderr.trim().split(/[\r\n]/).pop() ?? "");
      });
    });
    const scorePerSecond = events / (Number(process.hrtime.bigint() - started) / 1e9);
    const scored = /^scored (\d+) events/.exec(summary);
    if (!scored) throw new Error(`honeyflow score ended without its summary line: ${summary}`);
    console.error(`bench: honeyflow score: ${summary}`);

    const baseline = { name: "JSON.parse of the same lines", value: parsePerSecond };
    return [
      { bench: BENCH, name: "generated log", value: bytes / 2 ** 20, unit: `MiB (${events.toLocaleString("en-US")} lines, ${Number(scored[1]).toLocaleString("en-US")} scored)` },
      { bench: BENCH, name: "JSON.parse per line (baseline)", value: parsePerSecond, unit: "lines/s" },
      { bench: BENCH, name: "`honeyflow score --input LOG --out /dev/null`", value: scorePerSecond, unit: "lines/s", baseline, ratio: scorePerSecond / parsePerSecond },
    ];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
