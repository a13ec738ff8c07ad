/**
 * How many requests a service still allows: a fixed number per window (AbuseIPDB counts checks
 * per UTC day), lowered to what the service itself reports it has left, and paused until the time
 * a 429's Retry-After names. A free-tier key that runs dry answers 429 for the rest of the day; a
 * client that counts for itself stops before that, and spends its calls on the first alerts of the
 * day rather than on retries. A network (an IPv6 /64, given by the caller) may spend only a few of
 * a window's requests: one host holds a whole /64, and an attacker who rotates through its 2^64
 * addresses would otherwise spend the day's quota with as many alerts.
 *
 * ```ts
 * let now = 0;
 * const quota = new RequestQuota({ limit: 2, windowMs: 86_400_000 }, () => now);
 * assert.deepEqual([quota.take(), quota.take(), quota.take()], [true, true, false]);  // 2 a day
 * now += 86_400_000;                       // the next UTC day
 * quota.pauseUntil(now + 60_000);          // a 429's Retry-After
 * assert.equal(quota.take(), false);
 * ```
 */
import { LruMap } from "../../collections/lru-map";

export interface QuotaOptions {
  /** Requests allowed per window. */
  limit: number;
  /** The window, aligned to the Unix epoch (so a day is a UTC day). */
  windowMs: number;
}

/** Requests one network may spend in a window. */
export const MAX_PER_NETWORK = 4;
/** Networks counted at once; beyond, the least recently asked is forgotten. */
const MAX_NETWORKS = 4096;

export class RequestQuota {
  private windowStart = -Infinity;
  private used = 0;
  private usedByNetwork = new LruMap<string, number>(MAX_NETWORKS);
  private reportedLeft = Infinity;
  private pausedUntil = 0;

  constructor(readonly options: QuotaOptions, private readonly now: () => number = Date.now) {}

  /** Requests left in the current window. */
  left(): number {
    this.roll();
    return Math.max(0, Math.min(this.options.limit - this.used, this.reportedLeft));
  }

  /** Whether a request (about an address of `network`, if given) may be sent now; if so, it is counted. */
  take(network?: string): boolean {
    if (this.now() < this.pausedUntil || this.left() <= 0) return false;
    if (network !== undefined) {
      const spent = this.usedByNetwork.get(network) ?? 0;
      if (spent >= MAX_PER_NETWORK) return false;
      this.usedByNetwork.set(network, spent + 1);
    }
    this.used += 1;
    if (Number.isFinite(this.reportedLeft)) this.reportedLeft -= 1;
    return true;
  }

  /** What the service says is left (a rate-limit header), when it is less than counted. */
  report(left: number): void {
    this.roll();
    if (Number.isFinite(left) && left >= 0) this.reportedLeft = Math.min(this.reportedLeft, left);
  }

  /** No request before `epochMs` (a 429's Retry-After). */
  pauseUntil(epochMs: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, epochMs);
  }

  get pausedUntilMs(): number {
    return this.pausedUntil;
  }

  private roll(): void {
    const start = Math.floor(this.now() / this.options.windowMs) * this.options.windowMs;
    if (start !== this.windowStart) {
      this.windowStart = start;
      this.used = 0;
      this.usedByNetwork = new LruMap(MAX_NETWORKS);
      this.reportedLeft = Infinity;
    }
  }
}
