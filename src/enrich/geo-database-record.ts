/**
 * What an mmdb record says about an address, whichever of the common layouts it has:
 * - ip-location-db's country and city files: `{ country_code, city? }`;
 * - MaxMind GeoLite2 / GeoIP2 and DB-IP Lite country and city files:
 *   `{ country: { iso_code }, city: { names: { en } } }`;
 * - GeoLite2-ASN, DB-IP ASN and ip-location-db ASN files:
 *   `{ autonomous_system_number, autonomous_system_organization }`.
 * A user may point enrich at any file, so nothing is taken on trust: wrong types read as absent,
 * and text is cut to a length no honest name reaches.
 *
 * ```ts
 * assert.deepEqual(geoFieldsOf({ country: { iso_code: "DE" }, city: { names: { en: "Berlin" } } }), { country: "DE", city: "Berlin" });
 * ```
 */
import { heldCopy } from "../features/held-text";

export interface GeoFields {
  country?: string;
  city?: string;
  asn?: number;
  as_org?: string;
}

/** Longer than any city or organisation name in the databases; a cap against a hostile file. */
export const MAX_NAME_LENGTH = 200;

export function geoFieldsOf(record: unknown): GeoFields {
  if (typeof record !== "object" || record === null) return {};
  const r = record as Record<string, unknown>;
  const fields: GeoFields = {};
  const country = text(r.country_code) ?? text(field(r.country, "iso_code")) ?? text(field(r.registered_country, "iso_code"));
  if (country && /^[A-Za-z]{2}$/.test(country)) fields.country = country.toUpperCase();
  const city = typeof r.city === "string" ? text(r.city) : text(field(field(r.city, "names"), "en"));
  if (city) fields.city = city;
  const asn = r.autonomous_system_number;
  if (typeof asn === "number" && Number.isInteger(asn) && asn >= 0 && asn <= 0xffffffff) fields.asn = asn;
  const org = text(r.autonomous_system_organization);
  if (org) fields.as_org = org;
  return fields;
}

function field(value: unknown, key: string): unknown {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

/** The name, or its head as a copy: a cut alone would keep the whole decoded name alive in the answer cache. */
function text(value: unknown): string | undefined {
  if (typeof value !== "string" || value === "") return undefined;
  return value.length > MAX_NAME_LENGTH ? heldCopy(value, MAX_NAME_LENGTH) : value;
}
