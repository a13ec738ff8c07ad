/**
 * `npm run bench`: every benchmark, each figure beside a baseline measured in the same run,
 * printed as JSON lines and then as a table (progress and notes go to stderr).
 *
 * HONEYFLOW_BENCH_QUICK=1 runs every bench at a small size, for a smoke run of a minute or two.
 * HONEYFLOW_BENCH_EVENTS sets the ingest bench's log (default 300,000 lines),
 * HONEYFLOW_BENCH_SCORE_EVENTS the `honeyflow score` bench's (default 1,000,000 lines) and
 * HONEYFLOW_BENCH_IPS the scan storm's distinct source IPs (default 1,000,000).
 */
import * as os from "node:os";
import * as path from "node:path";
import { benchInChildProcess } from "./bench-process";
import { runDetectionBench } from "./detection";
import { runDetectorBench } from "./detectors";
import { runDriftBench } from "./drift";
import { runEnrichBench } from "./enrich";
import { Figure, printFigures } from "./figure";
import { runHeadlessScoringBench } from "./headless-scoring";
import { runHostileCorpusMemoryBench } from "./hostile-corpus-memory";
import { runIngestBench } from "./ingest";
import { runNodeRedPipelineBench } from "./node-red-pipeline";
import { runPcaBench } from "./pca";
import { runPipelineStagesBench } from "./pipeline-stages";

const QUICK = Boolean(process.env.HONEYFLOW_BENCH_QUICK);
const sizeOf = (variable: string, full: number, quick: number) => Number(process.env[variable] ?? (QUICK ? quick : full));
const SIZES = {
  ingestLines: sizeOf("HONEYFLOW_BENCH_EVENTS", 300_000, 20_000),
  scoreLines: sizeOf("HONEYFLOW_BENCH_SCORE_EVENTS", 1_000_000, 20_000),
  stormIps: sizeOf("HONEYFLOW_BENCH_IPS", 1_000_000, 50_000),
  stageLines: QUICK ? 20_000 : 200_000,
  hostileValidLines: QUICK ? 5_000 : 20_000,
  detectorVectors: QUICK ? 10_000 : 50_000,
  detectionSeeds: QUICK ? ["1"] : ["1", "2", "3"],
  enrich: QUICK ? { lines: 20_000, storm: 20_000 } : { lines: 200_000, storm: 200_000 },
  nodeRed: QUICK ? { passThroughMessages: 10_000, pipelineEvents: 5_000 } : { passThroughMessages: 200_000, pipelineEvents: 100_000 },
  // Three minutes of burst give over a hundred first alerts, so that p99 is not simply the slowest one.
  latency: QUICK ? { warmSeconds: 5, burstSeconds: 10 } : { warmSeconds: 20, burstSeconds: 180 },
};

async function main(): Promise<void> {
  const cpus = os.cpus();
  console.error(`bench: ${new Date().toISOString()}, Node ${process.version}, ${cpus.length} x ${cpus[0]?.model ?? "unknown CPU"}${QUICK ? ", quick sizes" : ""}`);
  const figures: Figure[] = [];
  const stage = async (what: string, run: () => Figure[] | Promise<Figure[]>) => {
    console.error(`bench: ${what}...`);
    figures.push(...(await run()));
  };
  await stage(`ingest over ${SIZES.ingestLines.toLocaleString("en-US")} generated lines`, () => runIngestBench(SIZES.ingestLines));
  await stage(`honeyflow score over ${SIZES.scoreLines.toLocaleString("en-US")} generated lines`, () => runHeadlessScoringBench(SIZES.scoreLines));
  await stage(`honeyflow score's peak RSS over a hostile corpus of ${SIZES.hostileValidLines.toLocaleString("en-US")} generated lines and its junk`, () => runHostileCorpusMemoryBench(SIZES.hostileValidLines));
  await stage(`the headless pipeline's stages over ${SIZES.stageLines.toLocaleString("en-US")} generated lines`, () => runPipelineStagesBench(SIZES.stageLines));
  await stage("detectors", () => runDetectorBench(SIZES.detectorVectors));
  await stage(`detection on drilled real sensors and busier ones made from them, seeds ${SIZES.detectionSeeds.join(", ")}`, () => runDetectionBench(SIZES.detectionSeeds, "mixed", 24, !QUICK));
  await stage(`enrich's offline lookups over ${SIZES.enrich.lines.toLocaleString("en-US")} generated lines`, () => runEnrichBench(SIZES.enrich.lines, SIZES.enrich.storm));
  await stage("drift", runDriftBench);
  await stage("pca", runPcaBench);
  await stage("Node-RED: pass-through ceiling and our pipeline", () => runNodeRedPipelineBench(SIZES.nodeRed));
  // Each in a process of its own: the memory bench needs --expose-gc, and the latency bench's
  // own arrival times must not wait on the collection of everything measured before it.
  const broken: string[] = [];
  const inChildProcess = (bench: string, args: string[], options: Parameters<typeof benchInChildProcess>[2] = {}) => async () => {
    const report = await benchInChildProcess(path.join(__dirname, `${bench}${path.extname(__filename)}`), args, options);
    broken.push(...report.broken);
    return report.figures;
  };
  await stage(`window features memory, a storm of ${SIZES.stormIps.toLocaleString("en-US")} source IPs`, inChildProcess("window-features-memory", [], {
    execArgv: ["--expose-gc"], env: { ...process.env, HONEYFLOW_BENCH_IPS: String(SIZES.stormIps) },
  }));
  const { warmSeconds, burstSeconds } = SIZES.latency;
  await stage(`alert latency at 1,000 lines/s for ${warmSeconds + burstSeconds} s`, inChildProcess("alert-latency", [String(warmSeconds), String(burstSeconds)]));
  printFigures(figures);
  for (const problem of broken) console.error(`BOUND BROKEN: ${problem}`);
  if (broken.length > 0) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
