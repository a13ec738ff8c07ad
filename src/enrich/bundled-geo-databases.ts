/**
 * The offline databases enrich uses unless a user names their own, and the attribution their
 * licences ask for. Both come from ip-location-db's npm packages, installed with Honeyflow:
 * - countries: `@ip-location-db/geo-whois-asn-country-mmdb` (geofeeds, then RIR whois, then ASN
 *   data, merged), CC0 1.0;
 * - networks: `@ip-location-db/asn` (RouteViews, the five RIRs via the NRO, DB-IP's IP to ASN
 *   Lite), CC BY 4.0, which asks for attribution to RouteViews, the NRO and DB-IP. It ships
 *   CSV only, read by `asn-range-table.ts`.
 */
import * as path from "node:path";

export const BUNDLED_ATTRIBUTION =
  "Country data: ip-location-db geo-whois-asn-country (CC0 1.0). Network data: ip-location-db asn, " +
  "from RouteViews (routeviews.org), the NRO (nro.net) and IP to ASN Lite by DB-IP (db-ip.com), CC BY 4.0.";

const packageDir = (name: string) => path.dirname(require.resolve(`${name}/package.json`));

export const bundledGeoDatabases = {
  countryMmdb: () => path.join(packageDir("@ip-location-db/geo-whois-asn-country-mmdb"), "geo-whois-asn-country.mmdb"),
  asnIpv4NumericCsv: () => path.join(packageDir("@ip-location-db/asn"), "asn-ipv4-num.csv"),
  asnIpv6Csv: () => path.join(packageDir("@ip-location-db/asn"), "asn-ipv6.csv"),
};
