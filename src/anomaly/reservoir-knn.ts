/**
 * k-nearest-neighbour outlier score over a reservoir sample of the stream: the mean distance
 * from an event to its k nearest earlier events.
 *
 * The kNN score of Ramaswamy, Rastogi & Shim, "Efficient Algorithms for Mining Outliers from
 * Large Data Sets" (SIGMOD 2000), averaged over the k neighbours as Angiulli & Pizzuti do
 * ("Fast Outlier Detection in High Dimensional Spaces", PKDD 2002), made streaming: the
 * neighbours are sought in a uniform sample of everything learned so far, kept by Vitter's
 * reservoir sampling (Algorithm R, ACM TOMS 1985), so memory and time per event are bounded
 * and, as with the ensemble's other members, a long run of one kind of event is only ever its
 * share of the whole history. Distances are Euclidean in units of each feature's running
 * standard deviation (Welford), so no global scaling is needed.
 *
 * It is the default ensemble's joint view: ECOD, the z-score and the most outlying feature
 * look at each feature on its own, and miss an event whose every value is ordinary but whose
 * combination is not (a vowel spoken by the wrong speaker).
 *
 * ```ts
 * const knn = new ReservoirKnn();
 * for (let i = 0; i < 500; i++) knn.learn([i % 10, i % 10]);
 * assert.equal(knn.score([5, 5]), 0);     // on the diagonal the stream lives on
 * assert.ok(knn.score([0, 9]) > 0.3);     // each value is common, the pair never seen
 * ```
 */
import type { AnomalyDetector } from "./anomaly-detector";

export interface ReservoirKnnOptions {
  /** Events kept as candidate neighbours. */
  reservoirSize?: number;
  /** Neighbours averaged. */
  k?: number;
  seed?: number;
}

export interface ReservoirKnnState {
  reservoirSize: number;
  k: number;
  seed: number;
  count: number;
  dimension: number;
  reservoir: number[];
  mean: number[];
  m2: number[];
}

const DEFAULT_RESERVOIR_SIZE = 256;

export class ReservoirKnn implements AnomalyDetector {
  readonly reservoirSize: number;
  readonly k: number;
  private readonly seed: number;
  private count = 0;
  private dimension = 0;
  private reservoir = new Float64Array(0);
  private mean = new Float64Array(0);
  private m2 = new Float64Array(0);
  private inverseSd = new Float64Array(0);
  private nearest = new Float64Array(0);

  constructor(options: ReservoirKnnOptions = {}) {
    this.reservoirSize = options.reservoirSize ?? DEFAULT_RESERVOIR_SIZE;
    // Enough neighbours that one kind of event making up less than a twelfth of the history,
    // and so of the reservoir, cannot fill a neighbourhood by itself and vouch for the next one.
    this.k = options.k ?? 20;
    this.seed = options.seed ?? 42;
  }

  score(x: readonly number[]): number {
    const kept = Math.min(this.count, this.reservoirSize);
    if (kept < this.k || x.length !== this.dimension) return 0;
    const d = this.dimension;
    for (let j = 0; j < d; j++) {
      const sd = Math.sqrt(this.m2[j] / (this.count - 1));
      this.inverseSd[j] = sd > 0 ? 1 / sd : 0;
    }
    // The k smallest squared distances, kept sorted by insertion: k is small beside the reservoir.
    const nearest = this.nearest;
    nearest.fill(Infinity);
    const reservoir = this.reservoir;
    const inverseSd = this.inverseSd;
    let bound = Infinity;
    for (let i = 0; i < kept; i++) {
      let distance = 0;
      for (let j = 0, offset = i * d; j < d; j++, offset++) {
        const v = (x[j] - reservoir[offset]) * inverseSd[j];
        distance += v * v;
      }
      if (distance >= bound) continue;
      let slot = this.k - 1;
      while (slot > 0 && nearest[slot - 1] > distance) {
        nearest[slot] = nearest[slot - 1];
        slot -= 1;
      }
      nearest[slot] = distance;
      bound = nearest[this.k - 1];
    }
    let sum = 0;
    for (let i = 0; i < this.k; i++) sum += Math.sqrt(nearest[i]);
    // Per feature, so that 6 and 66 features read alike; the ensemble only ranks it.
    const perFeature = sum / this.k / Math.sqrt(d);
    return 1 - Math.exp(-perFeature / 4);
  }

  learn(x: readonly number[]): void {
    if (x.length !== this.dimension) this.reset(x.length);
    this.count += 1;
    const d = this.dimension;
    for (let j = 0; j < d; j++) {
      const delta = x[j] - this.mean[j];
      this.mean[j] += delta / this.count;
      this.m2[j] += delta * (x[j] - this.mean[j]);
    }
    const slot = this.count <= this.reservoirSize ? this.count - 1 : this.replacedSlot();
    if (slot < this.reservoirSize) for (let j = 0; j < d; j++) this.reservoir[slot * d + j] = x[j];
  }

  /**
   * Algorithm R: the n-th event replaces a uniformly drawn slot of [0, n), kept only if the slot
   * is in the reservoir. The draw hashes n (MurmurHash3's finalizer) rather than advancing a
   * generator, so a restored detector draws exactly what the saved one would have.
   */
  private replacedSlot(): number {
    let h = (this.count ^ this.seed) >>> 0;
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
    h = (h ^ (h >>> 16)) >>> 0;
    return Math.floor((h / 4294967296) * this.count);
  }

  private reset(dimension: number): void {
    this.count = 0;
    this.dimension = dimension;
    this.reservoir = new Float64Array(this.reservoirSize * dimension);
    this.mean = new Float64Array(dimension);
    this.m2 = new Float64Array(dimension);
    this.inverseSd = new Float64Array(dimension);
    this.nearest = new Float64Array(this.k);
  }

  /** No attribution to features: a distance in many features at once is the point of this view. */
  featureOutlyingness(): undefined {
    return undefined;
  }

  usualRange(): undefined {
    return undefined;
  }

  toJSON(): ReservoirKnnState {
    const kept = Math.min(this.count, this.reservoirSize) * this.dimension;
    return {
      reservoirSize: this.reservoirSize, k: this.k, seed: this.seed, count: this.count, dimension: this.dimension,
      reservoir: Array.from(this.reservoir.subarray(0, kept)), mean: Array.from(this.mean), m2: Array.from(this.m2),
    };
  }

  static fromJSON(state: ReservoirKnnState): ReservoirKnn {
    // Sizes from a file are held to this version's: every score scans the whole reservoir, so a larger
    // one costs each event in proportion and grows with the stream, and k counts neighbours it holds.
    const { reservoirSize, k } = state;
    if (!(Number.isInteger(reservoirSize) && reservoirSize >= 1 && reservoirSize <= DEFAULT_RESERVOIR_SIZE && Number.isInteger(k) && k >= 1 && k <= reservoirSize)) {
      throw new RangeError(`not a saved kNN reservoir: its size must be a whole number up to ${DEFAULT_RESERVOIR_SIZE}, and k one up to its size`);
    }
    const knn = new ReservoirKnn({ reservoirSize: state.reservoirSize, k: state.k, seed: state.seed });
    if (state.dimension > 0) knn.reset(state.dimension);
    knn.count = state.count;
    knn.reservoir.set(state.reservoir);
    knn.mean.set(state.mean);
    knn.m2.set(state.m2);
    return knn;
  }
}
