/**
 * A Map that holds at most `capacity` entries and forgets the least recently used one first.
 *
 * Per-session and per-event state must stay bounded: a scan storm opens a million sessions,
 * most of which never log `session.closed`. Entries form a doubly linked list in recency order
 * beside a Map for lookup (the classic LinkedHashMap-with-access-order construction), so every
 * operation is O(1). The shortcut of deleting and re-inserting Map keys to keep them in order
 * is not: V8 leaves deleted slots at the front of the table, and finding the oldest key walks
 * over them, tens of microseconds per eviction once a map of 10k-100k entries is full.
 *
 * ```ts
 * const recent = new LruMap<string, number>(2);
 * recent.set("a", 1); recent.set("b", 2);
 * assert.equal(recent.get("a"), 1);  // and "a" is now the most recently used
 * recent.set("c", 3);                // evicts "b"
 * assert.equal(recent.has("b"), false);
 * ```
 */
interface Entry<K, V> {
  key: K;
  value: V;
  older: Entry<K, V> | undefined;
  newer: Entry<K, V> | undefined;
}

export class LruMap<K, V> {
  private readonly entries = new Map<K, Entry<K, V>>();
  private oldest: Entry<K, V> | undefined;
  private newest: Entry<K, V> | undefined;
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
    // Callers often ask for the key they asked for last (one sensor's events, one source's
    // burst): it is already the most recently used, and the order stays as it is.
    if (this.newest !== undefined && this.newest.key === key) return this.newest.value;
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.unlink(entry);
    this.append(entry);
    return entry.value;
  }

  /** The value, leaving the order as it is: for a reader that must change nothing. */
  peek(key: K): V | undefined {
    return this.entries.get(key)?.value;
  }

  has(key: K): boolean {
    return this.entries.has(key);
  }

  /** Sets the value, marking the entry as the most recently used; whether the key was there already. */
  set(key: K, value: V): boolean {
    const existing = this.entries.get(key);
    if (existing) {
      existing.value = value;
      this.unlink(existing);
      this.append(existing);
      return true;
    }
    const entry: Entry<K, V> = { key, value, older: undefined, newer: undefined };
    this.entries.set(key, entry);
    this.append(entry);
    if (this.entries.size > this.capacity && this.oldest) {
      const evicted = this.oldest;
      this.unlink(evicted);
      this.entries.delete(evicted.key);
      this.evicted += 1;
    }
    return false;
  }

  delete(key: K): boolean {
    const entry = this.entries.get(key);
    if (!entry) return false;
    this.unlink(entry);
    return this.entries.delete(key);
  }

  /** The least recently used entry, which the next eviction would push out (the map's own: read it, do not keep it). */
  leastRecentlyUsed(): { readonly key: K; readonly value: V } | undefined {
    return this.oldest;
  }

  /** Every entry, least recently used first: setting them in this order rebuilds the same map. */
  *inRecencyOrder(): IterableIterator<[K, V]> {
    for (let entry = this.oldest; entry; entry = entry.newer) yield [entry.key, entry.value];
  }

  private append(entry: Entry<K, V>): void {
    entry.older = this.newest;
    entry.newer = undefined;
    if (this.newest) this.newest.newer = entry;
    this.newest = entry;
    this.oldest ??= entry;
  }

  private unlink(entry: Entry<K, V>): void {
    if (entry.older) entry.older.newer = entry.newer;
    else this.oldest = entry.newer;
    if (entry.newer) entry.newer.older = entry.older;
    else this.newest = entry.older;
    entry.older = undefined;
    entry.newer = undefined;
  }
}
