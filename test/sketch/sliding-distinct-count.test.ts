import assert from "node:assert/strict";
import { SeededRandom } from "../../src/stats/seeded-random";
import { SlidingDistinctCount } from "../../src/sketch/sliding-distinct-count";

/** The exact answer: values whose latest sighting is at or after `since`. */
function exactCount(lastSeen: Map<string, number>, since: number): number {
  let n = 0;
  for (const second of lastSeen.values()) if (second >= since) n += 1;
  return n;
}

describe("SlidingDistinctCount", () => {
  it("counts a value seen again once, at its latest second, and ignores an older sighting", () => {
    const passwords = new SlidingDistinctCount();
    passwords.add("123456", 1000);
    passwords.add("admin", 1010);
    passwords.add("123456", 1020);
    passwords.add("admin", 1005); // late: admin stays at 1010
    assert.equal(passwords.count(1000), 2);
    assert.equal(passwords.count(1011), 1);
    assert.equal(passwords.count(1021), 0);
    assert.equal(passwords.size, 2);
  });

  it("is exact whenever a window holds at most k distinct values (property, k = 8)", () => {
    const random = new SeededRandom("exact");
    for (let trial = 0; trial < 200; trial++) {
      const sketch = new SlidingDistinctCount(8);
      const lastSeen = new Map<string, number>();
      let second = 0;
      const pool = random.integer(3, 60);
      for (let i = 0; i < 300; i++) {
        if (random.chance(0.3)) second += random.integer(1, 3);
        const at = random.chance(0.1) ? second - random.integer(0, 5) : second; // some late
        const value = `v${random.integer(1, pool)}`;
        sketch.add(value, at);
        lastSeen.set(value, Math.max(lastSeen.get(value) ?? -Infinity, at));
      }
      for (let since = second - 40; since <= second + 1; since++) {
        const exact = exactCount(lastSeen, since);
        const counted = sketch.count(since);
        if (exact <= 8) assert.equal(counted, exact, `trial ${trial}, since ${since}`);
        else assert.ok(counted > 8, `trial ${trial}, since ${since}: ${counted} for ${exact}`);
      }
    }
  });

  it("estimates larger windows within its error bound, without bias (property, k = 64)", () => {
    const random = new SeededRandom("estimate");
    const relativeErrors: number[] = [];
    for (let trial = 0; trial < 200; trial++) {
      const sketch = new SlidingDistinctCount(64);
      const n = random.integer(300, 3000);
      const seconds = random.integer(1, 600);
      const lastSeen = new Map<string, number>();
      for (let i = 0; i < n; i++) {
        const value = `t${trial}-${random.nextUint32()}`;
        const second = Math.floor((i * seconds) / n);
        sketch.add(value, second);
        lastSeen.set(value, second);
      }
      const since = random.integer(0, Math.floor(seconds / 2));
      const exact = exactCount(lastSeen, since);
      if (exact > 64) relativeErrors.push(sketch.count(since) / exact - 1);
    }
    // KMV's relative standard error is 1 / sqrt(k - 2) = 12.7% for k = 64.
    const rse = 1 / Math.sqrt(62);
    const mean = relativeErrors.reduce((a, b) => a + b, 0) / relativeErrors.length;
    const withinTwo = relativeErrors.filter((e) => Math.abs(e) <= 2 * rse).length / relativeErrors.length;
    assert.ok(relativeErrors.length > 150);
    assert.ok(withinTwo >= 0.9, `${(withinTwo * 100).toFixed(1)}% within two standard errors`);
    assert.ok(relativeErrors.every((e) => Math.abs(e) < 5 * rse), `worst ${Math.max(...relativeErrors.map(Math.abs))}`);
    assert.ok(Math.abs(mean) < 0.03, `mean relative error ${mean}`);
  });

  it("keeps about k (1 + ln(n / k)) values of a long stream, and never more than maxEntries", () => {
    const sketch = new SlidingDistinctCount(64);
    for (let i = 0; i < 50_000; i++) sketch.add(`password-${i}`, i);
    const expected = 65 * (1 + Math.log(50_000 / 65));
    assert.ok(sketch.size < 1.5 * expected, `${sketch.size} values kept, about ${expected.toFixed(0)} expected`);

    const capped = new SlidingDistinctCount(8, 12);
    const random = new SeededRandom("cap");
    for (let i = 0; i < 5000; i++) {
      capped.add(`v${random.nextUint32()}`, Math.floor(i / 7));
      assert.ok(capped.size <= 12);
    }
  });

  it("forgets values last seen before a second", () => {
    const usernames = new SlidingDistinctCount();
    usernames.add("root", 10);
    usernames.add("admin", 20);
    usernames.add("pi", 30);
    usernames.forgetBefore(20);
    assert.equal(usernames.size, 2);
    assert.equal(usernames.count(0), 2);
  });

  it("rejects a k or cap it cannot work with", () => {
    assert.throws(() => new SlidingDistinctCount(1), RangeError);
    assert.throws(() => new SlidingDistinctCount(8, 8), RangeError);
  });
});
