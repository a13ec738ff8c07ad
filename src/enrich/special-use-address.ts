/**
 * Addresses that belong to no one on the public Internet: IANA's special-purpose address
 * registries (RFC 6890 and its updates) plus multicast. A honeypot sees them from a sensor inside
 * a LAN, behind a carrier's NAT, from a health check, or spoofed; a country or network for them
 * would be a guess, so enrichment labels them with what they are instead.
 *
 * IPv4: 0/8 this network (RFC 791), 10/8, 172.16/12, 192.168/16 private (RFC 1918), 100.64/10
 * carrier-grade NAT (RFC 6598), 127/8 loopback, 169.254/16 link-local (RFC 3927), 192.0.0/24 IETF
 * protocol assignments, 192.0.2/24, 198.51.100/24, 203.0.113/24 documentation (RFC 5737),
 * 198.18/15 benchmarking (RFC 2544), 192.88.99/24 6to4 relay anycast (deprecated, RFC 7526),
 * 224/4 multicast, 240/4 reserved, 255.255.255.255 limited broadcast.
 * IPv6: :: unspecified, ::1 loopback, 64:ff9b::/96 and 64:ff9b:1::/48 NAT64 translation (RFC 6052,
 * 8215), 100::/64 discard-only (RFC 6666), 100:0:0:1::/64 dummy prefix (RFC 9780), 2001::/23 IETF
 * protocol assignments (Teredo and ORCHID among them), 2001:db8::/32 and 3fff::/20 documentation
 * (RFC 3849, 9637), 5f00::/16 SRv6 segment identifiers (RFC 9602), fc00::/7 unique local (private,
 * RFC 4193), fe80::/10 link-local, ff00::/8 multicast. IPv4-mapped IPv6
 * (::ffff:0:0/96) is read as the IPv4 address it carries.
 *
 * ```ts
 * assert.equal(specialUseOf("203.0.113.7"), "documentation");
 * assert.equal(specialUseOf("100.72.1.9"), "cgnat");
 * assert.equal(specialUseOf("8.8.8.8"), undefined);  // public
 * ```
 */
import type { SpecialUse } from "../domain/source-geo";
import { ipv4Number, ipv6Words } from "./ip-address-number";

interface Block {
  /** The network's first address: one word for IPv4, four for IPv6. */
  words: number[];
  prefix: number;
  use: SpecialUse;
}

const v4 = (network: string, prefix: number, use: SpecialUse): Block => ({ words: [ipv4Number(network) as number], prefix, use });
const v6 = (network: string, prefix: number, use: SpecialUse): Block => ({ words: ipv6Words(network) as number[], prefix, use });

// Longer prefixes first: 2001:db8::/32 lies inside 2001::/23 and must win.
const IPV4_BLOCKS: Block[] = [
  v4("255.255.255.255", 32, "broadcast"),
  v4("192.0.2.0", 24, "documentation"), v4("198.51.100.0", 24, "documentation"), v4("203.0.113.0", 24, "documentation"),
  v4("192.0.0.0", 24, "reserved"), v4("192.88.99.0", 24, "reserved"),
  v4("192.168.0.0", 16, "private"), v4("169.254.0.0", 16, "link-local"), v4("198.18.0.0", 15, "benchmarking"),
  v4("172.16.0.0", 12, "private"), v4("100.64.0.0", 10, "cgnat"),
  v4("10.0.0.0", 8, "private"), v4("127.0.0.0", 8, "loopback"), v4("0.0.0.0", 8, "this-network"),
  v4("224.0.0.0", 4, "multicast"), v4("240.0.0.0", 4, "reserved"),
];
const IPV6_BLOCKS: Block[] = [
  v6("::", 128, "unspecified"), v6("::1", 128, "loopback"),
  v6("64:ff9b::", 96, "nat64"), v6("100::", 64, "reserved"), v6("100:0:0:1::", 64, "reserved"),
  v6("64:ff9b:1::", 48, "nat64"),
  v6("2001:db8::", 32, "documentation"), v6("2001::", 23, "reserved"), v6("3fff::", 20, "documentation"), v6("5f00::", 16, "reserved"),
  v6("fe80::", 10, "link-local"), v6("ff00::", 8, "multicast"), v6("fc00::", 7, "private"),
];

/** What kind of special-purpose address `ip` is, or undefined for a public address (or text that is no address). */
export function specialUseOf(ip: string): SpecialUse | undefined {
  const n = ipv4Number(ip);
  if (n !== undefined) return useOfIpv4(n);
  const words = ipv6Words(ip);
  if (!words) return undefined;
  if (words[0] === 0 && words[1] === 0 && words[2] === 0xffff) return useOfIpv4(words[3]);
  for (const block of IPV6_BLOCKS) if (inBlock(words, block)) return block.use;
  return undefined;
}

// Per IPv4 block its network and mask as numbers: the check runs for every cache miss.
const IPV4_MASKS = IPV4_BLOCKS.map((block) => ({ network: block.words[0], mask: block.prefix === 0 ? 0 : (~0 << (32 - block.prefix)) >>> 0, use: block.use }));

function useOfIpv4(n: number): SpecialUse | undefined {
  for (const block of IPV4_MASKS) if (((n & block.mask) >>> 0) === block.network) return block.use;
  return undefined;
}

function inBlock(words: number[], block: Block): boolean {
  let bits = block.prefix;
  for (let i = 0; i < block.words.length && bits > 0; i++, bits -= 32) {
    const kept = Math.min(bits, 32);
    // Shifting by 32 is a no-op in JavaScript, so a whole word is compared directly.
    const mask = kept === 32 ? 0xffffffff : ~(0xffffffff >>> kept) >>> 0;
    if (((words[i] & mask) >>> 0) !== ((block.words[i] & mask) >>> 0)) return false;
  }
  return true;
}
