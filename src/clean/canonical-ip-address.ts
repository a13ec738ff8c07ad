/**
 * An IP address in one textual form, so that the same attacker is one `src_ip` downstream.
 *
 * Parsing is Node's own (`net.SocketAddress`, which uses the platform's inet_pton/inet_ntop):
 * no home-made pattern, and the output is RFC 5952's form for IPv6 (lower case, zeros
 * compressed). Cowrie listening on a dual-stack `::` socket logs IPv4 clients as IPv4-mapped
 * IPv6 (`::ffff:203.0.113.7`); those become the plain IPv4 address. Zone ids (`fe80::1%eth0`)
 * are dropped: they name an interface of the sensor, not the peer. IPv4 with leading zeros
 * (`010.0.0.1`, octal to some parsers) is refused, as Node refuses it.
 *
 * ```ts
 * assert.equal(canonicalIpAddress("2001:DB8:0:0::1"), "2001:db8::1");
 * assert.equal(canonicalIpAddress("::ffff:203.0.113.7"), "203.0.113.7");
 * assert.equal(canonicalIpAddress("203.0.113"), undefined);
 * ```
 */
import * as net from "node:net";

const IPV4_MAPPED = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/;

/** The canonical text of `text` if it is an IPv4 or IPv6 address, otherwise undefined. */
export function canonicalIpAddress(text: string): string | undefined {
  const family = net.isIP(text);
  if (family === 0) return undefined;
  // net.isIPv4 accepts only the dotted-quad form without leading zeros: already canonical.
  if (family === 4) return text;
  const address = new net.SocketAddress({ address: text, family: "ipv6" }).address;
  return IPV4_MAPPED.exec(address)?.[1] ?? address;
}
