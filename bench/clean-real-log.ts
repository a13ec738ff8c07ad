/**
 * Local check, not part of `npm test`: a real Cowrie 2.x sensor log goes through the same core
 * as `cowrie in` (replay) -> `clean`, and must come out with zero rejects. Prints events per
 * eventid and category, the session table's use and the data-quality points of the whole run.
 *
 *     npx ts-node --transpile-only bench/clean-real-log.ts [log file ...]
 *
 * Default log: ../shared/data/cowrie/sensor-aws-2026-03.json (see ../shared/data/README.md).
 * Exits 1 when any line or event is rejected.
 */
import * as path from "node:path";
import { CowrieEventCleaner } from "../src/clean/cowrie-event-cleaner";
import { CowrieIntake } from "../src/ingest/cowrie-intake";
import { DataQualityMetrics } from "../src/clean/data-quality-metrics";
import { LogReplay } from "../src/ingest/log-replay";

const MAX_LINE = 1024 * 1024;

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const files = args.length > 0 ? args : [path.join(__dirname, "..", "..", "shared", "data", "cowrie", "sensor-aws-2026-03.json")];
  const intake = new CowrieIntake(MAX_LINE);
  const cleaner = new CowrieEventCleaner();
  const quality = new DataQualityMetrics({ tags: { node: "clean-real-log" } });
  const byEventid = new Map<string, number>();
  const byCategory = new Map<string, number>();
  const rejects: string[] = [];
  const count = (tally: Map<string, number>, key: string) => tally.set(key, (tally.get(key) ?? 0) + 1);

  const started = process.hrtime.bigint();
  await new LogReplay({
    files, speed: 0, maxLineBytes: MAX_LINE,
    onRecord: (record) => {
      const line = intake.fromRecord(record);
      if ("rejected" in line) {
        rejects.push(`line ${line.rejected.origin?.line}: ${line.rejected.reason} (${line.rejected.detail})`);
        return;
      }
      const outcome = cleaner.clean(line.accepted.event);
      quality.observe(outcome);
      if (outcome.kind === "rejected") rejects.push(`line ${line.accepted.origin?.line}: ${outcome.reason} (${outcome.detail})`);
      if (outcome.kind !== "clean") return;
      count(byEventid, outcome.event.eventid);
      count(byCategory, outcome.event.category);
    },
  }).run();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;

  const table = (title: string, tally: Map<string, number>) => {
    console.log(`\n${title}`);
    for (const [key, n] of [...tally].sort((a, b) => b[1] - a[1])) console.log(`  ${String(n).padStart(7)}  ${key}`);
  };
  console.log(`files: ${files.join(", ")}`);
  console.log(`lines read: ${intake.accepted + intake.rejected}; clean: ${cleaner.counts.clean}; rejected: ${intake.rejected + cleaner.counts.rejected}; duplicates dropped: ${cleaner.counts.duplicates}`);
  console.log(`sessions still open at the end: ${cleaner.sessions.size}; evicted from the session table: ${cleaner.sessions.evicted}`);
  console.log(`time: ${seconds.toFixed(2)} s (${Math.round(cleaner.counts.clean / seconds).toLocaleString("en-US")} events/s)`);
  table("events per eventid", byEventid);
  table("events per category", byCategory);
  console.log("\ndata-quality points for the whole run (timeliness is the log's age: it is a replay)");
  for (const point of quality.report()) {
    const tags = Object.entries(point.tags).map(([k, v]) => `${k}=${v}`).join(",");
    const fields = Object.entries(point.fields).map(([k, v]) => `${k}=${Number.isInteger(v) ? v : v.toFixed(4)}`).join(" ");
    console.log(`  ${point.measurement},${tags} ${fields}`);
  }
  if (rejects.length > 0) {
    console.log(`\n${rejects.length} rejects, the first ones:\n  ${rejects.slice(0, 20).join("\n  ")}`);
    process.exitCode = 1;
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
