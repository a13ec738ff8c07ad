import assert from "node:assert/strict";
import { SeededRandom } from "../../src/stats/seeded-random";
import { TrackedSourceIp, TrackedSourceIps } from "../../src/features/tracked-source-ips";

class Seen implements TrackedSourceIp<Seen> {
  older?: Seen;
  newer?: Seen;
  constructor(readonly ip: string, public lastSecond: number) {}
}

function table(maxIps: number, ttl = 3600) {
  const evicted: string[] = [];
  const ips = new TrackedSourceIps<Seen>(maxIps, ttl, (state) => evicted.push(state.ip));
  /** Looks `ip` up at `second`, tracking it anew if needed, as WindowFeatures does. */
  const see = (ip: string, second: number) => {
    const state = ips.get(ip, second) ?? new Seen(ip, second);
    state.lastSecond = Math.max(state.lastSecond, second);
    ips.use(state);
    return state;
  };
  return { ips, evicted, see };
}

describe("TrackedSourceIps", () => {
  it("evicts the least recently used IP beyond the bound", () => {
    const { ips, evicted, see } = table(2);
    see("a", 0);
    see("b", 1);
    see("a", 2);
    see("c", 3);
    assert.deepEqual(evicted, ["b"]);
    assert.equal(ips.size, 2);
    assert.equal(ips.get("b", 3), undefined);
    assert.equal(ips.get("a", 3)?.lastSecond, 2);
    assert.equal(ips.evictedLeastRecentlyUsed, 1);
  });

  it("evicts IPs idle for the TTL, and never returns one that is", () => {
    const { ips, evicted, see } = table(10, 60);
    see("a", 0);
    see("b", 1);
    // c is used last but was seen at second 0 (a late event): in order of use it sits behind b.
    ips.use(new Seen("c", 0));
    ips.evictIdle(60);
    assert.deepEqual(evicted, ["a"], "a is idle exactly 60 s; b, 59 s, stops the sweep before c");
    assert.equal(ips.get("c", 60), undefined, "get still refuses the idle c");
    assert.deepEqual(evicted, ["a", "c"]);
    assert.equal(ips.get("b", 60)?.lastSecond, 1);
    assert.equal(ips.evictedIdle, 2);
  });

  it("behaves like a list in order of last use (property)", () => {
    const random = new SeededRandom("lru");
    const { ips, evicted, see } = table(50);
    const model: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      const ip = `ip${random.integer(0, 80)}`;
      const at = model.indexOf(ip);
      if (at >= 0) model.splice(at, 1);
      model.push(ip);
      const expectedEviction = model.length > 50 ? model.shift() : undefined;
      const before = evicted.length;
      see(ip, 0);
      assert.deepEqual(evicted.slice(before), expectedEviction ? [expectedEviction] : []);
      assert.equal(ips.size, model.length);
    }
  });

  it("rejects a bound or TTL it cannot work with", () => {
    assert.throws(() => new TrackedSourceIps<Seen>(0, 60, () => undefined), RangeError);
    assert.throws(() => new TrackedSourceIps<Seen>(10, 0, () => undefined), RangeError);
  });
});
