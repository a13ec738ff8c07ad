/**
 * One threat-intelligence service, asked politely: answers kept for a day (an LRU cache with a
 * time to live), a quota (the free tier's limit by default, lowered to what the service reports),
 * a deadline per request, a 429's Retry-After honoured, a circuit breaker after repeated failures,
 * and one request at a time per address. A lookup never throws: a failure is counted and shown,
 * and the address is simply not enriched.
 *
 *     const client = new IntelSourceClient(abuseIpdb, { apiKey });
 *     client.cached("203.0.113.7");                // the verdict if known and fresh, else undefined
 *     const verdict = await client.lookUp("203.0.113.7");  // undefined when not asked or failed
 */
import { ExpiringLruMap } from "../../collections/expiring-lru-map";
import { CircuitBreaker, type CircuitBreakerOptions } from "./circuit-breaker";
import { ipv6Words } from "../ip-address-number";
import { RequestQuota, type QuotaOptions } from "./request-quota";
import { boundedJsonRequest, retryAfterMs } from "./bounded-json-request";
import type { IntelService } from "./intel-services";

export interface IntelSourceOptions {
  apiKey: string;
  /** The service's address; tests point it at a local server. */
  baseUrl?: string;
  /** How long a verdict is kept; default 24 h. */
  ttlMs?: number;
  /** Addresses whose verdicts are kept; default 10,000. */
  cacheSize?: number;
  quota?: Partial<QuotaOptions>;
  /** Deadline for one request, body included; default 5 s. */
  timeoutMs?: number;
  /** Largest answer read; default 1 MiB (OTX's general section runs to tens of kilobytes). */
  maxBytes?: number;
  breaker?: CircuitBreakerOptions;
  now?: () => number;
}

/** A 429 without Retry-After pauses the service this long; a Retry-After longer than a day is read as a day. */
const DEFAULT_RETRY_AFTER_MS = 60_000;
const MAX_RETRY_AFTER_MS = 86_400_000;
/**
 * Requests in flight at once, per service. The circuit breaker counts failures as they come back:
 * without a cap, a burst of alerts from new sources while a service hangs sends one request per
 * address before the first timeout, each holding a socket and spending the day's quota. An
 * address not asked now is asked on its next alert.
 */
const MAX_IN_FLIGHT = 8;

export class IntelSourceClient<V> {
  calls = 0;
  failures = 0;
  rateLimited = 0;
  lastError = "";
  private readonly cache: ExpiringLruMap<string, V>;
  private readonly quota: RequestQuota;
  private readonly breaker: CircuitBreaker;
  private readonly inFlight = new Map<string, Promise<V | undefined>>();
  /** One per request in flight, aborted on close: a redeploy must not leave sockets open until their deadline. */
  private readonly abandons = new Set<AbortController>();
  private readonly now: () => number;

  constructor(readonly service: IntelService<V>, private readonly options: IntelSourceOptions) {
    this.now = options.now ?? Date.now;
    this.cache = new ExpiringLruMap(options.cacheSize ?? 10_000, options.ttlMs ?? 86_400_000, this.now);
    this.quota = new RequestQuota({ ...service.defaultQuota, ...definedOnly(options.quota) }, this.now);
    this.breaker = new CircuitBreaker(options.breaker, this.now);
  }

  get name(): string {
    return this.service.name;
  }

  /** Requests left in the quota's current window (today, for a daily quota). */
  get callsLeft(): number {
    return this.quota.left();
  }

  get circuit(): "closed" | "open" | "half-open" {
    return this.breaker.state;
  }

  cached(ip: string): V | undefined {
    return this.cache.get(ip);
  }

  /** Whether the service can be asked about `ip` at all (OTX and GreyNoise Community: IPv4 only). */
  accepts(ip: string): boolean {
    return this.service.accepts(ip);
  }

  /** Whether a request about `ip` is in flight. */
  asking(ip: string): boolean {
    return this.inFlight.has(ip);
  }

  /** The verdict, from the cache or the service; undefined when the service was not asked (quota, breaker) or failed. */
  lookUp(ip: string): Promise<V | undefined> {
    const cached = this.cache.get(ip);
    if (cached !== undefined) return Promise.resolve(cached);
    if (!this.service.accepts(ip)) return Promise.resolve(undefined);
    const pending = this.inFlight.get(ip);
    if (pending) return pending;
    if (this.inFlight.size >= MAX_IN_FLIGHT) return Promise.resolve(undefined);
    if (!this.breaker.allows()) return Promise.resolve(undefined);
    if (!this.quota.take(networkOf(ip))) {
      this.breaker.released(); // a trial that was never sent says nothing about the service
      return Promise.resolve(undefined);
    }
    const request = this.ask(ip).finally(() => this.inFlight.delete(ip));
    this.inFlight.set(ip, request);
    return request;
  }

  /** Abandons the requests in flight; their lookups answer undefined. */
  close(): void {
    for (const abandon of this.abandons) abandon.abort();
  }

  private async ask(ip: string): Promise<V | undefined> {
    this.calls += 1;
    const { url, headers } = this.service.request(this.options.baseUrl || this.service.defaultBaseUrl, ip, this.options.apiKey);
    const abandon = new AbortController();
    this.abandons.add(abandon);
    try {
      const reply = await boundedJsonRequest(url, { headers, timeoutMs: this.options.timeoutMs ?? 5000, maxBytes: this.options.maxBytes ?? 1 << 20,
        signal: abandon.signal });
      const left = this.service.remaining?.(reply.headers);
      if (left !== undefined) this.quota.report(left);
      if (reply.status === 429) {
        this.rateLimited += 1;
        const until = retryAfterMs(reply.headers.get("retry-after"), this.now()) ?? this.now() + DEFAULT_RETRY_AFTER_MS;
        this.quota.pauseUntil(Math.min(until, this.now() + MAX_RETRY_AFTER_MS));
        this.breaker.succeeded();
        this.lastError = "429 too many requests";
        return undefined;
      }
      const verdict = this.service.verdictOf(reply.status, reply.body);
      if (verdict === undefined) throw new Error(`HTTP ${reply.status}${reply.body === undefined ? ", no JSON" : ""}`);
      this.breaker.succeeded();
      // Shared by every message about this address until it expires: no consumer may change it.
      for (const value of Object.values(verdict as object)) if (Array.isArray(value)) Object.freeze(value);
      Object.freeze(verdict);
      this.cache.set(ip, verdict);
      return verdict;
    } catch (err) {
      this.failures += 1;
      this.lastError = (err as Error).message.slice(0, 200);
      this.breaker.failed();
      return undefined;
    } finally {
      this.abandons.delete(abandon);
    }
  }
}

function definedOnly(quota: Partial<QuotaOptions> | undefined): Partial<QuotaOptions> {
  const kept: Partial<QuotaOptions> = {};
  if (quota?.limit !== undefined && quota.limit >= 0) kept.limit = quota.limit;
  if (quota?.windowMs !== undefined && quota.windowMs > 0) kept.windowMs = quota.windowMs;
  return kept;
}

/** An IPv6 address's /64, the network one host is given; undefined for IPv4. */
function networkOf(ip: string): string | undefined {
  const words = ipv6Words(ip);
  return words ? `${words[0]}:${words[1]}` : undefined;
}
