/**
 * An IP address as numbers, for range tables: IPv4 as one unsigned 32-bit number, IPv6 as four
 * 32-bit words, most significant first. Range lookups (special-use blocks, the ASN table) compare
 * these numbers instead of text, which is what makes a lookup a binary search.
 *
 * The parsers read the canonical text `canonicalIpAddress` produces (dotted quad without leading
 * zeros; RFC 5952 IPv6, possibly with an IPv4 tail as in `::1.2.3.4`) and any other valid form
 * Node's parser accepts; for anything else they answer undefined rather than a guess.
 *
 * ```ts
 * assert.equal(ipv4Number("203.0.113.7"), 3405803783);
 * assert.deepEqual(ipv6Words("2001:db8::1"), [0x20010db8, 0, 0, 1]);
 * ```
 */

/** The address as an unsigned 32-bit number, or undefined when `text` is not a dotted quad. */
export function ipv4Number(text: string): number | undefined {
  let value = 0;
  let octet = -1;
  let octets = 0;
  for (let i = 0; i <= text.length; i++) {
    const code = i < text.length ? text.charCodeAt(i) : 46;
    if (code === 46) {
      if (octet < 0 || octets === 4) return undefined;
      value = value * 256 + octet;
      octets += 1;
      octet = -1;
    } else if (code >= 48 && code <= 57) {
      if (octet === 0) return undefined; // a leading zero: octal to some parsers, refused as Node refuses it
      octet = (octet < 0 ? 0 : octet * 10) + code - 48;
      if (octet > 255) return undefined;
    } else {
      return undefined;
    }
  }
  return octets === 4 ? value : undefined;
}

/** The address as four 32-bit words, most significant first, or undefined when `text` is not IPv6. */
export function ipv6Words(text: string): [number, number, number, number] | undefined {
  // One pass over the characters: this runs for every IPv6 range of the ASN table at load.
  const groups: number[] = [];
  let gap = -1;
  let group = -1;
  let end = text.indexOf("%"); // a zone id names the sensor's interface, not the peer
  if (end < 0) end = text.length;
  let digits = 0;
  for (let i = 0; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code === 58) {
      if (i + 1 < end && text.charCodeAt(i + 1) === 58) {
        if (gap >= 0) return undefined;
        if (group >= 0) groups.push(group);
        gap = groups.length;
        i += 1;
      } else {
        if (group < 0 || i + 1 === end) return undefined;
        groups.push(group);
      }
      group = -1;
      digits = 0;
    } else if (code === 46) {
      // An IPv4 tail: the last 32 bits as a dotted quad.
      const start = text.lastIndexOf(":", i) + 1;
      if (start === 0) return undefined;
      const v4 = ipv4Number(text.slice(start, end));
      if (v4 === undefined) return undefined;
      groups.push(Math.floor(v4 / 0x10000), v4 % 0x10000);
      group = -1;
      break;
    } else {
      const digit = code >= 48 && code <= 57 ? code - 48 : code >= 97 && code <= 102 ? code - 87 : code >= 65 && code <= 70 ? code - 55 : -1;
      if (digit < 0 || ++digits > 4) return undefined;
      group = group < 0 ? digit : group * 16 + digit;
    }
  }
  if (group >= 0) groups.push(group);
  const missing = 8 - groups.length;
  if (gap < 0 ? missing !== 0 : missing < 1) return undefined;
  if (gap >= 0) groups.splice(gap, 0, ...new Array<number>(missing).fill(0));
  return [groups[0] * 0x10000 + groups[1], groups[2] * 0x10000 + groups[3], groups[4] * 0x10000 + groups[5], groups[6] * 0x10000 + groups[7]];
}

/** -1, 0 or 1 as `a` is below, equal to or above `b` (IPv6 words). */
export function compareWords(a: ArrayLike<number>, aOffset: number, b: ArrayLike<number>, bOffset: number): number {
  for (let i = 0; i < 4; i++) {
    const x = a[aOffset + i];
    const y = b[bOffset + i];
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}
