/**
 * `npm run bench`: every benchmark, each figure beside a baseline measured in the same run.
 * HONEYFLOW_BENCH_EVENTS sets the log size (default 300,000 lines).
 */
import { runDetectorBench } from "./detectors";
import { runDriftBench } from "./drift";
import { printFigures } from "./figure";
import { runIngestBench } from "./ingest";
import { runPcaBench } from "./pca";

async function main(): Promise<void> {
  const events = Number(process.env.HONEYFLOW_BENCH_EVENTS ?? 300_000);
  console.error(`bench: ingest over ${events.toLocaleString("en-US")} generated lines...`);
  const figures = await runIngestBench(events);
  console.error("bench: detectors...");
  figures.push(...runDetectorBench());
  console.error("bench: drift...");
  figures.push(...(await runDriftBench()));
  console.error("bench: pca...");
  figures.push(...(await runPcaBench()));
  printFigures(figures);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
