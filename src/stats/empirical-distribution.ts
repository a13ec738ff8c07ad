/**
 * The empirical distribution of one feature's values, for rank queries: exact counts per
 * distinct value while the feature has few, a t-digest once it has many.
 *
 * Most window features are counts (failed logins, sessions, usernames, ports) that take a few
 * dozen distinct values. For them a table of counts answers "how many values lie below x"
 * exactly, by binary search over the sorted distinct values and a Fenwick tree of their counts
 * (Fenwick, "A new data structure for cumulative frequency tables", Software: Practice and
 * Experience 24(3), 1994): O(log k) per query and per value learned, no allocation, where a
 * t-digest merges its buffer every few dozen values and spreads ties over centroids of
 * fractional mean. A feature that passes `maxDistinct` distinct values (entropies, durations,
 * inter-arrival times) becomes a TDigest seeded with the table - one exact centroid per
 * distinct value, which its next merge compresses - and goes on as one.
 *
 * 256 distinct values by default: at its cap the table (values, counts and tree: 3 × 256
 * numbers) takes about 1.5 times a δ = 100 digest's arrays (five of ~100 numbers and a 25-value
 * buffer). Over three hours of generated sensor log, 44 of the 58 scored features stay exact;
 * the continuous ones (durations, inter-arrival times, failure ratios) and the busiest counts
 * (events and failed logins over 1 and 5 minutes) pass the cap. Ranks follow TDigest.cdf: ties count half (mid-rank), so both forms
 * agree on data the digest still holds exactly.
 *
 * ```ts
 * const failedLogins = new EmpiricalDistribution();
 * for (const v of [0, 0, 0, 1, 3]) failedLogins.add(v);
 * assert.equal(failedLogins.rank(1), 3.5);       // three values below 1, and half of the one equal to it
 * assert.equal(failedLogins.cdf(2), 0.8);
 * assert.equal(failedLogins.quantile(0.95), 3);  // nearest rank
 * ```
 */
import { isTDigestCompression, TDigest, TDigestState } from "../sketch/t-digest";

const DEFAULT_MAX_DISTINCT = 256;

/** The exact form's state; a TDigestState is the digest form's (and every state saved before the table existed). */
export interface DistinctValueCountsState {
  compression: number;
  maxDistinct: number;
  /** Distinct values seen, ascending. */
  values: number[];
  counts: number[];
}

export type EmpiricalDistributionState = DistinctValueCountsState | TDigestState;

export class EmpiricalDistribution {
  private values = new Float64Array(8);
  private counts = new Float64Array(8);
  /** Fenwick tree over `counts`: tree[p] sums counts[p - (p & -p)] ... counts[p - 1]. */
  private tree = new Float64Array(9);
  private distinct = 0;
  private total = 0;
  /** Where the last rank query landed: a detector learns the very value it has just scored. */
  private lastIndex = 0;
  /** Set once the feature has passed `maxDistinct` distinct values; the table is then unused. */
  private digest: TDigest | undefined;

  constructor(readonly compression = 100, readonly maxDistinct = DEFAULT_MAX_DISTINCT) {
    if (!Number.isInteger(maxDistinct) || maxDistinct < 1) throw new RangeError(`maxDistinct must be a positive integer, got ${maxDistinct}`);
    // Here rather than when the table turns into a digest, events later: a saved model is refused as it is read.
    if (!isTDigestCompression(compression)) throw new RangeError(`compression must suit a t-digest, got ${String(compression)}`);
  }

  get count(): number {
    return this.digest ? this.digest.count : this.total;
  }

  /** Whether ranks are still exact (counts per distinct value) rather than a t-digest's estimate. */
  get isExact(): boolean {
    return this.digest === undefined;
  }

  add(value: number): void {
    if (this.digest) {
      this.digest.add(value);
      return;
    }
    if (!Number.isFinite(value)) return; // as TDigest: a NaN or infinite feature has no rank to learn
    const hint = this.lastIndex;
    const i = hint < this.distinct && this.values[hint] === value ? hint : this.lowerBound(value);
    if (i >= this.distinct || this.values[i] !== value) {
      if (this.distinct === this.maxDistinct) {
        this.digest = this.toDigest();
        this.digest.add(value);
        return;
      }
      this.insertDistinct(i, value);
    }
    this.counts[i] += 1;
    for (let p = i + 1; p <= this.distinct; p += p & -p) this.tree[p] += 1;
    this.total += 1;
  }

  /** Values below `value` plus half of those equal to it: `value`'s mid-rank among the values seen. */
  rank(value: number): number {
    if (this.digest) return this.digest.cdf(value) * this.digest.count;
    if (Number.isNaN(value)) return NaN; // as TDigest: NaN has no rank
    const i = this.lowerBound(value);
    this.lastIndex = i;
    let below = 0;
    for (let p = i; p > 0; p &= p - 1) below += this.tree[p];
    return i < this.distinct && this.values[i] === value ? below + this.counts[i] / 2 : below;
  }

