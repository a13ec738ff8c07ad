/**
 * Merging t-digest: a streaming estimate of a distribution's CDF and quantiles in bounded
 * memory, accurate where anomaly detection needs it - in the tails.
 *
 * Dunning & Ertl, "Computing extremely accurate quantiles using t-digests" (2019). Centroids
 * are merged greedily under the arcsine scale function k1(q) = δ/(2π)·asin(2q−1), which keeps
 * centroids near q = 0 and q = 1 tiny (singletons at the extremes) and lets the middle
 * coarsen: at most about δ centroids whatever the stream length. New values wait in a small
 * buffer that is counted exactly, so a query never forces a merge.
 *
 * ```ts
 * const digest = new TDigest(100);
 * for (let i = 1; i <= 1000; i++) digest.add(i);
 * assert.equal(digest.cdf(10), 0.0095);                // exact in the tail: the mid-rank of 10 among 1..1000
 * assert.ok(Math.abs(digest.quantile(0.99) - 990) < 2);
 * ```
 */

/** Far more centroids than any digest here keeps (all use 100 or less), and a buffer of a few kilobytes. */
const MAX_COMPRESSION = 10_000;

/**
 * Whether `compression` is one a digest can be built with. Checked because it comes back from saved
 * models: one that is no number sizes the buffer at nothing, so the digest loses every value and
 * saves a state that does not read back; a huge one sizes it at gigabytes.
 */
export function isTDigestCompression(compression: unknown): compression is number {
  return typeof compression === "number" && compression > 0 && compression <= MAX_COMPRESSION;
}

export interface TDigestState {
  compression: number;
  means: number[];
  weights: number[];
  min: number;
  max: number;
}

export class TDigest {
  // Centroids live in typed arrays that merges reuse: one digest per feature merges every few
  // dozen values, and fresh arrays each time kept the garbage collector busy.
  private means = new Float64Array(0);
  private weights = new Float64Array(0);
  /** Weight of all centroids before centroid i, so a CDF query is a binary search. */
  private weightBefore = new Float64Array(0);
  private centroids = 0;
  /** Where the next merge writes its centroids, then swapped with means and weights. */
  private mergedMeans = new Float64Array(0);
  private mergedWeights = new Float64Array(0);
  private merged = 0;
  private readonly buffer: Float64Array;
  private buffered = 0;
  private min = Infinity;
  private max = -Infinity;
  /** cos and sin of one step of k1 on the circle, 2π/δ, for the trigonometry-free limit (see `roughLimit`). */
  private readonly stepCos: number;
  private readonly stepSin: number;

  constructor(readonly compression = 100) {
    if (!isTDigestCompression(compression)) throw new RangeError(`compression must be a number above 0 and at most ${MAX_COMPRESSION}, got ${String(compression)}`);
    // Buffered values are counted one by one at query time: a small buffer keeps queries cheap.
    this.buffer = new Float64Array(Math.max(16, Math.ceil(compression / 4)));
    this.stepCos = Math.cos((2 * Math.PI) / compression);
    this.stepSin = Math.sin((2 * Math.PI) / compression);
  }

  get count(): number {
    return this.merged + this.buffered;
  }

  add(value: number): void {
    if (!Number.isFinite(value)) return;
    this.buffer[this.buffered++] = value;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    if (this.buffered === this.buffer.length) this.mergeBuffer();
  }

  /**
   * P(X ≤ value) with ties counted half (mid-rank), so a value equal to a thousand earlier ones
   * sits in the middle of them, not at either end.
   */
  cdf(value: number): number {
    const n = this.count;
    if (n === 0) return 0.5;
    if (value < this.min) return 0;
    if (value > this.max) return 1;
    let rank = this.mergedRankBelow(value);
    const buffer = this.buffer;
    for (let i = 0; i < this.buffered; i++) {
      if (buffer[i] < value) rank += 1;
      else if (buffer[i] === value) rank += 0.5;
    }
    return rank / n;
  }

  /** The value below which a share q of the stream lies. */
  quantile(q: number): number {
    this.mergeBuffer();
    const n = this.merged;
    if (n === 0) return NaN;
    if (q <= 0) return this.min;
    if (q >= 1) return this.max;
    const { means, weights, centroids } = this;
    const target = q * n;
    let cumulative = 0;
    for (let i = 0; i < centroids; i++) {
      const center = cumulative + weights[i] / 2;
      if (target < center) {
        const leftMean = i === 0 ? this.min : means[i - 1];
        const leftCenter = i === 0 ? 0 : cumulative - weights[i - 1] / 2;
        return interpolate(target, leftCenter, center, leftMean, means[i]);
      }
      cumulative += weights[i];
    }
    const lastCenter = n - weights[centroids - 1] / 2;
    return interpolate(target, lastCenter, n, means[centroids - 1], this.max);
  }

