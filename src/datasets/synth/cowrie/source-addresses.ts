/**
 * Source addresses of the synthetic sensor's visitors and of attack episodes, drawn from the
 * public IPv4 space (hosting ranges weighted up) in two halves that never meet.
 */
import type { SeededRandom } from "../../../stats/seeded-random";
import { BOTS, type BotProfile } from "./bot-profiles";
import { lowbias32 } from "./lowbias32";

/** A bot that connected once tends to come back; this many addresses are remembered. */
const RECURRING_SOURCES = 2048;

// Half come from hosting ranges that dominate honeypot logs (the reference
// sensor's busiest sources are DigitalOcean, Tencent and Alibaba addresses), half from
// anywhere in the public IPv4 space.
const HOSTING_PREFIXES = [
  "137.184", "147.182", "167.71", "192.241", "142.93", "67.205", "134.199", "104.248",
  "159.65", "165.22", "101.126", "45.84", "183.94", "139.59", "106.13", "120.48", "222.73",
  "14.18", "211.198", "42.112", "110.185", "218.92", "61.177", "43.134", "170.64", "80.94",
  "185.220", "193.32", "45.148", "92.118", "159.223", "188.166", "47.79", "115.231",
];

/** First octets that are never public unicast: 0/8, 10/8, 127/8, 224/4 multicast, 240/4. */
function isReservedFirstOctet(a: number): boolean {
  return a === 0 || a === 10 || a === 127 || a >= 224;
}

/** RFC 6890 special-purpose ranges beyond the first octet. */
function isReservedPrefix(a: number, b: number, c: number): boolean {
  return (
    (a === 100 && b >= 64 && b <= 127) ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 0 && (c === 0 || c === 2)) ||
    (a === 192 && b === 88 && c === 99) ||
    (a === 192 && b === 168) ||
    (a === 198 && (b === 18 || b === 19)) ||
    (a === 198 && b === 51 && c === 100) ||
    (a === 203 && b === 0 && c === 113)
  );
}

export interface Visitor {
  readonly ip: string;
  readonly bot: BotProfile;
}

/**
 * Source addresses. A keyed hash splits the IPv4 space in two halves: background visitors
 * come from one, attack episodes from the other, so an episode's addresses never show up in
 * background traffic, and nothing in the address itself gives away which half it is in.
 */
export class SourceAddresses {
  private readonly recurring: Visitor[] = [];
  /** Addresses already given to an episode: one per episode source, a few per thousand lines. */
  private readonly episodeAddresses = new Set<string>();
  private readonly partitionKey: number;

  /** `taken`: addresses an episode must not use, such as every source of a real log drilled into. */
  constructor(
    private readonly random: SeededRandom,
    private readonly taken: ReadonlySet<string> = new Set(),
  ) {
    this.partitionKey = random.nextUint32();
  }

  /** A background visitor running one of `bots`: often one that came before, as bots revisit. */
  visitor(bots: readonly (readonly [BotProfile, number])[] = BOTS): Visitor {
    const r = this.random;
    if (this.recurring.length > 0 && r.chance(0.3)) return r.pick(this.recurring);
    // A compromised host inside the sensor's own network: rare, but it is what a detector's
    // is_internal_ip feature exists for.
    const ip = r.chance(0.001) ? this.draw(0, true) : this.draw(0, false);
    const visitor = { ip, bot: r.pickWeighted(bots) };
    if (this.recurring.length < RECURRING_SOURCES) this.recurring.push(visitor);
    else this.recurring[r.integer(0, RECURRING_SOURCES - 1)] = visitor;
    return visitor;
  }

  /** Visitors so far come back no more: their botnet has left (a planted regime change). */
  forgetVisitors(): void {
    this.recurring.length = 0;
  }

  /** A public address no background visitor, no earlier episode and nothing `taken` has used. */
  forEpisode(): string {
    for (;;) {
      const ip = this.draw(1, false);
      if (!this.episodeAddresses.has(ip) && !this.taken.has(ip)) {
        this.episodeAddresses.add(ip);
        return ip;
      }
    }
  }

  /** A public address that only appears inside attackers' text (download hosts, bot lists). */
  anyPublic(): string {
    return this.draw(this.random.integer(0, 1), false);
  }

  private draw(half: number, internal: boolean): string {
    const r = this.random;
    for (;;) {
      let a: number;
      let b: number;
      if (internal) {
        [a, b] = r.chance(0.5) ? [10, r.integer(0, 255)] : [192, 168];
      } else if (r.chance(0.5)) {
        [a, b] = r.pick(HOSTING_PREFIXES).split(".").map(Number);
      } else {
        a = r.integer(1, 223);
        b = r.integer(0, 255);
      }
      const c = r.integer(0, 255);
      const d = r.integer(1, 254);
      if (!internal && (isReservedFirstOctet(a) || isReservedPrefix(a, b, c))) continue;
      const address = ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
      if ((lowbias32(address ^ this.partitionKey) & 1) !== half) continue;
      return `${a}.${b}.${c}.${d}`;
    }
  }
}
