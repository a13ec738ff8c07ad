/**
 * What each threat-intelligence service says about an address, as `enrich` adds it to
 * `msg.payload.intel`: only the fields an analyst reads at a glance, each typed and cut short
 * (the services' full answers are on their web pages). Every text here came from outside and is
 * escaped by each sink like attacker text.
 *
 * `intelVerdictsOf` reads them back from a message payload, as the `alert` node takes them from
 * enrich: field by field, each of its type or null, texts cut again, since a custom flow (or a
 * payload posted to the REST API) can put anything there.
 *
 * ```ts
 * const intel = intelVerdictsOf({ abuseipdb: { abuse_confidence: 97, isp: "<b>x</b>" }, shodan: {} });
 * assert.equal(intel?.abuseipdb?.abuse_confidence, 97);
 * assert.equal(intel?.abuseipdb?.total_reports, null);  // left out: null, never undefined
 * assert.equal(intelVerdictsOf("not intel"), undefined);
 * ```
 */
import { boundedText, count, field, finite, flag, oneOf, textList } from "./untrusted-json";

/** AbuseIPDB's CHECK endpoint, over its default 90 days of reports. */
export interface AbuseIpdbVerdict {
  /** 0-100: AbuseIPDB's confidence that the address is abusive. */
  abuse_confidence: number | null;
  total_reports: number | null;
  distinct_reporters: number | null;
  last_reported: string | null;
  usage_type: string | null;
  isp: string | null;
  domain: string | null;
  is_tor: boolean | null;
  is_whitelisted: boolean | null;
}

export const GREYNOISE_CLASSIFICATIONS = ["benign", "malicious", "suspicious", "unknown"] as const;

/** GreyNoise's Community API: is the address Internet background noise, or a known benign service? */
export interface GreyNoiseVerdict {
  /** Seen scanning the Internet in the last 90 days. */
  noise: boolean | null;
  /** A common business service (RIOT): traffic from it is rarely an attack. */
  riot: boolean | null;
  classification: (typeof GREYNOISE_CLASSIFICATIONS)[number] | null;
  name: string | null;
  last_seen: string | null;
}

/** AlienVault OTX's IPv4 "general" section: in how many community pulses the address appears. */
export interface OtxVerdict {
  pulse_count: number | null;
  /** Names of the first few pulses. */
  pulses: string[];
  reputation: number | null;
}

export interface IntelVerdicts {
  abuseipdb?: AbuseIpdbVerdict;
  greynoise?: GreyNoiseVerdict;
  otx?: OtxVerdict;
}

export type IntelSourceName = keyof IntelVerdicts;
export const INTEL_SOURCE_NAMES: readonly IntelSourceName[] = ["abuseipdb", "greynoise", "otx"];

/** The first pulses' names an OTX verdict keeps. */
export const OTX_PULSE_NAMES = 5;
/** The longest date text a verdict keeps (an ISO time with its offset is 32). */
export const MAX_DATE_TEXT = 40;

/** The verdicts in `value` (a message's `payload.intel`), rebuilt from the fields above; undefined when none is there. */
export function intelVerdictsOf(value: unknown): IntelVerdicts | undefined {
  const intel: IntelVerdicts = {};
  const abuse = objectOrUndefined(field(value, "abuseipdb"));
  if (abuse) {
    const confidence = count(field(abuse, "abuse_confidence"));
    intel.abuseipdb = {
      abuse_confidence: confidence !== null && confidence <= 100 ? confidence : null,
      total_reports: count(field(abuse, "total_reports")), distinct_reporters: count(field(abuse, "distinct_reporters")),
      last_reported: boundedText(field(abuse, "last_reported"), MAX_DATE_TEXT), usage_type: boundedText(field(abuse, "usage_type")),
      isp: boundedText(field(abuse, "isp")), domain: boundedText(field(abuse, "domain")),
      is_tor: flag(field(abuse, "is_tor")), is_whitelisted: flag(field(abuse, "is_whitelisted")),
    };
  }
  const grey = objectOrUndefined(field(value, "greynoise"));
  if (grey) {
    intel.greynoise = {
      noise: flag(field(grey, "noise")), riot: flag(field(grey, "riot")),
      classification: oneOf(field(grey, "classification"), GREYNOISE_CLASSIFICATIONS),
      name: boundedText(field(grey, "name")), last_seen: boundedText(field(grey, "last_seen"), MAX_DATE_TEXT),
    };
  }
  const otx = objectOrUndefined(field(value, "otx"));
  if (otx) {
    intel.otx = { pulse_count: count(field(otx, "pulse_count")), pulses: textList(field(otx, "pulses"), OTX_PULSE_NAMES), reputation: finite(field(otx, "reputation")) };
  }
  return Object.keys(intel).length > 0 ? intel : undefined;
}

function objectOrUndefined(value: unknown): object | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? value : undefined;
}
