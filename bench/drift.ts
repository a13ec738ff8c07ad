/**
 * Drift: updates per second of each drift detector on a stream of scores with a shift every
 * 50,000 values, against a running mean updated over the same values (the least a streaming
 * statistic can do), and the memory ADWIN's buckets hold on a long stationary stream.
 */
import { Adwin } from "../src/drift/adwin";
import { Ddm } from "../src/drift/ddm";
import { PageHinkley } from "../src/drift/page-hinkley";
import { SeededRandom } from "../src/stats/seeded-random";
import type { Figure } from "./figure";

const VALUES = 1_000_000;

export async function runDriftBench(): Promise<Figure[]> {
  const random = new SeededRandom("bench-drift");
  const scores = Float64Array.from({ length: VALUES }, (_, i) => random.uniform(0, 0.5) + (Math.floor(i / 50_000) % 2) * 0.3);
  const errors = Uint8Array.from(scores, (score) => (score >= 0.5 ? 1 : 0));

  let mean = 0;
  const baselinePerSecond = measure(() => {
    mean = 0;
    for (let i = 0; i < VALUES; i++) mean += (scores[i] - mean) / (i + 1);
  });
  const baseline = { name: "running mean", value: baselinePerSecond };
  const vs = (name: string, value: number): Figure => ({ bench: "drift", name, value, unit: "updates/s", baseline, ratio: value / baselinePerSecond });

  const adwin = measure(() => {
    const detector = new Adwin();
    for (let i = 0; i < VALUES; i++) detector.update(scores[i]);
  });
  const pageHinkley = measure(() => {
    const detector = new PageHinkley({ threshold: 5 });
    for (let i = 0; i < VALUES; i++) detector.update(scores[i]);
  });
  const ddm = measure(() => {
    const detector = new Ddm();
    for (let i = 0; i < VALUES; i++) detector.update(errors[i]);
  });

  const stationary = new Adwin();
  const uniform = new SeededRandom("bench-adwin-memory");
  for (let i = 0; i < VALUES; i++) stationary.update(uniform.next());
  return [
    { bench: "drift", name: "running mean per value (baseline)", value: baselinePerSecond, unit: "updates/s" },
    vs("ADWIN (delta 0.002, clock 32)", adwin),
    vs("Page-Hinkley", pageHinkley),
    vs("DDM", ddm),
    { bench: "drift", name: "ADWIN buckets after 1M stationary values", value: stationary.bucketCount, unit: `buckets (window ${stationary.windowLength.toLocaleString("en-US")})` },
  ];
}

function measure(work: () => void): number {
  work(); // warm-up: JIT
  const start = process.hrtime.bigint();
  work();
  return VALUES / (Number(process.hrtime.bigint() - start) / 1e9);
}
