import assert from "node:assert/strict";
import { LruMap } from "../../src/collections/lru-map";
import { SeededRandom } from "../../src/stats/seeded-random";

describe("LruMap", () => {
  it("evicts the least recently used entry, where a get counts as a use", () => {
    const map = new LruMap<string, number>(2);
    map.set("a", 1);
    map.set("b", 2);
    assert.equal(map.get("a"), 1);
    map.set("c", 3);
    assert.equal(map.has("b"), false, "b was the least recently used");
    assert.equal(map.get("a"), 1);
    assert.equal(map.get("c"), 3);
    assert.equal(map.evicted, 1);
  });

  it("never holds more than its capacity, whatever the stream", () => {
    const map = new LruMap<number, number>(100);
    for (let i = 0; i < 10_000; i++) {
      map.set(i % 357, i);
      assert.ok(map.size <= 100);
    }
    assert.equal(map.size, 100);
    // Cycling through 357 keys misses every time in an LRU of 100: each set after the 100th evicts.
    assert.equal(map.evicted, 10_000 - 100);
  });

  it("overwrites without growing and forgets on delete", () => {
    const map = new LruMap<string, number>(3);
    map.set("a", 1);
    map.set("a", 2);
    assert.equal(map.size, 1);
    assert.equal(map.get("a"), 2);
    assert.equal(map.delete("a"), true);
    assert.equal(map.get("a"), undefined);
  });

  it("refuses a capacity that could not hold anything", () => {
    assert.throws(() => new LruMap(0), RangeError);
    assert.throws(() => new LruMap(1.5), RangeError);
  });

  it("behaves like a recency-ordered list under random gets, sets and deletes (property)", () => {
    const random = new SeededRandom("lru-model");
    const lru = new LruMap<number, number>(16);
    let model: Array<[number, number]> = []; // oldest first
    for (let step = 0; step < 20_000; step++) {
      const key = random.integer(0, 40);
      const dice = random.next();
      const at = model.findIndex(([k]) => k === key);
      if (dice < 0.4) {
        const expected = at === -1 ? undefined : model[at][1];
        assert.equal(lru.get(key), expected);
        if (at !== -1) model.push(...model.splice(at, 1));
      } else if (dice < 0.9) {
        if (at !== -1) model.splice(at, 1);
        model.push([key, step]);
        if (model.length > 16) model = model.slice(1);
        lru.set(key, step);
      } else {
        assert.equal(lru.delete(key), at !== -1);
        if (at !== -1) model.splice(at, 1);
      }
      assert.equal(lru.size, model.length);
    }
    for (const [key, value] of model) assert.equal(lru.get(key), value);
  });

  it("peeks at a value without making it the most recently used", () => {
    const recent = new LruMap<string, number>(2);
    recent.set("a", 1);
    recent.set("b", 2);
    assert.equal(recent.peek("a"), 1);
    recent.set("c", 3);
    assert.equal(recent.has("a"), false, "a was still the least recently used");
    assert.equal(recent.peek("z"), undefined);
  });
});
