/**
 * Detectors: ROC AUC and average precision on Statlog Shuttle (ODDS) in stream order, one pass,
 * each row scored before it is learned; and scores + learns per second, against the online
 * z-score measured in the same run. River's Half-Space Trees does about 85k/s in Python.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { averagePrecision } from "../src/core/average-precision";
import { createDetector, DETECTOR_NAMES, DetectorName } from "../src/core/detector-catalogue";
import { rocAuc } from "../src/core/roc-auc";
import { SeededRandom } from "../src/core/seeded-random";
import type { Figure } from "./figure";

const SHUTTLE = path.join(__dirname, "..", "..", "..", "shared", "data", "odds", "shuttle.csv");

function loadShuttle(): { rows: number[][]; labels: number[] } | undefined {
  const file = [SHUTTLE, path.join(process.cwd(), "..", "shared", "data", "odds", "shuttle.csv")].find((f) => fs.existsSync(f));
  if (!file) return undefined;
  const lines = fs.readFileSync(file, "utf8").trim().split("\n").slice(1);
  const rows = lines.map((line) => line.split(",").map(Number));
  return { rows: rows.map((r) => r.slice(0, -1)), labels: rows.map((r) => r[r.length - 1]) };
}

function scoreStream(name: DetectorName, rows: number[][]): { scores: number[]; perSecond: number } {
  const detector = createDetector(name);
  const scores = new Array<number>(rows.length);
  const start = process.hrtime.bigint();
  for (let i = 0; i < rows.length; i++) {
    scores[i] = detector.score(rows[i]);
    detector.learn(rows[i]);
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { scores, perSecond: rows.length / seconds };
}

export function runDetectorBench(): Figure[] {
  const figures: Figure[] = [];
  const shuttle = loadShuttle();
  if (shuttle) {
    const auc: Record<string, number> = {};
    for (const name of DETECTOR_NAMES) {
      const { scores } = scoreStream(name, shuttle.rows);
      auc[name] = rocAuc(scores, shuttle.labels);
      figures.push({ bench: "shuttle", name: `${name} ROC AUC`, value: auc[name], unit: "" });
      figures.push({ bench: "shuttle", name: `${name} average precision`, value: averagePrecision(scores, shuttle.labels), unit: "" });
    }
    figures.push({
      bench: "shuttle", name: "default ROC AUC vs the best of HST and z-score", value: auc.default, unit: "",
      baseline: { name: "max(HST, z-score)", value: Math.max(auc["half-space-trees"], auc["z-score"]) },
      ratio: auc.default / Math.max(auc["half-space-trees"], auc["z-score"]),
    });
  } else {
    console.error("bench: ../shared/data/odds/shuttle.csv not found; skipping detection quality");
  }

  // Throughput on 40 features, the width of window-features' vectors.
  const random = new SeededRandom("detector-bench");
  const rows = Array.from({ length: 50_000 }, () => Array.from({ length: 40 }, () => random.exponential(3)));
  scoreStream("z-score", rows.slice(0, 5000)); // warm-up
  const baseline = { name: "online z-score", value: scoreStream("z-score", rows).perSecond };
  for (const name of DETECTOR_NAMES) {
    const perSecond = name === "z-score" ? baseline.value : scoreStream(name, name === "isolation-forest" ? rows.slice(0, 10_000) : rows).perSecond;
    figures.push({ bench: "detectors", name: `${name} score+learn, 40 features`, value: perSecond, unit: "events/s", baseline, ratio: perSecond / baseline.value });
  }
  return figures;
}
