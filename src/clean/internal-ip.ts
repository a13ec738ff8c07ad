/**
 * Whether an address is internal rather than on the public Internet: an attacker inside the
 * network (or a misrouted scanner, or a health check) means something very different from
 * one of the thousands of public IPs that hit a honeypot every day.
 *
 * Ranges: RFC 1918 private (10/8, 172.16/12, 192.168/16), loopback (127/8, ::1), link-local
 * (169.254/16 RFC 3927, fe80::/10 RFC 4291), carrier-grade NAT shared space (100.64/10,
 * RFC 6598) and IPv6 unique local addresses (fc00::/7, RFC 4193). Matching is Node's
 * `net.BlockList`, which also matches IPv4-mapped IPv6 (`::ffff:10.0.0.1`) against the IPv4
 * rules; a dotted quad, what nearly every event carries, is matched by its own bits against
 * the same IPv4 ranges.
 *
 * ```ts
 * assert.equal(isInternalIp("10.1.2.3"), true);
 * assert.equal(isInternalIp("fd12:3456::1"), true);
 * assert.equal(isInternalIp("203.0.113.7"), false);
 * ```
 */
import * as net from "node:net";
import { LruMap } from "../collections/lru-map";

const IPV4_RANGES = [["10.0.0.0", 8], ["172.16.0.0", 12], ["192.168.0.0", 16], ["127.0.0.0", 8],
  ["169.254.0.0", 16], ["100.64.0.0", 10]] as const;
const internal = new net.BlockList();
for (const [network, prefix] of IPV4_RANGES) internal.addSubnet(network, prefix, "ipv4");
for (const [network, prefix] of [["::1", 128], ["fc00::", 7], ["fe80::", 10]] as const) {
  internal.addSubnet(network, prefix, "ipv6");
}
/** The IPv4 ranges as the bits of their network and of their mask. */
const IPV4_MASKS = IPV4_RANGES.map(([network, prefix]) => {
  const mask = (~0 << (32 - prefix)) >>> 0;
  return { network: ((ipv4Bits(network) as number) & mask) >>> 0, mask };
});

// BlockList.check builds a SocketAddress across the C++ boundary, costly beside a map look-up;
// a sensor sees the same few thousand attackers over and over, so answers are remembered.
const recent = new LruMap<string, boolean>(8192);

/** True for internal addresses; false for public ones and for text that is not an address. */
export function isInternalIp(ip: string): boolean {
  const bits = ipv4Bits(ip);
  if (bits !== undefined) {
    for (const { network, mask } of IPV4_MASKS) if (((bits & mask) >>> 0) === network) return true;
    return false;
  }
  let answer = recent.get(ip);
  if (answer === undefined) {
    const family = net.isIP(ip);
    answer = family !== 0 && internal.check(ip, family === 4 ? "ipv4" : "ipv6");
    recent.set(ip, answer);
  }
  return answer;
}

/**
 * The 32 bits of a dotted quad as `net.isIP` reads one (four decimal octets up to 255, none with a
 * leading zero, nothing around them), or undefined for any other text.
 */
function ipv4Bits(ip: string): number | undefined {
  let bits = 0;
  let octets = 0;
  let at = 0;
  while (octets < 4) {
    const start = at;
    let octet = 0;
    for (let c = ip.charCodeAt(at); c >= 48 && c <= 57 && at - start < 3; c = ip.charCodeAt(++at)) octet = octet * 10 + (c - 48);
    if (at === start || octet > 255 || (at - start > 1 && ip.charCodeAt(start) === 48)) return undefined;
    bits = bits * 256 + octet;
    octets += 1;
    if (octets < 4 && ip.charCodeAt(at++) !== 46) return undefined;
  }
  return at === ip.length ? bits : undefined;
}
