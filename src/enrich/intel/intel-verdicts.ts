/**
 * What each threat-intelligence service says about an address, as `enrich` adds it to
 * `msg.payload.intel`: only the fields an analyst reads at a glance, each typed and cut short
 * (the services' full answers are on their web pages). Every text here came from outside and is
 * escaped by each sink like attacker text.
 */

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