  /** Multiply every weight by `factor` (0..1): exponential forgetting of old data. */
  decay(factor: number): void {
    this.mergeBuffer();
    for (let i = 0; i < this.centroids; i++) {
      this.weights[i] *= factor;
      this.weightBefore[i] *= factor;
    }
    this.merged *= factor;
  }

  toJSON(): TDigestState {
    this.mergeBuffer();
    return {
      compression: this.compression,
      means: Array.from(this.means.subarray(0, this.centroids)),
      weights: Array.from(this.weights.subarray(0, this.centroids)),
      min: this.min,
      max: this.max,
    };
  }

  /**
   * The digest `state` saved. A state that is none (a saved model edited by hand) throws a
   * RangeError rather than give ranks and quantiles that are NaN from then on.
   */
  static fromJSON(state: TDigestState): TDigest {
    const { means, weights, min, max } = state;
    const finite = (list: unknown) => Array.isArray(list) && list.every((x) => typeof x === "number" && Number.isFinite(x));
    // Not the order of the means: a merge averages each centroid incrementally, and adjacent
    // centroids of tied values may come out a rounding apart, which a saved digest must not cost.
    const valid = finite(means) && finite(weights) && means.length === weights.length && weights.every((weight) => weight >= 0)
      && (means.length === 0 || (Number.isFinite(min) && Number.isFinite(max) && min <= max));
    if (!valid) throw new RangeError("not a saved t-digest: its centroids are not finite means with weights of 0 or more");
    const digest = new TDigest(state.compression);
    const k = state.means.length;
    digest.means = Float64Array.from(state.means);
    digest.weights = Float64Array.from(state.weights);
    digest.weightBefore = new Float64Array(k);
    digest.centroids = k;
    digest.merged = state.weights.reduce((sum, w) => sum + w, 0);
    digest.updateWeightBefore();
    digest.min = k > 0 ? state.min : Infinity;
    digest.max = k > 0 ? state.max : -Infinity;
    return digest;
  }

