import assert from "node:assert/strict";
import { murmurHash3 } from "../../src/sketch/murmur-hash3";

describe("murmurHash3", () => {
  it("matches the published MurmurHash3_x86_32 test vectors", () => {
    const vectors: Array<[string, number, number]> = [
      ["", 0, 0],
      ["", 1, 0x514e28b7],
      ["", 0xffffffff, 0x81f16f39],
      ["test", 0, 0xba6bd213],
      ["Hello, world!", 0, 0xc0363e43],
      ["Hello, world!", 0x9747b28c, 0x24884cba],
      ["The quick brown fox jumps over the lazy dog", 0x9747b28c, 0x2fa826cd],
      ["a", 0x9747b28c, 0x7fa09ea6],
      ["abc", 0, 0xb3dd93fa],
      ["aaaa", 0x9747b28c, 0x5a97808a],
    ];
    for (const [text, seed, expected] of vectors) assert.equal(murmurHash3(text, seed), expected, `${JSON.stringify(text)} seed ${seed}`);
  });

  it("hashes the UTF-8 bytes, so non-ASCII text matches other implementations", () => {
    assert.equal(murmurHash3("ππππππππ", 0x9747b28c), 0xd58063c1);
  });

  it("hashes text longer than its scratch buffer correctly (checked against imurmurhash)", () => {
    assert.equal(murmurHash3("root:".repeat(2000)), 0x845b950e);
    assert.equal(murmurHash3("x".repeat(5000)), 0xd59aef3c);
  });

  it("spreads sequential strings evenly over the 32-bit range", () => {
    const bins = new Array<number>(16).fill(0);
    for (let i = 0; i < 160_000; i++) bins[murmurHash3(`pw${i}`) >>> 28] += 1;
    // Each bin expects 10,000 with a standard deviation of 97; 500 is over five of them.
    for (const count of bins) assert.ok(Math.abs(count - 10_000) < 500, `bin count ${count}`);
  });
});
