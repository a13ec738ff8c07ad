import assert from "node:assert/strict";
import { SeededRandom } from "../../src/stats/seeded-random";
import { TrafficPerMinute } from "../../src/features/traffic-per-minute";

describe("TrafficPerMinute", () => {
  it("counts events, new IPs and distinct IPs of seconds now - 60 < s <= now", () => {
    const traffic = new TrafficPerMinute();
    traffic.countEvent(1000, undefined); // a
    traffic.countEvent(1001, undefined); // b
    traffic.countEvent(1030, 1000); // a again
    traffic.countEvent(1030, 1030); // a again, same second
    assert.deepEqual(traffic.lastMinute(1030), { events: 4, newIps: 2, distinctIps: 2 });
    assert.deepEqual(traffic.lastMinute(1060), { events: 3, newIps: 1, distinctIps: 2 }, "second 1000 is exactly a minute old: out");
    traffic.forgetIp(1030); // a is evicted
    assert.deepEqual(traffic.lastMinute(1060), { events: 3, newIps: 1, distinctIps: 1 });
  });

  it("does not move an IP back for a late event, nor let a second a minute old overwrite a current one", () => {
    const traffic = new TrafficPerMinute();
    traffic.countEvent(2000, undefined);
    traffic.countEvent(1995, 2000); // late event of the same IP
    assert.deepEqual(traffic.lastMinute(2000), { events: 2, newIps: 1, distinctIps: 1 });
    traffic.countEvent(1940, undefined); // shares second 2000's slot, but is a minute older
    assert.deepEqual(traffic.lastMinute(2000), { events: 2, newIps: 1, distinctIps: 1 });
  });

  it("agrees with a count over every event of a random stream (property)", () => {
    const random = new SeededRandom("traffic");
    const traffic = new TrafficPerMinute();
    const lastSeen = new Map<string, number>();
    const history: Array<{ second: number; isNew: boolean }> = [];
    let now = 0;
    for (let i = 0; i < 20_000; i++) {
      if (random.chance(0.05)) now += random.integer(1, 3);
      const ip = `10.0.${random.integer(0, 3)}.${random.integer(0, 200)}`;
      const previous = lastSeen.get(ip);
      traffic.countEvent(now, previous);
      lastSeen.set(ip, now);
      history.push({ second: now, isNew: previous === undefined });
      if (i % 101 === 0) {
        const inMinute = history.filter((h) => h.second > now - 60);
        const distinct = [...lastSeen.values()].filter((s) => s > now - 60).length;
        assert.deepEqual(traffic.lastMinute(now), { events: inMinute.length, newIps: inMinute.filter((h) => h.isNew).length, distinctIps: distinct });
      }
    }
  });
});
