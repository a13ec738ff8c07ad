/**
 * Detection on real sensors: every real Cowrie log in ../shared/data/cowrie (a file, gzipped too, or
 * a directory of one sensor's rotated files: bench/real-sensor-logs.ts) drilled with labelled
 * attacks (`honeyflow drill`) at several seeds, scored in one run by the default detection, the
 * `rules` a SOC writes by hand, the online z-score and Half-Space Trees, each through the same
 * headless pipeline and alert policy. Per log and detector: attacks found within 60 s (overall
 * and per type), the first alert's delay (p50, max), background alerts per sensor-day, and the
 * share of found attacks whose first alert named the right type.
 *
 * `npm run bench:detection` runs it alone (HONEYFLOW_BENCH_SEEDS=1,2,3 by default;
 * HONEYFLOW_BENCH_BUSIER=1 adds busier sensors made from the real ones, about twice the time);
 * `npm run bench` runs it with the rest, busier sensors too. Figures, not assertions: see the
 * README's detection table.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Alert } from "../src/alerting/alert-policy";
import { drillAttacks } from "../src/datasets/drill/attack-drill";
import { ATTACK_TYPES } from "../src/domain/attack-types";
import { evaluateEpisodes } from "../src/metrics/episode-detection";
import { CowrieScoringPipeline } from "../src/pipeline/cowrie-scoring-pipeline";
import type { DetectionName } from "../src/scoring/online-anomaly-scorer";
import type { Figure } from "./figure";
import { PROJECT_ROOT } from "./project-root";
import { writeBusierSensors } from "./busier-sensors";
import { realSensorLogs } from "./real-sensor-logs";

const DETECTORS: readonly DetectionName[] = ["default", "rules", "z-score", "half-space-trees"];
const FOUND_WITHIN_S = 60;
const COWRIE_DATA = path.join(PROJECT_ROOT, "..", "shared", "data", "cowrie");

interface DetectorOutcome {
  found: number;
  episodes: number;
  foundByType: Record<string, [number, number]>;
  typedRight: number;
  delays: number[];
  background: number;
  days: number;
}

/**
 * `busier`: also the busier sensors made from the real ones (bench/busier-sensors.ts), each
 * real log folded onto fewer days and all of them merged into one sensor.
 */
export async function runDetectionBench(seeds: readonly string[], intensity = "mixed", episodes = 24, busier = false): Promise<Figure[]> {
  const real = realSensorLogs(COWRIE_DATA);
  if (real.length === 0) {
    console.error("bench: ../shared/data/cowrie not found; skipping detection on real sensors");
    return [];
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "honeyflow-bench-detection-"));
  const figures: Figure[] = [];
  try {
    // The busier sensors are laid over the plain-text logs; gzipped ones and directories are drilled as they are.
    const plain = real.filter(({ file }) => /\.json$/.test(file) && fs.statSync(file).isFile()).map(({ file }) => file);
    const busierLogs = busier ? writeBusierSensors(plain, work).map((file) => ({ name: path.basename(file, ".json"), file })) : [];
    for (const { name: log, file: background } of [...real, ...busierLogs]) {
      const totals = new Map<DetectionName, DetectorOutcome>();
      for (const seed of seeds) {
        const out = path.join(work, `${log}.${seed}.drill.json`);
        const stream = fs.createWriteStream(out);
        const drill = await drillAttacks({ files: [background], out: stream, seed, episodes, intensity: intensity as "mixed" });
        const labels = drill.log.labels;
        for (const detector of DETECTORS) {
          const alerts: Alert[] = [];
          let firstMs = Infinity;
          let lastMs = -Infinity;
          const pipeline = new CowrieScoringPipeline({ detector, pcaError: false });
          await pipeline.processLog([out], ({ scored, alerts: due }) => {
            if (scored) {
              firstMs = Math.min(firstMs, scored.time_ms);
              lastMs = Math.max(lastMs, scored.time_ms);
            }
            alerts.push(...due);
          });
          alerts.push(...pipeline.finish());
          const days = Math.max(lastMs - firstMs, 1) / 86_400_000;
          const report = evaluateEpisodes(labels, alerts, days * 24);
          const total = totals.get(detector) ?? { found: 0, episodes: 0, foundByType: {}, typedRight: 0, delays: [], background: 0, days: 0 };
          report.episodes.forEach((episode) => {
            const found = episode.detected && (episode.delay_s ?? Infinity) <= FOUND_WITHIN_S;
            const byType = (total.foundByType[episode.type] ??= [0, 0]);
            byType[1] += 1;
            total.episodes += 1;
            if (!found) return;
            byType[0] += 1;
            total.found += 1;
            total.delays.push(episode.delay_s as number);
            if (episode.alerted_as === episode.type) total.typedRight += 1;
          });
          total.background += report.background_alerts;
          total.days += days;
          totals.set(detector, total);
          console.error(`bench: ${log} seed ${seed} ${detector}: ${report.episodes.filter((e) => e.detected && (e.delay_s ?? Infinity) <= FOUND_WITHIN_S).length}/${labels.length} within ${FOUND_WITHIN_S} s, ${report.background_alerts} background alerts in ${days.toFixed(1)} days; missed ${report.episodes.filter((e) => !(e.detected && (e.delay_s ?? Infinity) <= FOUND_WITHIN_S)).map((e) => e.type).join(", ") || "none"}`);
        }
      }
      const rulesBackground = (totals.get("rules") as DetectorOutcome).background / (totals.get("rules") as DetectorOutcome).days;
      const rulesRecall = (totals.get("rules") as DetectorOutcome).found / (totals.get("rules") as DetectorOutcome).episodes;
      for (const [detector, t] of totals) {
        const bench = `detection ${log}`;
        const recall = t.found / t.episodes;
        figures.push({ bench, name: `${detector}: found within ${FOUND_WITHIN_S} s`, value: recall, unit: `of ${t.episodes}`, baseline: { name: "rules", value: rulesRecall }, ratio: recall / rulesRecall });
        for (const type of ATTACK_TYPES) {
          const [found, of] = t.foundByType[type] ?? [0, 0];
          if (of > 0) figures.push({ bench, name: `${detector}: ${type} found`, value: found / of, unit: `of ${of}` });
        }
        const sorted = [...t.delays].sort((a, b) => a - b);
        figures.push({ bench, name: `${detector}: first alert delay p50`, value: sorted[Math.floor(sorted.length / 2)] ?? NaN, unit: "s" });
        figures.push({ bench, name: `${detector}: first alert delay max`, value: sorted[sorted.length - 1] ?? NaN, unit: "s" });
        const perDay = t.background / t.days;
        figures.push({ bench, name: `${detector}: background alerts per sensor-day`, value: perDay, unit: "/day", baseline: { name: "rules", value: rulesBackground }, ratio: perDay / rulesBackground });
        figures.push({ bench, name: `${detector}: found attacks typed right`, value: t.found === 0 ? NaN : t.typedRight / t.found, unit: "" });
      }
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  return figures;
}


if (require.main === module) {
  const seeds = (process.env.HONEYFLOW_BENCH_SEEDS ?? "1,2,3").split(",");
  const intensity = process.env.HONEYFLOW_BENCH_INTENSITY ?? "mixed";
  const busier = process.env.HONEYFLOW_BENCH_BUSIER === "1";
  void import("./figure").then(async ({ printFigures }) => printFigures(await runDetectionBench(seeds, intensity, 24, busier)));
}
