/**
 * Half-Space Trees: a fast one-pass anomaly detector for evolving streams.
 *
 * Tan, Ting & Liu, "Fast Anomaly Detection for Streaming Data" (IJCAI 2011), with River's
 * semantics (river/anomaly/hst.py): `nTrees` random trees of depth `height` split the unit cube
 * at random points of the middle 70% of each node's range; every node counts the events of the
 * current window (l_mass) and keeps the previous window's count (r_mass) as its reference
 * profile. An event's score sums r_mass·2^depth down its path, stopping at nodes lighter than
 * 10% of the window, and is inverted so that 1 is most anomalous.
 *
 * River expects features already in [0, 1]; here each feature is min-max scaled online with
 * the range seen before the event. Known weakness (kept visible, not hidden): the reference
 * profile is only one window old, so anomalies that arrive in long runs soon look normal.
 *
 * ```ts
 * const hst = new HalfSpaceTrees({ seed: 42 });          // windows of 250 events
 * for (let i = 0; i < 500; i++) hst.learn([(i % 10) / 10, (i % 10) / 10]);
 * assert.ok(hst.score([0.1, 0.9]) > hst.score([0.5, 0.5]));  // off the diagonal the stream lives on
 * ```
 */
import type { AnomalyDetector } from "./anomaly-detector";
import { SeededRandom } from "../stats/seeded-random";

export interface HalfSpaceTreesOptions {
  nTrees?: number;
  height?: number;
  windowSize?: number;
  seed?: number | string;
}

interface Tree {
  feature: Int32Array;
  threshold: Float64Array;
  latestMass: Float64Array;
  referenceMass: Float64Array;
}

const PADDING = 0.15;
/** Deep enough for any stream here (River's default, and ours, is 8); each level doubles a tree's nodes. */
const MAX_HEIGHT = 16;
/**
 * Far past River's defaults (10 trees, a window of 250) and anything measured here; a saved model
 * beyond them (edited, or a hostile restore) would build a billion trees at its next learn, or
 * never end its first window and score 0 for ever.
 */
const MAX_TREES = 1_000;
const MAX_WINDOW_SIZE = 1_000_000;

export class HalfSpaceTrees implements AnomalyDetector {
  readonly nTrees: number;
  readonly height: number;
  readonly windowSize: number;
  private readonly seed: number | string;
  private trees: Tree[] = [];
  private dimension = -1;
  private low: number[] = [];
  private high: number[] = [];
  private counter = 0;
  private firstWindow = true;
  private readonly scaled: number[] = [];

  constructor(options: HalfSpaceTreesOptions = {}) {
    this.nTrees = options.nTrees ?? 10;
    this.height = options.height ?? 8;
    this.windowSize = options.windowSize ?? 250;
    this.seed = options.seed ?? 42;
    // They come back from saved models too. A walk down a tree stops at depth `height` and nowhere
    // else: at a height it never reaches it never stops, and the detector hangs its process.
    const whole = (value: unknown, max: number) => Number.isInteger(value) && (value as number) >= 1 && (value as number) <= max;
    if (!whole(this.height, MAX_HEIGHT)) throw new RangeError(`height must be a whole number from 1 to ${MAX_HEIGHT}, got ${String(this.height)}`);
    if (!whole(this.nTrees, MAX_TREES) || !whole(this.windowSize, MAX_WINDOW_SIZE)) {
      throw new RangeError(`nTrees and windowSize must be whole numbers from 1 to ${MAX_TREES} and ${MAX_WINDOW_SIZE}, got ${String(this.nTrees)} and ${String(this.windowSize)}`);
    }
  }

  score(x: readonly number[]): number {
    if (this.firstWindow || x.length !== this.dimension) return 0;
    const point = this.scale(x);
    const sizeLimit = 0.1 * this.windowSize;
    let mass = 0;
    for (const tree of this.trees) {
      let node = 0;
      for (let depth = 0; ; depth++) {
        mass += tree.referenceMass[node] * 2 ** depth;
        if (tree.referenceMass[node] < sizeLimit || depth === this.height) break;
        node = point[tree.feature[node]] < tree.threshold[node] ? 2 * node + 1 : 2 * node + 2;
      }
    }
    const maxMass = this.nTrees * this.windowSize * (2 ** (this.height + 1) - 1);
    return 1 - mass / maxMass;
  }

