/**
 * How many distinct values (usernames, passwords, ports) appeared in the last W seconds, for
 * any W up to the longest window, in bounded memory: a sliding-window KMV sketch.
 *
 * KMV ("k minimum values", Bar-Yossef, Jayram, Kumar, Sivakumar & Trevisan, RANDOM 2002)
 * hashes every value to [0, 1) and estimates the number of distinct values as (k - 1) / U(k),
 * U(k) being the k-th smallest hash seen: unbiased, with a relative standard error of about
 * 1 / sqrt(k - 2) (Beyer, Haas, Reinwald, Sismanis & Gemulla, SIGMOD 2007). For a sliding
 * window each retained hash carries the second its value was last seen, and a value is
 * forgotten once more than k values with smaller hashes were seen at the same time or later:
 * no window that still holds it can need it among its k smallest (the dominance rule of
 * Datar, Gionis, Indyk & Motwani's sliding-window sampling, SODA 2002). A random order keeps
 * about k (1 + ln(n / k)) hashes for n distinct values; `maxEntries` caps the rest.
 *
 * Consequences a reader of the features sees:
 * - Exact (up to 32-bit hash collisions) while a window holds at most k distinct values:
 *   then nothing in that window was forgotten.
 * - Above k, the KMV estimate, rounded, and never below the number of retained values in the
 *   window (those are certainly distinct).
 * - If an adversary who knows the fixed hash seed crafts values whose hashes rise over time,
 *   nothing is dominated and the cap forgets the oldest values first, so the longest window
 *   undercounts. The seed is fixed so that a replay gives the same features as the live run.
 *
 * ```ts
 * const passwords = new SlidingDistinctCount();
 * passwords.add("123456", 1000);
 * passwords.add("admin", 1010);
 * passwords.add("123456", 1020);
 * assert.equal(passwords.count(1011), 1);  // only "123456" was seen at or after second 1011
 * assert.equal(passwords.count(1000), 2);
 * ```
 */
import { murmurHash3 } from "./murmur-hash3";

const HASH_SEED = 0x9e3779b9;
const HASH_RANGE = 2 ** 32;
/** Flat layout: [hash, lastSecond, dominators] per value, sorted by hash. */
const STRIDE = 3;
/** Below this many numbers (16 values) the entries are kept at their exact size. */
const SMALL = 16 * STRIDE;

export class SlidingDistinctCount {
  private entries: number[] = [];
  /**
   * No retained value was last seen before `earliest` nor after `latest` (bounds, not always
   * the exact extremes): a window reaching back to `earliest` holds every value, and a value
   * seen after `latest` has no dominators yet. Each event asks for the longest window right
   * after forgetting what it no longer needs, so both shortcuts spare a pass over the values.
   */
  private earliest = Infinity;
  private latest = -Infinity;

  /**
   * @param k values counted exactly per window before estimating; the estimate's relative
   *   standard error is about 1 / sqrt(k - 2), 12.7% at the default 64.
   * @param maxEntries hard cap on retained values; the default is far above the
   *   k (1 + ln(n / k)) a random stream needs (about 700 for a million distinct values).
   */
  constructor(
    private readonly k = 64,
    private readonly maxEntries = 16 * k,
  ) {
    if (!Number.isInteger(k) || k < 2) throw new RangeError(`k must be an integer >= 2, not ${k}`);
    if (!(maxEntries >= k + 1)) throw new RangeError(`maxEntries must be at least k + 1, not ${maxEntries}`);
  }

  /** A sketch of its own with the same values: what a caller that may take back an add keeps. */
  copy(): SlidingDistinctCount {
    const copy = new SlidingDistinctCount(this.k, this.maxEntries);
    copy.entries = this.entries.slice();
    copy.earliest = this.earliest;
    copy.latest = this.latest;
    return copy;
  }

  /** Values retained (the sketch's size), for memory accounting and tests. */
  get size(): number {
    return this.entries.length / STRIDE;
  }

