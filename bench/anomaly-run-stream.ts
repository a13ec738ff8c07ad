/**
 * Synthetic numeric streams for detection quality, where anomalies are pushed out on one feature
 * and may arrive in long contiguous runs: the shape of KDD99 http in stream order, on which
 * plain Half-Space Trees score ROC AUC about 0.30 and a Welford z-score 0.9965 (SPEC). KDD99 is
 * not in ../shared/data, so the benchmark and the tests build the trap from this.
 *
 * Normal rows are correlated, skewed counts and measurements:
 * [10·b, 5·b + N(0,1), ⌊Exp(mean 3)⌋, N(0,1), 50 + 5·N(0,1)] with b log-normal (σ 0.5).
 */
import { SeededRandom } from "../src/stats/seeded-random";

export interface LabelledStream {
  rows: number[][];
  /** 1 for an anomaly, 0 otherwise, per row. */
  labels: number[];
}

export function anomalyRunStream(seed: string, length: number, isAnomaly: (i: number) => boolean, pushedFeature = (i: number) => i % 5): LabelledStream {
  const random = new SeededRandom(seed);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random.next())) * Math.cos(2 * Math.PI * random.next());
  const labels: number[] = [];
  const rows = Array.from({ length }, (_, i) => {
    const anomaly = isAnomaly(i);
    labels.push(anomaly ? 1 : 0);
    const base = Math.exp(0.5 * gaussian());
    const row = [base * 10, base * 5 + gaussian(), Math.floor(random.exponential(3)), gaussian(), 50 + 5 * gaussian()];
    if (anomaly) row[pushedFeature(i)] += 40 + 10 * random.next();
    return row;
  });
  return { rows, labels };
}

/** The trap streams `npm run bench` and the tests score: contiguous runs of one kind of anomaly. */
export const TRAP_STREAMS: ReadonlyArray<{ name: string; make: () => LabelledStream }> = [
  { name: "one run of 400 in 5,000 (8 %)", make: () => anomalyRunStream("trap", 5000, (i) => i >= 3000 && i < 3400, () => 0) },
  { name: "runs of 300 and 600 in 8,000 (11 %)", make: () => anomalyRunStream("trap2", 8000, (i) => (i >= 2000 && i < 2300) || (i >= 5000 && i < 5600), () => 1) },
  { name: "one run of 1,000 in 6,000 (17 %)", make: () => anomalyRunStream("trap3", 6000, (i) => i >= 1500 && i < 2500, () => 0) },
];
