/**
 * MurmurHash3_x86_32 (Austin Appleby, 2011, SMHasher) of a string's UTF-8 bytes.
 *
 * The distinct-value sketches need a hash whose outputs behave like independent uniform draws
 * on [0, 2^32): KMV's estimator (k - 1) / U(k) is unbiased only under that assumption.
 * MurmurHash3 passes SMHasher's avalanche and distribution tests, needs only 32-bit
 * multiplies (Math.imul), and matches the published test vectors, so a value hashes the same
 * here as in any other MurmurHash3 implementation (Python's mmh3, Java's Guava).
 *
 * ```ts
 * assert.equal(murmurHash3("test"), 0xba6bd213);
 * assert.equal(murmurHash3("Hello, world!", 0x9747b28c), 0x24884cba);
 * ```
 */

const encoder = new TextEncoder();
/** Reused for the usual short usernames and passwords; longer text gets its own buffer. */
const scratch = new Uint8Array(4096);

/** An unsigned 32-bit hash of `text` encoded as UTF-8. */
export function murmurHash3(text: string, seed = 0): number {
  let bytes: Uint8Array;
  let length: number;
  if (text.length * 3 <= scratch.length) {
    length = encoder.encodeInto(text, scratch).written;
    bytes = scratch;
  } else {
    bytes = encoder.encode(text);
    length = bytes.length;
  }

  const c1 = 0xcc9e2d51;
  const c2 = 0x1b873593;
  let h = seed >>> 0;
  const blocks = length & ~3;
  for (let i = 0; i < blocks; i += 4) {
    let k = bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24);
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  const tail = length & 3;
  if (tail > 0) {
    let k = bytes[blocks];
    if (tail > 1) k ^= bytes[blocks + 1] << 8;
    if (tail > 2) k ^= bytes[blocks + 2] << 16;
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h ^= k;
  }
  h ^= length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
