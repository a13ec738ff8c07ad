import assert from "node:assert/strict";
import { ExpiringLruMap } from "../../src/collections/expiring-lru-map";

describe("ExpiringLruMap", () => {
  it("forgets an entry once its time to live has passed, and the least recently used one when full", () => {
    let now = 0;
    const map = new ExpiringLruMap<string, number>(2, 1000, () => now);
    map.set("a", 1);
    now = 999;
    assert.equal(map.get("a"), 1);
    now = 1000;
    assert.equal(map.get("a"), undefined);
    assert.equal(map.size, 0);
    map.set("a", 1);
    map.set("b", 2);
    map.get("a");
    map.set("c", 3);
    assert.equal(map.get("b"), undefined);
    assert.equal(map.get("a"), 1);
    assert.equal(map.get("c"), 3);
  });
});
