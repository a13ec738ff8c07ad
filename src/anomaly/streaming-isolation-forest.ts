/**
 * Isolation Forest over a sliding reference window, for streams.
 *
 * Liu, Ting & Zhou, "Isolation Forest" (ICDM 2008): anomalies are isolated by fewer random
 * splits. The forest is rebuilt every `retrainEvery` events from the last `windowSize` events,
 * each tree from its own subsample of `subsampleSize` (the paper's ψ = 256). The trees come
 * from `ml-isolation-forest`, which builds every tree of a forest from the whole set it is
 * given and uses an unseeded Math.random; so each tree is a one-tree forest trained on its own
 * subsample (drawn with our seeded generator), and scores are combined as the paper does,
 * 2^(−mean path length / c(ψ)). Scores are therefore not reproducible bit for bit.
 *
 * ```ts
 * const forest = new StreamingIsolationForest();  // its first trees once 256 events are learned
 * for (let i = 0; i < 256; i++) forest.learn([Math.sin(i) ** 3, Math.cos(i) ** 3]);  // dense at 0
 * assert.ok(forest.score([1, 1]) > forest.score([0, 0]));
 * ```
 */
import { IsolationForest } from "ml-isolation-forest";
import type { AnomalyDetector } from "./anomaly-detector";
import { SeededRandom } from "../stats/seeded-random";

export interface StreamingIsolationForestOptions {
  nTrees?: number;
  subsampleSize?: number;
  windowSize?: number;
  retrainEvery?: number;
  seed?: number | string;
}

export class StreamingIsolationForest implements AnomalyDetector {
  private readonly nTrees: number;
  private readonly subsampleSize: number;
  private readonly windowSize: number;
  private readonly retrainEvery: number;
  private readonly random: SeededRandom;
  private readonly options: StreamingIsolationForestOptions;
  private window: number[][] = [];
  private next = 0;
  private seen = 0;
  private trees: IsolationForest[] = [];

  constructor(options: StreamingIsolationForestOptions = {}) {
    this.options = options;
    this.nTrees = options.nTrees ?? 50;
    this.subsampleSize = options.subsampleSize ?? 256;
    this.windowSize = options.windowSize ?? 2048;
    this.retrainEvery = options.retrainEvery ?? 512;
    this.random = new SeededRandom(options.seed ?? 42);
  }

  score(x: readonly number[]): number {
    if (this.trees.length === 0 || x.length !== this.window[0]?.length) return 0;
    const point = [x as number[]];
    let log2Sum = 0;
    for (const tree of this.trees) log2Sum += Math.log2(tree.predict(point)[0]);
    return 2 ** (log2Sum / this.trees.length);
  }

  featureOutlyingness(): undefined {
    return undefined;
  }

  usualRange(): undefined {
    return undefined;
  }

  learn(x: readonly number[]): void {
    if (this.window.length > 0 && x.length !== this.window[0].length) {
      this.window = [];
      this.next = 0;
      this.trees = [];
    }
    if (this.window.length < this.windowSize) this.window.push([...x]);
    else this.window[this.next] = [...x];
    this.next = (this.next + 1) % this.windowSize;
    this.seen += 1;
    if (this.seen === this.subsampleSize || this.seen % this.retrainEvery === 0) this.retrain();
  }

  toJSON(): unknown {
    return { options: this.options, window: this.window, next: this.next, seen: this.seen };
  }

  static fromJSON(state: unknown): StreamingIsolationForest {
    const s = state as { options: StreamingIsolationForestOptions; window: number[][]; next: number; seen: number };
    // Grown to this version's sizes, with only the saved seed: sizes from a file could be no numbers (no
    // trees, a forest that scores 0 from then on) or millions of trees, retrained on every restore.
    const seed = s.options?.seed;
    const forest = new StreamingIsolationForest(typeof seed === "number" || typeof seed === "string" ? { seed } : {});
    // Checked here rather than at the next event: a window that is no list of events, or a place in
    // it beyond its size, made every learn throw (or grew the window without bound), and the model,
    // saved like that, came back like that on every start.
    const { window, next, seen } = s;
    const width = Array.isArray(window) && Array.isArray(window[0]) ? window[0].length : 0;
    const events = Array.isArray(window) && window.length <= forest.windowSize
      && window.every((x) => Array.isArray(x) && x.length === width && x.every((v) => typeof v === "number" && Number.isFinite(v)));
    if (!events || !Number.isSafeInteger(next) || next < 0 || next >= forest.windowSize || !Number.isSafeInteger(seen) || seen < window.length) {
      throw new RangeError("not an isolation forest's saved window");
    }
    forest.window = s.window;
    forest.next = s.next;
    forest.seen = s.seen;
    if (forest.window.length >= Math.min(forest.subsampleSize, forest.seen)) forest.retrain();
    return forest;
  }

  private retrain(): void {
    const size = Math.min(this.subsampleSize, this.window.length);
    this.trees = Array.from({ length: this.nTrees }, () => {
      const subsample = this.random.shuffled(this.window).slice(0, size);
      const tree = new IsolationForest({ nEstimators: 1 });
      tree.train(subsample);
      return tree;
    });
  }
}