  featureOutlyingness(): undefined {
    return undefined;
  }

  usualRange(): undefined {
    return undefined;
  }

  learn(x: readonly number[]): void {
    if (x.length !== this.dimension) this.build(x.length);
    const point = this.scale(x);
    for (const tree of this.trees) {
      let node = 0;
      for (let depth = 0; ; depth++) {
        tree.latestMass[node] += 1;
        if (depth === this.height) break;
        node = point[tree.feature[node]] < tree.threshold[node] ? 2 * node + 1 : 2 * node + 2;
      }
    }
    for (let j = 0; j < x.length; j++) {
      if (x[j] < this.low[j]) this.low[j] = x[j];
      if (x[j] > this.high[j]) this.high[j] = x[j];
    }
    if (++this.counter === this.windowSize) {
      for (const tree of this.trees) {
        tree.referenceMass.set(tree.latestMass);
        tree.latestMass.fill(0);
      }
      this.firstWindow = false;
      this.counter = 0;
    }
  }

  toJSON(): unknown {
    return {
      options: { nTrees: this.nTrees, height: this.height, windowSize: this.windowSize, seed: this.seed },
      dimension: this.dimension, low: this.low, high: this.high, counter: this.counter, firstWindow: this.firstWindow,
      trees: this.trees.map((t) => ({
        feature: Array.from(t.feature), threshold: Array.from(t.threshold),
        latestMass: Array.from(t.latestMass), referenceMass: Array.from(t.referenceMass),
      })),
    };
  }

  static fromJSON(state: ReturnType<HalfSpaceTrees["toJSON"]>): HalfSpaceTrees {
    const s = state as {
      options: HalfSpaceTreesOptions; dimension: number; low: number[]; high: number[]; counter: number; firstWindow: boolean;
      trees: Array<{ feature: number[]; threshold: number[]; latestMass: number[]; referenceMass: number[] }>;
    };
    const hst = new HalfSpaceTrees(s.options);
    hst.dimension = s.dimension;
    hst.low = s.low.map((v) => v ?? Infinity);
    hst.high = s.high.map((v) => v ?? -Infinity);
    hst.counter = s.counter;
    hst.firstWindow = s.firstWindow;
    hst.trees = s.trees.map((t) => ({
      feature: Int32Array.from(t.feature), threshold: Float64Array.from(t.threshold),
      latestMass: Float64Array.from(t.latestMass), referenceMass: Float64Array.from(t.referenceMass),
    }));
    return hst;
  }

  /** Features in [0, 1] by the range seen so far (a constant feature maps to 0). */
  private scale(x: readonly number[]): number[] {
    for (let j = 0; j < x.length; j++) {
      const span = this.high[j] - this.low[j];
      this.scaled[j] = span > 0 ? (x[j] - this.low[j]) / span : 0;
    }
    return this.scaled;
  }

  private build(dimension: number): void {
    this.dimension = dimension;
    this.low = new Array<number>(dimension).fill(Infinity);
    this.high = new Array<number>(dimension).fill(-Infinity);
    this.counter = 0;
    this.firstWindow = true;
    const random = new SeededRandom(this.seed);
    const nodes = 2 ** (this.height + 1) - 1;
    this.trees = Array.from({ length: this.nTrees }, () => {
      const tree: Tree = {
        feature: new Int32Array(nodes), threshold: new Float64Array(nodes),
        latestMass: new Float64Array(nodes), referenceMass: new Float64Array(nodes),
      };
      const limits = Array.from({ length: dimension }, () => [0, 1]);
      const grow = (node: number, depth: number) => {
        if (depth === this.height) return;
        const feature = random.integer(0, dimension - 1);
        const [a, b] = limits[feature];
        const at = random.uniform(a + PADDING * (b - a), b - PADDING * (b - a));
        tree.feature[node] = feature;
        tree.threshold[node] = at;
        limits[feature] = [a, at];
        grow(2 * node + 1, depth + 1);
        limits[feature] = [at, b];
        grow(2 * node + 2, depth + 1);
        limits[feature] = [a, b];
      };
      grow(0, 0);
      return tree;
    });
  }
}
