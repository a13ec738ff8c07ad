/**
 * Chris Wellons' lowbias32 integer hash ("Prospecting for Hash Functions", 2018): session ids
 * and the split of the address space both need a cheap keyed mixing of 32-bit integers.
 *
 *     lowbias32(1);  // the same 32-bit value on every run
 */

export function lowbias32(value: number): number {
  let x = value >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}
