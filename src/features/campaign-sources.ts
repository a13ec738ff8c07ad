/**
 * Detection across sources: how many distinct new sources used the same credential pair,
 * command line, client version or HASSH within the last few minutes. One botnet working
 * through a shared combo list, or one exploit sprayed from fresh addresses, shows as many
 * sources behind one key, where each source alone looks like any other scanner.
 *
 * Keys live in a bounded LRU table (a scan storm brings endless distinct passwords), each with
 * a sliding distinct count of its sources (exact up to 64 per window, a KMV sketch beyond).
 *
 *     const campaigns = new CampaignSources(300);
 *     campaigns.observe(campaignKeysOf(event), "198.51.100.4", second);  // { window: 25, recent: 12 } distinct sources
 */
import type { CanonicalEvent } from "../domain/canonical-event";
import { LruMap } from "../collections/lru-map";
import { SlidingDistinctCount } from "../sketch/sliding-distinct-count";

// Attacker text is hashed by the sketch, but the key itself is held: a megabyte of input needs no more than its head.
const MAX_KEY_LENGTH = 512;

const NO_KEYS: readonly string[] = Object.freeze([]);

/** The keys an event shares with a campaign's other sources, if it has any (most events have none). */
export function campaignKeysOf(event: Partial<CanonicalEvent>): readonly string[] {
  const eventid = event.eventid;
  if (eventid === undefined) return NO_KEYS;
  if (eventid.startsWith("cowrie.login.") && typeof event.username === "string") {
    return [`credentials\u0000${head(event.username)}\u0000${head(event.password ?? event.key_fingerprint ?? "")}`];
  }
  if (eventid === "cowrie.command.input" && typeof event.input === "string") return [`command\u0000${head(event.input)}`];
  if (eventid === "cowrie.client.version" && typeof event.client_version === "string") {
    // Cowrie 1.x wrote the key exchange on the client.version too: its HASSH keys a campaign as 2.x's client.kex does.
    const client = `client\u0000${head(event.client_version)}`;
    return typeof event.hassh === "string" ? [client, `hassh\u0000${head(event.hassh)}`] : [client];
  }
  if (eventid === "cowrie.client.kex" && typeof event.hassh === "string") return [`hassh\u0000${head(event.hassh)}`];
  return NO_KEYS;
}

function head(text: string): string {
  return text.slice(0, MAX_KEY_LENGTH);
}

export class CampaignSources {
  private readonly keys: LruMap<string, SlidingDistinctCount>;

  constructor(readonly windowSeconds = 300, maxKeys = 20_000) {
    this.keys = new LruMap(maxKeys);
  }

  /**
   * Copies of the counts of `keys` (undefined for a key not yet held), for taking back an
   * observation (`restore`): window features counts an event far ahead of its clock at once, and
   * its second, forgetting all before it, would clear the key of every source that shares it.
   */
  snapshot(keys: readonly string[]): Array<[string, SlidingDistinctCount | undefined]> {
    return keys.map((key) => [key, this.keys.peek(key)?.copy()]);
  }

  /** The counts of the snapshot's keys as they were. */
  restore(snapshot: ReadonlyArray<[string, SlidingDistinctCount | undefined]>): void {
    for (const [key, sources] of snapshot) {
      if (sources) this.keys.set(key, sources);
      else this.keys.delete(key);
    }
  }

  /**
   * Counts `ip` under each of `keys` at `second` (unless `counted` is false: only new sources
   * make a campaign); the most distinct sources any of them had in the window ending then, and
   * in its last `recentSeconds` (a campaign's burst, which background keys rarely match).
   */
  observe(keys: readonly string[], ip: string, second: number, counted = true, recentSeconds = 60): { window: number; recent: number } {
    const since = second - this.windowSeconds + 1;
    const recentSince = second - recentSeconds + 1;
    let most = 0;
    let recent = 0;
    for (const key of keys) {
      let sources = this.keys.get(key);
      if (!sources) {
        sources = new SlidingDistinctCount();
        this.keys.set(key, sources);
      }
      sources.forgetBefore(since);
      if (counted) sources.add(ip, second);
      most = Math.max(most, sources.count(since));
      recent = Math.max(recent, sources.count(recentSince));
    }
    return { window: most, recent };
  }
}
