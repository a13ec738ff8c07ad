/**
 * The three threat-intelligence services enrich can ask, each as a request and a reading of its
 * documented answer, with its free tier's limit as the default quota:
 * - AbuseIPDB APIv2 CHECK (`GET /api/v2/check?ipAddress=&maxAgeInDays=90`, header `Key`;
 *   `{ data: { abuseConfidenceScore, totalReports, ... } }`); the free Individual plan allows
 *   1,000 checks a day, and each answer reports what is left in `X-RateLimit-Remaining`.
 * - GreyNoise Community (`GET /v3/community/{ip}`, header `key`; `{ noise, riot, classification,
 *   name, last_seen }`, 404 with `noise: false` for an address it has not seen); the Community
 *   plan is limited to a few dozen lookups a day (50 here; fewer a week on some plans: a 429
 *   then pauses it).
 * - AlienVault OTX (`GET /api/v1/indicators/IPv4/{ip}/general`, header `X-OTX-API-KEY`;
 *   `{ pulse_info: { count, pulses: [{ name }] }, reputation }`); keyed requests are limited to
 *   10,000 an hour. OTX has an IPv6 section of its own; only IPv4 is asked here.
 * A reading answers undefined when the answer is not the service's (no object where one must be),
 * which counts as a failure towards the circuit breaker.
 */
import type { QuotaOptions } from "./request-quota";
import { boundedText, count, field, finite, flag, oneOf, textList } from "./untrusted-json";
import { GREYNOISE_CLASSIFICATIONS, MAX_DATE_TEXT, OTX_PULSE_NAMES, type AbuseIpdbVerdict, type GreyNoiseVerdict, type IntelSourceName, type OtxVerdict } from "./intel-verdicts";

export interface IntelService<V> {
  name: IntelSourceName;
  defaultBaseUrl: string;
  defaultQuota: QuotaOptions;
  /** Whether the service can be asked about this address at all. */
  accepts(ip: string): boolean;
  request(baseUrl: string, ip: string, apiKey: string): { url: string; headers: Record<string, string> };
  /** The verdict in a reply with this status, or undefined for an answer that is not one. */
  verdictOf(status: number, body: unknown): V | undefined;
  /** What the service reports is left of its quota, from the reply's headers. */
  remaining?(headers: Headers): number | undefined;
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const trimSlash = (url: string) => url.replace(/\/+$/, "");

export const abuseIpdb: IntelService<AbuseIpdbVerdict> = {
  name: "abuseipdb",
  defaultBaseUrl: "https://api.abuseipdb.com",
  defaultQuota: { limit: 1000, windowMs: DAY_MS },
  accepts: () => true,
  request: (baseUrl, ip, apiKey) => ({
    url: `${trimSlash(baseUrl)}/api/v2/check?ipAddress=${encodeURIComponent(ip)}&maxAgeInDays=90`,
    headers: { Key: apiKey, Accept: "application/json" },
  }),
  verdictOf(status, body) {
    const data = field(body, "data");
    if (status !== 200 || typeof data !== "object" || data === null || Array.isArray(data)) return undefined;
    const score = count(field(data, "abuseConfidenceScore"));
    return {
      abuse_confidence: score !== null && score <= 100 ? score : null,
      total_reports: count(field(data, "totalReports")),
      distinct_reporters: count(field(data, "numDistinctUsers")),
      last_reported: boundedText(field(data, "lastReportedAt"), MAX_DATE_TEXT),
      usage_type: boundedText(field(data, "usageType")),
      isp: boundedText(field(data, "isp")),
      domain: boundedText(field(data, "domain")),
      is_tor: flag(field(data, "isTor")),
      is_whitelisted: flag(field(data, "isWhitelisted")),
    };
  },
  remaining(headers) {
    const left = Number(headers.get("x-ratelimit-remaining") ?? Number.NaN);
    return Number.isFinite(left) ? left : undefined;
  },
};

export const greyNoise: IntelService<GreyNoiseVerdict> = {
  name: "greynoise",
  defaultBaseUrl: "https://api.greynoise.io",
  defaultQuota: { limit: 50, windowMs: DAY_MS },
  accepts: (ip) => !ip.includes(":"),
  request: (baseUrl, ip, apiKey) => ({ url: `${trimSlash(baseUrl)}/v3/community/${encodeURIComponent(ip)}`, headers: { key: apiKey, Accept: "application/json" } }),
  verdictOf(status, body) {
    if ((status !== 200 && status !== 404) || typeof body !== "object" || body === null || Array.isArray(body)) return undefined;
    if (status === 404 && field(body, "noise") === undefined) return undefined;
    return {
      noise: flag(field(body, "noise")),
      riot: flag(field(body, "riot")),
      classification: oneOf(field(body, "classification"), GREYNOISE_CLASSIFICATIONS),
      name: boundedText(field(body, "name")),
      last_seen: boundedText(field(body, "last_seen"), MAX_DATE_TEXT),
    };
  },
};

export const alienVaultOtx: IntelService<OtxVerdict> = {
  name: "otx",
  defaultBaseUrl: "https://otx.alienvault.com",
  defaultQuota: { limit: 10_000, windowMs: HOUR_MS },
  accepts: (ip) => !ip.includes(":"),
  request: (baseUrl, ip, apiKey) => ({
    url: `${trimSlash(baseUrl)}/api/v1/indicators/IPv4/${encodeURIComponent(ip)}/general`,
    headers: { "X-OTX-API-KEY": apiKey, Accept: "application/json" },
  }),
  verdictOf(status, body) {
    const pulseInfo = field(body, "pulse_info");
    if (status !== 200 || typeof pulseInfo !== "object" || pulseInfo === null) return undefined;
    const pulses = field(pulseInfo, "pulses");
    return {
      pulse_count: count(field(pulseInfo, "count")),
      pulses: textList(Array.isArray(pulses) ? pulses.slice(0, OTX_PULSE_NAMES * 4).map((pulse) => field(pulse, "name")) : [], OTX_PULSE_NAMES),
      reputation: finite(field(body, "reputation")),
    };
  },
};
