/**
 * PCA: how many vectors per second `pca`'s core standardises, scores and learns, against the
 * running standardisation alone (its first stage) measured in the same run, on 56-feature
 * vectors, the width of window features' output; and how large the saved model is.
 */
import { RunningStandardizer } from "../src/preprocessing/running-standardizer";
import { SeededRandom } from "../src/stats/seeded-random";
import { StreamingPca, type StreamingPcaSettings } from "../src/preprocessing/streaming-pca";
import type { Figure } from "./figure";

const FEATURES = 56;
const VECTORS = 50_000;

/** Skewed counts driven by four hidden factors, so that a few components carry most of the variance. */
function featureVectors(): number[][] {
  const random = new SeededRandom("pca-bench");
  const loadings = Array.from({ length: FEATURES }, () => Array.from({ length: 4 }, () => random.uniform(0, 1)));
  return Array.from({ length: VECTORS }, () => {
    const factors = loadings[0].map(() => random.exponential(1));
    return loadings.map((row) => Math.floor(row.reduce((sum, w, f) => sum + w * factors[f], 0) * 5 + random.exponential(0.5)));
  });
}

function perSecond(vectors: number[][], update: (x: number[]) => void): number {
  for (const x of vectors.slice(0, 5000)) update(x); // warm-up: JIT
  const start = process.hrtime.bigint();
  for (const x of vectors) update(x);
  return vectors.length / (Number(process.hrtime.bigint() - start) / 1e9);
}

export async function runPcaBench(): Promise<Figure[]> {
  const vectors = featureVectors();
  const scaler = new RunningStandardizer();
  const baseline = { name: "running standardisation alone", value: perSecond(vectors, (x) => { scaler.transform(x); scaler.learn(x); }) };
  const figures: Figure[] = [{ bench: "pca", name: `standardisation per vector (baseline, ${FEATURES} features)`, value: baseline.value, unit: "vectors/s" }];
  const configurations: Array<[string, Partial<StreamingPcaSettings>]> = [
    ["StreamingPca, k = 3 (default)", { components: 3 }],
    ["StreamingPca, 90% of the variance, at most 10", { varianceTarget: 0.9, components: 10 }],
  ];
  for (const [name, settings] of configurations) {
    const pca = new StreamingPca(settings);
    const value = perSecond(vectors, (x) => pca.update(x));
    figures.push({ bench: "pca", name, value, unit: "vectors/s", baseline, ratio: value / baseline.value });
    figures.push({ bench: "pca", name: `${name}: saved model`, value: Buffer.byteLength(JSON.stringify(pca)) / 1024, unit: "KiB" });
  }
  return figures;
}
