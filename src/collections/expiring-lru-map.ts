/**
 * An LRU map whose entries also expire: what a cache of answers from a remote service needs,
 * bounded in size (an attack wave brings thousands of new addresses) and in age (a verdict about
 * an address goes stale: yesterday's clean VPS is today's scanner).
 *
 * ```ts
 * let now = 0;
 * const verdicts = new ExpiringLruMap<string, string>(10_000, 24 * 3600_000, () => now);
 * verdicts.set("203.0.113.7", "scanner");
 * assert.equal(verdicts.get("203.0.113.7"), "scanner");
 * now += 24 * 3600_000;                                 // a day later
 * assert.equal(verdicts.get("203.0.113.7"), undefined);
 * ```
 */
import { LruMap } from "./lru-map";

export class ExpiringLruMap<K, V> {
  private readonly entries: LruMap<K, { value: V; expiresAt: number }>;

  constructor(capacity: number, private readonly ttlMs: number, private readonly now: () => number = Date.now) {
    this.entries = new LruMap(capacity);
  }

  get size(): number {
    return this.entries.size;
  }

  /** The value, if set less than the time to live ago. */
  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (this.now() >= entry.expiresAt) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key: K, value: V): void {
    this.entries.set(key, { value, expiresAt: this.now() + this.ttlMs });
  }
}
