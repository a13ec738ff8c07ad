/**
 * The source IPs whose state is kept: at most `maxIps` of them, the least recently used
 * evicted first (LRU), and any IP idle for `idleTtlSeconds` of event time evicted as well.
 *
 * A scan storm brings a million distinct source IPs, most of them seen once; without a bound
 * their state would grow without limit. LRU keeps the IPs that are active now (an attacker in
 * the middle of a brute force is touched every second); the TTL frees the memory of IPs that
 * went quiet even when the table is not full, and makes an IP that comes back after the TTL
 * count as new again.
 *
 * A Map finds an IP's state; a doubly linked list threaded through the states themselves
 * (`older`/`newer`, no node object per IP) keeps them in order of last use, so using,
 * evicting and finding the least recently used are all O(1). (The shortcut of deleting and
 * re-inserting Map keys to keep them in use order is not O(1): each `map.keys().next()`
 * walks over every deleted slot at the front of V8's table, and under a scan storm that
 * slowed eviction by two orders of magnitude.)
 *
 * Idle IPs are found from the least recently used end, which is the order of last use, not of
 * last event time; the two differ only by how late a late event was, so an idle IP behind a
 * late one is evicted that much later. `get` never returns an IP that is idle, whatever its place.
 *
 * ```ts
 * class Seen { older?: Seen; newer?: Seen; constructor(readonly ip: string, public lastSecond: number) {} }
 * const ips = new TrackedSourceIps<Seen>(100_000, 3600, () => {});
 * ips.use(new Seen("203.0.113.7", 1000));
 * assert.equal(ips.get("203.0.113.7", 2000)?.ip, "203.0.113.7");  // use() it again to mark it most recently used
 * assert.equal(ips.get("203.0.113.7", 4600), undefined);          // idle for 3,600 s, evicted
 * ```
 */

/** What TrackedSourceIps needs of a state: its IP, when it was last seen, and room for the list's links. */
export interface TrackedSourceIp<State> {
  readonly ip: string;
  lastSecond: number;
  older?: State;
  newer?: State;
}

export class TrackedSourceIps<State extends TrackedSourceIp<State>> {
  private readonly states = new Map<string, State>();
  private oldest: State | undefined;
  private newest: State | undefined;
  /** IPs evicted because the table was full. */
  evictedLeastRecentlyUsed = 0;
  /** IPs evicted because they were idle for the TTL. */
  evictedIdle = 0;

  constructor(
    private readonly maxIps: number,
    private readonly idleTtlSeconds: number,
    private readonly onEvict: (state: State) => void,
  ) {
    if (!Number.isInteger(maxIps) || maxIps < 1) throw new RangeError(`maxIps must be a positive integer, not ${maxIps}`);
    if (!(idleTtlSeconds > 0)) throw new RangeError(`idleTtlSeconds must be positive, not ${idleTtlSeconds}`);
  }

  get size(): number {
    return this.states.size;
  }

  /** The state of `ip`, or undefined if it is not tracked or has been idle for the TTL at second `now`. */
  get(ip: string, now: number): State | undefined {
    // A source's events come in runs: the most recently used IP is the one asked for again.
    const state = this.newest?.ip === ip ? this.newest : this.states.get(ip);
    if (state && now - state.lastSecond >= this.idleTtlSeconds) {
      this.evict(state);
      this.evictedIdle += 1;
      return undefined;
    }
    return state;
  }

  /** The state of `ip` as it is tracked, idle or not, leaving its place in the order as it is. */
  peek(ip: string): State | undefined {
    return this.states.get(ip);
  }

  /** Stops tracking `state` (a tracked one), as an eviction does, without counting it as one. */
  forget(state: State): void {
    this.evict(state);
  }

  /** Marks `state` as the most recently used, tracking it if it is new; evicts the least recently used beyond `maxIps`. */
  use(state: State): void {
    if (state === this.newest) return;
    // Told by its links rather than a second look-up: every state in the list but the oldest
    // links to an older one.
    if (state.older !== undefined || state === this.oldest) {
      this.unlink(state);
    } else {
      this.states.set(state.ip, state);
    }
    state.older = this.newest;
    state.newer = undefined;
    if (this.newest) this.newest.newer = state;
    else this.oldest = state;
    this.newest = state;
    if (this.states.size > this.maxIps && this.oldest) {
      this.evict(this.oldest);
      this.evictedLeastRecentlyUsed += 1;
    }
  }

  /** Evicts the IPs idle for the TTL at second `now`, from the least recently used on. */
  evictIdle(now: number): void {
    while (this.oldest && now - this.oldest.lastSecond >= this.idleTtlSeconds) {
      this.evict(this.oldest);
      this.evictedIdle += 1;
    }
  }

  private evict(state: State): void {
    this.states.delete(state.ip);
    this.unlink(state);
    this.onEvict(state);
  }

  private unlink(state: State): void {
    if (state.older) state.older.newer = state.newer;
    else this.oldest = state.newer;
    if (state.newer) state.newer.older = state.older;
    else this.newest = state.older;
    state.older = undefined;
    state.newer = undefined;
  }
}
