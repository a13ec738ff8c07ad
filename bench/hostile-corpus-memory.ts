/**
 * Memory under a hostile log: the peak RSS of `honeyflow score` over the hostile corpus (the log
 * generator's lines with attacker text, 2 MiB lines, 100,000-deep nesting, junk and blank lines
 * between them; test/support/hostile-corpus) against its peak over the same events alone,
 * measured in the same run. The junk should cost time to skip, not memory to hold.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { hostileCorpus, tallyKinds } from "../test/support/hostile-corpus";
import type { Figure } from "./figure";
import { PROJECT_ROOT } from "./project-root";

const BENCH = "hostile";
/** Runs the CLI in a Node process that reports its own peak RSS (KiB) as it exits. */
const REPORT_PEAK_RSS = 'process.on("exit", () => process.stderr.write(`\\npeak-rss-kib ${process.resourceUsage().maxRSS}\\n`)); require(process.argv[1]);';

async function scorePeakRss(log: string): Promise<{ peakMiB: number; summary: string }> {
  const cli = path.join(PROJECT_ROOT, "dist", "src", "cli", "honeyflow.js");
  const stderr = await new Promise<string>((resolve, reject) => {
    execFile(process.execPath, ["-e", REPORT_PEAK_RSS, cli, "score", "--input", log, "--out", "/dev/null"], { maxBuffer: 64 * 1024 * 1024 }, (err, _stdout, text) => {
      if (err) reject(new Error(`honeyflow score failed: ${err.message}\n${text.slice(-2000)}`));
      else resolve(text);
    });
  });
  const peak = /peak-rss-kib (\d+)/.exec(stderr);
  const summary = /scored .*/.exec(stderr);
  if (!peak || !summary) throw new Error(`honeyflow score ended without its summary or peak: ${stderr.slice(-500)}`);
  return { peakMiB: Number(peak[1]) / 1024, summary: summary[0] };
}

export async function runHostileCorpusMemoryBench(validLines: number): Promise<Figure[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "honeyflow-bench-hostile-"));
  try {
    const corpus = hostileCorpus({ seed: "bench", validLines, longLines: 10 });
    const hostileLog = path.join(dir, "hostile.json");
    const aloneLog = path.join(dir, "events-alone.json");
    fs.writeFileSync(hostileLog, corpus.text);
    fs.writeFileSync(aloneLog, corpus.eventsAlone);
    const kinds = tallyKinds(corpus.lines);
    const hostileMiB = fs.statSync(hostileLog).size / 2 ** 20;
    const aloneMiB = fs.statSync(aloneLog).size / 2 ** 20;
    corpus.lines.length = 0; // the corpus is on disk; this process's own memory is not measured, but keep it small

    const alone = await scorePeakRss(aloneLog);
    const hostile = await scorePeakRss(hostileLog);
    console.error(`bench: honeyflow score, events alone: ${alone.summary}`);
    console.error(`bench: honeyflow score, hostile corpus: ${hostile.summary}`);
    const baseline = { name: "the same events alone", value: alone.peakMiB };
    return [
      { bench: BENCH, name: "hostile corpus", value: hostileMiB, unit: `MiB (${kinds.event} events, ${kinds.rejected} rejected, ${kinds.malformed} malformed, ${kinds.blank} blank lines)` },
      { bench: BENCH, name: "its events alone", value: aloneMiB, unit: "MiB" },
      { bench: BENCH, name: "`honeyflow score` peak RSS, events alone (baseline)", value: alone.peakMiB, unit: "MiB" },
      { bench: BENCH, name: "`honeyflow score` peak RSS, hostile corpus", value: hostile.peakMiB, unit: "MiB", baseline, ratio: hostile.peakMiB / alone.peakMiB },
    ];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