  /** Records `value` as seen at `second`. A value seen again keeps the later of its two seconds. */
  add(value: string, second: number): void {
    if (second < this.earliest) this.earliest = second;
    const hash = murmurHash3(value, HASH_SEED);
    const e = this.entries;
    const at = this.indexOf(hash);
    if (at < e.length && e[at] === hash) {
      const previous = e[at + 1];
      if (second <= previous) return;
      e[at + 1] = second;
      e[at + 2] = this.dominatorsBefore(at, second);
      // Values with a larger hash last seen in (previous, second] are now dominated by this one.
      this.dominate(at + STRIDE, previous, second);
      if (e[at + 2] > this.k) e.splice(at, STRIDE); // seen again, but late: still dominated
    } else {
      const dominators = this.dominatorsBefore(at, second);
      if (dominators > this.k) return; // a late value no window can need
      // Most sketches hold a handful of values (one username, one port) for life; growing in
      // place would reserve half as much again plus 16 slots, so small ones are rebuilt at
      // their exact size. Large ones (a brute force) grow in place: copying would be slow.
      if (e.length < SMALL) this.entries = e.slice(0, at).concat([hash, second, dominators], e.slice(at));
      else e.splice(at, 0, hash, second, dominators);
      this.dominate(at + STRIDE, -Infinity, second);
    }
    if (second > this.latest) this.latest = second;
    if (this.size > this.maxEntries) this.forgetOldest();
  }

  /**
   * Distinct values last seen at or after `sinceSecond`: exact up to k of them, estimated
   * above. For a window of W seconds ending at second `now`, pass `now - W + 1`.
   */
  count(sinceSecond: number): number {
    const e = this.entries;
    if (sinceSecond <= this.earliest) {
      const retained = e.length / STRIDE;
      return retained <= this.k ? retained : this.estimate(retained, e[(this.k - 1) * STRIDE]);
    }
    let inWindow = 0;
    let kthHash = 0;
    for (let i = 0; i < e.length; i += STRIDE) {
      if (e[i + 1] < sinceSecond) continue;
      inWindow += 1;
      if (inWindow === this.k) kthHash = e[i];
    }
    return inWindow <= this.k ? inWindow : this.estimate(inWindow, kthHash);
  }

  /** The KMV estimate from the k-th smallest hash in a window of `inWindow` values, never below them. */
  private estimate(inWindow: number, kthHash: number): number {
    const estimate = (this.k - 1) / ((kthHash + 1) / HASH_RANGE);
    return Math.max(inWindow, Math.round(estimate));
  }

  /** Drops values last seen before `second`; no window reaching back only to `second` needs them. */
  forgetBefore(second: number): void {
    if (second <= this.earliest) return;
    const e = this.entries;
    let write = 0;
    let earliest = Infinity;
    for (let read = 0; read < e.length; read += STRIDE) {
      const seen = e[read + 1];
      if (seen < second) continue;
      if (seen < earliest) earliest = seen;
      if (write !== read) {
        e[write] = e[read];
        e[write + 1] = seen;
        e[write + 2] = e[read + 2];
      }
      write += STRIDE;
    }
    e.length = write;
    this.earliest = earliest;
  }

  /** Position of `hash`, or where it would be inserted, by binary search over the sorted hashes. */
  private indexOf(hash: number): number {
    let lo = 0;
    let hi = this.entries.length / STRIDE;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.entries[mid * STRIDE] < hash) lo = mid + 1;
      else hi = mid;
    }
    return lo * STRIDE;
  }

  /** Retained values with a smaller hash than the one at `end`, seen at `second` or later. */
  private dominatorsBefore(end: number, second: number): number {
    if (second > this.latest) return 0;
    let n = 0;
    for (let i = 0; i < end; i += STRIDE) if (this.entries[i + 1] >= second) n += 1;
    return n;
  }

  /**
   * Every value from `start` on (all with larger hashes) last seen in (after, upTo] gains a
   * dominator; those with more than k are forgotten. Removing a dominated value never lowers
   * another value's count: whatever it dominated is dominated by all of its own dominators too.
   */
  private dominate(start: number, after: number, upTo: number): void {
    const e = this.entries;
    let write = start;
    for (let read = start; read < e.length; read += STRIDE) {
      const seen = e[read + 1];
      let dominators = e[read + 2];
      if (seen > after && seen <= upTo) dominators += 1;
      if (dominators > this.k) continue;
      e[write] = e[read];
      e[write + 1] = seen;
      e[write + 2] = dominators;
      write += STRIDE;
    }
    e.length = write;
  }

  /**
   * Over the cap: forget the value seen longest ago. Values it dominated were seen in the same
   * second and keep a count one too high; they are the next to be forgotten either way.
   */
  private forgetOldest(): void {
    const e = this.entries;
    let oldest = 0;
    for (let i = STRIDE; i < e.length; i += STRIDE) if (e[i + 1] < e[oldest + 1]) oldest = i;
    e.splice(oldest, STRIDE);
  }
}
