/**
 * The last `capacity` feature vectors, oldest first, which the online detector keeps to retrain
 * on or to choose a model by. It holds its own copies, and once full it writes each new vector
 * into the oldest copy's array rather than keeping a new one: a vector kept for a thousand
 * events outlives the young generation of V8's collector, and copying it into the old one, then
 * collecting it there, cost more than the detector's own work on some features.
 *
 * Its arrays never leave it: `vectors()` hands out copies, since an array it reuses would
 * change under whoever kept it (a detector that caches its last event by array, a saved state).
 *
 * ```ts
 * const recent = new RecentVectors(2);
 * for (const x of [[1], [2], [3]]) recent.push(x);
 * assert.deepEqual(recent.vectors(), [[2], [3]]);
 * ```
 */
export class RecentVectors {
  private readonly kept: number[][] = [];

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 0) throw new RangeError(`capacity must be a whole number, not ${capacity}`);
  }

  get length(): number {
    return this.kept.length;
  }

  push(x: readonly number[]): void {
    if (this.capacity === 0) return;
    const oldest = this.kept.length === this.capacity ? this.kept.shift() : undefined;
    if (oldest && oldest.length === x.length) {
      for (let j = 0; j < x.length; j++) oldest[j] = x[j];
      this.kept.push(oldest);
    } else {
      this.kept.push(x.slice());
    }
  }

  /** Copies of the vectors kept, oldest first. */
  vectors(): number[][] {
    return this.kept.map((x) => x.slice());
  }

  clear(): void {
    this.kept.length = 0;
  }
}
