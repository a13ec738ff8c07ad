/**
 * A Map that holds at most `capacity` entries and forgets the least recently used one first.
 *
 * Per-session and per-event state must stay bounded: a scan storm opens a million sessions,
 * most of which never log `session.closed`. A JavaScript Map iterates in insertion order, so
 * re-inserting an entry on every use keeps the least recently used one first and eviction is
 * O(1) (the classic LinkedHashMap-with-access-order construction, without the linked list).
 *
 *     const recent = new LruMap<string, number>(2);
 *     recent.set("a", 1); recent.set("b", 2);
 *     recent.get("a");      // 1, and "a" is now the most recently used
 *     recent.set("c", 3);   // evicts "b"
 */
export class LruMap<K, V> {
  private readonly entries = new Map<K, V>();
  /** How many entries were pushed out to make room; a sign the capacity is too small. */
  evicted = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
  }

  get size(): number {
    return this.entries.size;
  }

  /** The value, marking the entry as the most recently used. */
  get(key: K): V | undefined {
    if (!this.entries.has(key)) return undefined;
    const value = this.entries.get(key) as V;
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  has(key: K): boolean {
    return this.entries.has(key);
  }

  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) {
      this.entries.delete(this.entries.keys().next().value as K);
      this.evicted += 1;
    }
  }

  delete(key: K): boolean {
    return this.entries.delete(key);
  }
}
