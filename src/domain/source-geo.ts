/**
 * Where an attacking address is and which network announces it: what `enrich` adds to a
 * message's payload as `src_geo`, and what an alert, its Slack message and its InfluxDB points
 * carry on. Countries are ISO 3166-1 alpha-2 codes; `asn` is the autonomous system number.
 * Fields a database does not know are null, never guessed; an address that belongs to no one on
 * the public Internet (private, documentation, CGNAT...) says so in `special_use` and has no
 * country or network.
 *
 *     { country: "US", country_name: "United States", asn: 15169, as_org: "Google LLC" }
 *     { country: null, country_name: null, asn: null, as_org: null, special_use: "documentation" }
 */

/** IANA's special-purpose address kinds (RFC 6890 and its updates) and multicast. */
export const SPECIAL_USES = [
  "private", "cgnat", "loopback", "link-local", "documentation", "benchmarking", "multicast", "broadcast",
  "unspecified", "this-network", "nat64", "reserved",
] as const;
export type SpecialUse = (typeof SPECIAL_USES)[number];

export interface SourceGeo {
  country: string | null;
  country_name: string | null;
  /** Only from a city database (GeoLite2-City, DB-IP City) a user points enrich at. */
  city?: string;
  asn: number | null;
  as_org: string | null;
  special_use?: SpecialUse;
}
