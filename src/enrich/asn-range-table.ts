/**
 * Autonomous system (number and organisation) by address, from sorted inclusive address ranges:
 * the CSV files of `@ip-location-db/asn` (`start,end,asn,organisation`, one range a line, ranges
 * disjoint and ascending), which ships no mmdb. The table is built once, at first use, into typed
 * arrays (range starts and ends, AS numbers, an index into the distinct organisation names), and a
 * lookup is a binary search over the starts: no per-range objects, so half a million ranges cost a
 * few megabytes rather than tens. Building reads half a million lines, which takes long enough to
 * stall a flow, so it hands the event loop back every few thousand lines; `bench/enrich.ts` shows
 * what building and looking up take.
 *
 *     const table = await AsnRangeTable.fromCsv(fs.readFileSync("asn-ipv4-num.csv", "utf8"), fs.readFileSync("asn-ipv6.csv", "utf8"));
 *     table.lookup("1.1.1.1");  // { asn: 13335, as_org: "Cloudflare, Inc." }
 */
import { heldCopy } from "../features/held-text";
import { compareWords, ipv4Number, ipv6Words } from "./ip-address-number";

export interface AutonomousSystem {
  asn: number;
  as_org: string;
}

/** The ranges of one address family, sorted by start. */
interface Ranges {
  /** One word per range for IPv4, four for IPv6. */
  starts: Uint32Array;
  ends: Uint32Array;
  asns: Uint32Array;
  orgIndex: Uint32Array;
  count: number;
}

export class AsnRangeTable {
  private constructor(private readonly ipv4: Ranges, private readonly ipv6: Ranges, private readonly orgs: string[]) {}

  get rangeCount(): number {
    return this.ipv4.count + this.ipv6.count;
  }

  /**
   * A table from the IPv4 ranges with numeric bounds (`asn-ipv4-num.csv`) and the IPv6 ranges with
   * textual bounds (`asn-ipv6.csv`). Lines that do not parse, or that are out of order, are skipped:
   * a damaged line costs that range, not the table.
   */
  static async fromCsv(ipv4NumericCsv: string, ipv6Csv: string): Promise<AsnRangeTable> {
    const orgs: string[] = [];
    const orgIds = new Map<string, number>();
    const orgId = (name: string) => {
      let id = orgIds.get(name);
      if (id === undefined) {
        id = orgs.length;
        // A copy: a name cut from the CSV would keep the whole file's text alive with the table.
        orgs.push(heldCopy(name));
        orgIds.set(name, id);
      }
      return id;
    };
    const ipv4 = await buildRanges(ipv4NumericCsv, 1, (text, into, at) => {
      const n = decimal(text);
      if (n < 0 || n > 0xffffffff) return false;
      into[at] = n;
      return true;
    }, orgId);
    const ipv6 = await buildRanges(ipv6Csv, 4, (text, into, at) => {
      const words = ipv6Words(text);
      if (!words) return false;
      into.set(words, at);
      return true;
    }, orgId);
    return new AsnRangeTable(ipv4, ipv6, orgs);
  }

  /** The autonomous system announcing `ip`, or undefined when no range holds it. */
  lookup(ip: string): AutonomousSystem | undefined {
    const n = ipv4Number(ip);
    if (n !== undefined) return this.found(this.ipv4, searchIpv4(this.ipv4, n));
    const words = ipv6Words(ip);
    if (!words) return undefined;
    if (words[0] === 0 && words[1] === 0 && words[2] === 0xffff) return this.found(this.ipv4, searchIpv4(this.ipv4, words[3]));
    return this.found(this.ipv6, searchIpv6(this.ipv6, words));
  }

  private found(ranges: Ranges, row: number): AutonomousSystem | undefined {
    return row < 0 ? undefined : { asn: ranges.asns[row], as_org: this.orgs[ranges.orgIndex[row]] };
  }
}

type ReadBound = (text: string, into: Uint32Array, at: number) => boolean;

/** Lines read between two turns of the event loop. */
const LINES_PER_TURN = 16_384;

async function buildRanges(csv: string, width: number, readBound: ReadBound, orgId: (name: string) => number): Promise<Ranges> {
  let capacity = 1024;
  let ranges: Ranges = allocate(capacity, width);
  let count = 0;
  let lineStart = 0;
  let lines = 0;
  while (lineStart < csv.length) {
    if (++lines % LINES_PER_TURN === 0) await new Promise((resolve) => setImmediate(resolve));
    let lineEnd = csv.indexOf("\n", lineStart);
    if (lineEnd < 0) lineEnd = csv.length;
    const line = csv.charCodeAt(lineEnd - 1) === 13 ? csv.slice(lineStart, lineEnd - 1) : csv.slice(lineStart, lineEnd);
    lineStart = lineEnd + 1;
    const first = line.indexOf(",");
    const second = line.indexOf(",", first + 1);
    const third = line.indexOf(",", second + 1);
    if (first < 0 || second < 0 || third < 0) continue;
    if (count === capacity) {
      capacity *= 2;
      ranges = grow(ranges, capacity, width);
    }
    const asn = decimal(line.slice(second + 1, third));
    if (asn < 0 || asn > 0xffffffff) continue;
    if (!readBound(line.slice(0, first), ranges.starts, count * width) || !readBound(line.slice(first + 1, second), ranges.ends, count * width)) continue;
    if (compareWords(ranges.starts, count * width, ranges.ends, count * width) > 0) continue;
    if (count > 0 && compareWords(ranges.ends, (count - 1) * width, ranges.starts, count * width) >= 0) continue;
    ranges.asns[count] = asn;
    ranges.orgIndex[count] = orgId(csvField(line.slice(third + 1)));
    count += 1;
  }
  return { ...grow(ranges, count, width), count };
}

/** A non-negative decimal integer, or -1 for anything else. */
function decimal(text: string): number {
  if (text.length === 0 || text.length > 15) return -1;
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    n = n * 10 + digit;
  }
  return n;
}

/** A CSV field: quoted ("Cloudflare, Inc.", with "" for a quote) or bare. */
function csvField(text: string): string {
  return text.length >= 2 && text.startsWith('"') && text.endsWith('"') ? text.slice(1, -1).replace(/""/g, '"') : text;
}

function allocate(capacity: number, width: number): Ranges {
  return { starts: new Uint32Array(capacity * width), ends: new Uint32Array(capacity * width), asns: new Uint32Array(capacity), orgIndex: new Uint32Array(capacity), count: 0 };
}

function grow(ranges: Ranges, capacity: number, width: number): Ranges {
  const next = allocate(capacity, width);
  const rows = Math.min(capacity, ranges.asns.length);
  next.starts.set(ranges.starts.subarray(0, rows * width));
  next.ends.set(ranges.ends.subarray(0, rows * width));
  next.asns.set(ranges.asns.subarray(0, rows));
  next.orgIndex.set(ranges.orgIndex.subarray(0, rows));
  return next;
}

/** The row whose range holds `n`, or -1. */
function searchIpv4(ranges: Ranges, n: number): number {
  let low = 0;
  let high = ranges.count - 1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    if (ranges.starts[mid] <= n) low = mid + 1;
    else high = mid - 1;
  }
  return high >= 0 && n <= ranges.ends[high] ? high : -1;
}

function searchIpv6(ranges: Ranges, words: number[]): number {
  let low = 0;
  let high = ranges.count - 1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    if (compareWords(ranges.starts, mid * 4, words, 0) <= 0) low = mid + 1;
    else high = mid - 1;
  }
  return high >= 0 && compareWords(words, 0, ranges.ends, high * 4) <= 0 ? high : -1;
}
