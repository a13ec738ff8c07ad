/**
 * Country, city and network of a source address from databases on disk: no network, no account,
 * and the same answer in a back-test as live. Special-purpose addresses (private, CGNAT,
 * documentation, loopback, multicast...) are labelled and never looked up. Answers are kept in an
 * LRU cache: a sensor sees the same few thousand attackers over and over, so most events cost a
 * map lookup (`bench/enrich.ts` shows how much).
 *
 * By default countries come from the bundled ip-location-db country mmdb and networks from the
 * bundled ip-location-db ASN table; a user may name their own mmdb files instead (GeoLite2-City
 * or -Country, GeoLite2-ASN, DB-IP Lite), whose city, when present, is added.
 *
 *     const geo = await OfflineGeoLookup.open();
 *     geo.lookup("8.8.8.8");  // { country: "US", country_name: "United States", asn: 15169, as_org: "Google LLC" }
 */
import { readFile } from "node:fs/promises";
import { Reader, type Response } from "maxmind";
import { LruMap } from "../collections/lru-map";
import type { SourceGeo } from "../domain/source-geo";
import { canonicalIpAddress } from "../clean/canonical-ip-address";
import { openRegularFile } from "../persistence/regular-file";
import { AsnRangeTable } from "./asn-range-table";
import { bundledGeoDatabases } from "./bundled-geo-databases";
import { countryName } from "./country-names";
import { geoFieldsOf, type GeoFields } from "./geo-database-record";
import { specialUseOf } from "./special-use-address";

export interface OfflineGeoOptions {
  /** An mmdb with countries (and cities, if it has them); blank for the bundled country database. */
  geoDatabase?: string;
  /** An mmdb with AS numbers and organisations; blank for the bundled ASN table. */
  asnDatabase?: string;
  /** Addresses whose answers are kept; default 65,536. */
  cacheSize?: number;
}

/** Something that answers the geo fields of a public address. */
type FieldSource = (ip: string) => GeoFields | undefined;

const DEFAULT_CACHE_SIZE = 65_536;
/**
 * Longer than any address's text: 45 characters for IPv6 with an IPv4 tail, plus a zone id (an
 * interface name, at most 15 characters on Linux). Longer text is answered without being cached,
 * or a src_ip of megabytes would be kept alive by the cache once per distinct value.
 */
const MAX_ADDRESS_TEXT = 64;

export class OfflineGeoLookup {
  /** Addresses asked about (a message with src_ip counts once). */
  lookups = 0;
  /** Of those, answered from the cache. */
  cacheHits = 0;
  private readonly cache: LruMap<string, Readonly<SourceGeo> | null>;

  private constructor(private readonly geoFields: FieldSource, private readonly networkFields: FieldSource, cacheSize: number) {
    this.cache = new LruMap(cacheSize);
  }

  static async open(options: OfflineGeoOptions = {}): Promise<OfflineGeoLookup> {
    const geo = await openMmdb(options.geoDatabase?.trim() || bundledGeoDatabases.countryMmdb());
    const network = options.asnDatabase?.trim() ? await openMmdb(options.asnDatabase.trim()) : await openBundledAsnTable();
    return new OfflineGeoLookup(geo, network, options.cacheSize ?? DEFAULT_CACHE_SIZE);
  }

  /** Where `ip` is, or undefined when it is not an IP address. The answer is frozen: it is shared. */
  lookup(ip: string): Readonly<SourceGeo> | undefined {
    this.lookups += 1;
    if (ip.length > MAX_ADDRESS_TEXT) return undefined;
    const cached = this.cache.get(ip);
    if (cached !== undefined) {
      this.cacheHits += 1;
      return cached ?? undefined;
    }
    const answer = this.answer(ip);
    this.cache.set(ip, answer ?? null);
    return answer;
  }

  private answer(text: string): Readonly<SourceGeo> | undefined {
    const ip = canonicalIpAddress(text);
    if (ip === undefined) return undefined;
    const special_use = specialUseOf(ip);
    if (special_use) return Object.freeze({ country: null, country_name: null, asn: null, as_org: null, special_use });
    const geo = this.geoFields(ip) ?? {};
    const network = this.networkFields(ip) ?? {};
    const country = geo.country ?? null;
    const answer: SourceGeo = { country, country_name: country ? countryName(country) : null, asn: network.asn ?? geo.asn ?? null, as_org: network.as_org ?? geo.as_org ?? null };
    if (geo.city) answer.city = geo.city;
    return Object.freeze(answer);
  }
}

async function openMmdb(file: string): Promise<FieldSource> {
  // The whole file is read into memory (a few to some tens of megabytes): lookups then never touch the disk.
  const reader = new Reader<Response>(await readRegularFile(file));
  // An IPv4-only tree is 32 bits deep: the reader would walk an IPv6 address's first 32 bits
  // down it and answer for whatever IPv4 address they spell.
  const ipv4Only = reader.metadata.ipVersion === 4;
  return (ip) => {
    if (ipv4Only && ip.includes(":")) return undefined;
    const record = reader.get(ip);
    return record ? geoFieldsOf(record) : undefined;
  };
}

/** A user's database file, whole; anything but a regular file is refused (see openRegularFile). */
async function readRegularFile(file: string): Promise<Buffer> {
  const handle = await openRegularFile(file);
  try {
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

async function openBundledAsnTable(): Promise<FieldSource> {
  const [ipv4, ipv6] = await Promise.all([readFile(bundledGeoDatabases.asnIpv4NumericCsv(), "utf8"), readFile(bundledGeoDatabases.asnIpv6Csv(), "utf8")]);
  const table = await AsnRangeTable.fromCsv(ipv4, ipv6);
  return (ip) => table.lookup(ip);
}