  /** Weight of the merged centroids below `value`, each centroid's weight spread around its mean. */
  private mergedRankBelow(value: number): number {
    const { means, weights, weightBefore, centroids } = this;
    if (centroids === 0) return 0;
    // The last centroid whose mean is <= value.
    let lo = 0;
    let hi = centroids;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (means[mid] <= value) lo = mid + 1;
      else hi = mid;
    }
    const i = lo - 1;
    const before = i >= 0 ? weightBefore[i] : 0;
    if (i >= 0 && means[i] === value) {
      // Exactly on a centroid: half of it is below (ties), and so are its equal neighbours' halves.
      // Integer counts make dozens of centroids of one mean: find the first by binary search too.
      let first = 0;
      let last = i;
      while (first < last) {
        const mid = (first + last) >> 1;
        if (means[mid] < value) first = mid + 1;
        else last = mid;
      }
      const below = weightBefore[first];
      return below + (before - below + weights[i]) / 2;
    }
    if (i < 0) return interpolate(value, this.min, means[0], 0, weights[0] / 2);
    const centerI = before + weights[i] / 2;
    if (i === centroids - 1) return interpolate(value, means[i], this.max, centerI, this.merged);
    return interpolate(value, means[i], means[i + 1], centerI, centerI + weights[i] / 2 + weights[i + 1] / 2);
  }

  private mergeBuffer(): void {
    if (this.buffered === 0) return;
    // Centroids are sorted already: sort the small buffer and walk both runs in order.
    const buffered = this.buffer;
    const bufferedCount = this.buffered;
    sortAscending(buffered, bufferedCount);
    const oldMeans = this.means;
    const oldWeights = this.weights;
    const oldCentroids = this.centroids;
    // A merge never makes more centroids than it is given.
    const capacity = oldCentroids + bufferedCount;
    if (this.mergedMeans.length < capacity) {
      this.mergedMeans = new Float64Array(capacity + this.buffer.length);
      this.mergedWeights = new Float64Array(capacity + this.buffer.length);
    }
    const means = this.mergedMeans;
    const weights = this.mergedWeights;
    const total = this.merged + bufferedCount;
    // Each limit is first taken from roughLimit, within `slack` of qLimit's; qLimit itself is
    // computed only for a centroid whose weight lands that close to the limit, so every merge
    // decision, and with it every centroid, is the one qLimit alone would give.
    const slack = ROUGH_LIMIT_ERROR * total;
    let centroids = 0;
    let cumulative = 0;
    let limit = this.roughLimit(0, total);
    let mean = NaN;
    let weight = 0;
    for (let c = 0, b = 0; c < oldCentroids || b < bufferedCount; ) {
      const fromCentroid = c < oldCentroids && (b >= bufferedCount || oldMeans[c] <= buffered[b]);
      const m = fromCentroid ? oldMeans[c] : buffered[b];
      const w = fromCentroid ? oldWeights[c++] : (b++, 1);
      if (weight === 0) {
        mean = m;
        weight = w;
        continue;
      }
      const grown = cumulative + weight + w;
      // The unary plus keeps `limit` a plain double in V8's optimized loop: with the call's result
      // as it is, every limit was boxed on the heap, one allocation per centroid of every merge.
      if (Math.abs(grown - limit) <= slack) limit = +this.qLimit(cumulative, total);
      if (grown <= limit) {
        weight += w;
        mean += ((m - mean) * w) / weight;
      } else {
        means[centroids] = mean;
        weights[centroids++] = weight;
        cumulative += weight;
        limit = this.roughLimit(cumulative, total);
        mean = m;
        weight = w;
      }
    }
    means[centroids] = mean;
    weights[centroids++] = weight;
    this.mergedMeans = oldMeans;
    this.mergedWeights = oldWeights;
    this.means = means;
    this.weights = weights;
    this.centroids = centroids;
    if (this.weightBefore.length < means.length) this.weightBefore = new Float64Array(means.length);
    this.updateWeightBefore();
    this.merged = total;
    this.buffered = 0;
  }

  private updateWeightBefore(): void {
    let sum = 0;
    for (let i = 0; i < this.centroids; i++) {
      this.weightBefore[i] = sum;
      sum += this.weights[i];
    }
  }

  /**
   * qLimit without the arcsine and sine, which took most of a merge's time: with s = 2q − 1 =
   * sin(a), the next limit is (sin(a + 2π/δ) + 1)/2, and sin(a + b) = s·cos b + √(1 − s²)·sin b.
   * Within ROUGH_LIMIT_ERROR·total of qLimit; qLimit itself where k1's cap at δ/4 is that close.
   */
  private roughLimit(cumulative: number, total: number): number {
    const s = (2 * cumulative) / total - 1;
    // k >= δ/4 exactly when a >= π/2 − 2π/δ, i.e. when s >= cos(2π/δ): the limit is the total.
    if (Math.abs(s - this.stepCos) <= ROUGH_LIMIT_ERROR) return this.qLimit(cumulative, total);
    if (s > this.stepCos) return total;
    const sine = s * this.stepCos + Math.sqrt((1 - s) * (1 + s)) * this.stepSin;
    return ((sine + 1) / 2) * total;
  }

  /** Largest cumulative weight the centroid starting at `cumulative` may reach: k1(q) + 1. */
  private qLimit(cumulative: number, total: number): number {
    const q = cumulative / total;
    const k = (this.compression / (2 * Math.PI)) * Math.asin(2 * q - 1) + 1;
    const qNext = k >= this.compression / 4 ? 1 : (Math.sin((2 * Math.PI * k) / this.compression) + 1) / 2;
    return qNext * total;
  }
}

/**
 * How far roughLimit may be from qLimit, as a share of the total weight. Both are within a few
 * units in the last place (about 1e-15) of the exact k1 limit; the slack is ten thousand times that.
 */
const ROUGH_LIMIT_ERROR = 1e-11;

/**
 * Sorts the first `count` values in place, ascending, -0 before 0 as a Float64Array's own sort
 * puts them: an insertion sort of the few dozen buffered values, which allocates nothing (the
 * buffer's sort needed a view of it on every merge, and the threshold's digest merges on every
 * event).
 */
function sortAscending(values: Float64Array, count: number): void {
  for (let i = 1; i < count; i++) {
    const value = values[i];
    let j = i - 1;
    while (j >= 0 && (values[j] > value || (values[j] === 0 && value === 0 && 1 / values[j] > 0 && 1 / value < 0))) {
      values[j + 1] = values[j];
      j -= 1;
    }
    values[j + 1] = value;
  }
}

function interpolate(x: number, x0: number, x1: number, y0: number, y1: number): number {
  if (x1 <= x0) return (y0 + y1) / 2;
  return y0 + ((x - x0) / (x1 - x0)) * (y1 - y0);
}