  /** P(X ≤ value) with ties counted half, as TDigest.cdf; 0.5 before any value. */
  cdf(value: number): number {
    if (this.digest) return this.digest.cdf(value);
    return this.total === 0 ? 0.5 : this.rank(value) / this.total;
  }

  /** The smallest value seen with at least a share q of the values at or below it (nearest rank); the digest's estimate once there are many. */
  quantile(q: number): number {
    if (this.digest) return this.digest.quantile(q);
    if (this.total === 0) return NaN;
    const target = q * this.total;
    let cumulative = 0;
    for (let i = 0; i < this.distinct - 1; i++) {
      cumulative += this.counts[i];
      if (cumulative >= target) return this.values[i];
    }
    return this.values[this.distinct - 1];
  }

  toJSON(): EmpiricalDistributionState {
    if (this.digest) return this.digest.toJSON();
    return {
      compression: this.compression,
      maxDistinct: this.maxDistinct,
      values: Array.from(this.values.subarray(0, this.distinct)),
      counts: Array.from(this.counts.subarray(0, this.distinct)),
    };
  }

  /**
   * The distribution `state` saved. A state that is none (a saved model edited by hand) throws a
   * RangeError rather than give ranks that are NaN from then on, or throw on the next value.
   */
  static fromJSON(state: EmpiricalDistributionState): EmpiricalDistribution {
    if (typeof state !== "object" || state === null) throw new RangeError("not a saved distribution");
    if ("means" in state) {
      const distribution = new EmpiricalDistribution(state.compression);
      distribution.digest = TDigest.fromJSON(state);
      return distribution;
    }
    // Every new distinct value costs the exact table a pass over the ones it holds: a cap from a file
    // above this version's own would keep a continuous feature exact, its memory and that cost growing
    // with every value it has seen.
    if (!(state.maxDistinct <= DEFAULT_MAX_DISTINCT)) throw new RangeError(`not a saved distribution: its cap is above ${DEFAULT_MAX_DISTINCT}`);
    const distribution = new EmpiricalDistribution(state.compression, state.maxDistinct);
    const { values, counts } = state;
    const finite = (list: unknown) => Array.isArray(list) && list.every((x) => typeof x === "number" && Number.isFinite(x));
    const valid = finite(values) && finite(counts) && values.length === counts.length && values.length <= distribution.maxDistinct
      && values.every((value, i) => i === 0 || values[i - 1] < value) && counts.every((count) => count > 0);
    if (!valid) throw new RangeError("not a saved distribution: its values are not finite and ascending, each with a count above 0");
    const k = state.values.length;
    distribution.values = Float64Array.from(state.values);
    distribution.counts = Float64Array.from(state.counts);
    distribution.tree = new Float64Array(k + 1);
    distribution.distinct = k;
    distribution.total = state.counts.reduce((sum, c) => sum + c, 0);
    distribution.rebuildTree();
    return distribution;
  }

  /** Index of the first distinct value ≥ `value` (`distinct` if none). */
  private lowerBound(value: number): number {
    const values = this.values;
    let lo = 0;
    let hi = this.distinct;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (values[mid] < value) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Makes room for a new distinct value at index i, with count 0. Happens at most `maxDistinct` times. */
  private insertDistinct(i: number, value: number): void {
    if (this.distinct === this.values.length) {
      const capacity = Math.min(this.maxDistinct, Math.max(8, 2 * this.values.length));
      const values = new Float64Array(capacity);
      const counts = new Float64Array(capacity);
      values.set(this.values);
      counts.set(this.counts);
      this.values = values;
      this.counts = counts;
      this.tree = new Float64Array(capacity + 1);
    }
    this.values.copyWithin(i + 1, i, this.distinct);
    this.counts.copyWithin(i + 1, i, this.distinct);
    this.values[i] = value;
    this.counts[i] = 0;
    this.distinct += 1;
    this.rebuildTree();
  }

  /** Fenwick's linear-time construction: each node passes its sum on to its parent. */
  private rebuildTree(): void {
    const { tree, counts, distinct } = this;
    tree.fill(0);
    for (let p = 1; p <= distinct; p++) {
      tree[p] += counts[p - 1];
      const parent = p + (p & -p);
      if (parent <= distinct) tree[parent] += tree[p];
    }
  }

  /** A digest holding the table as centroids: exact until its next merge compresses them. */
  private toDigest(): TDigest {
    const k = this.distinct;
    return TDigest.fromJSON({
      compression: this.compression,
      means: Array.from(this.values.subarray(0, k)),
      weights: Array.from(this.counts.subarray(0, k)),
      min: this.values[0],
      max: this.values[k - 1],
    });
  }
}
