import assert from "node:assert/strict";
import { SeededRandom } from "../../src/stats/seeded-random";
import { WindowedEvent, WindowFeatures } from "../../src/features/window-features";

const T0 = Date.UTC(2026, 2, 18, 10, 0, 0);
const failed = (seconds: number, src_ip = "203.0.113.7"): WindowedEvent => ({
  src_ip, time_ms: T0 + seconds * 1000, eventid: "cowrie.login.failed", username: "root", password: `pw${seconds}`,
});

describe("WindowFeatures", () => {
  it("names its features per window, shortest window first, then sensor-wide, calendar and is_internal_ip", () => {
    const { names } = new WindowFeatures({ windowSeconds: [3600, 90, 60] });
    assert.equal(names.length, 18 * 3 + 8);
    assert.deepEqual(names.slice(0, 6), ["events_1m", "events_90s", "events_1h", "failed_logins_1m", "failed_logins_90s", "failed_logins_1h"]);
    assert.deepEqual(names.slice(51, 54), ["session_duration_1m", "session_duration_90s", "session_duration_1h"]);
    assert.equal(names[names.length - 1], "is_internal_ip");
  });

  it("refuses windows, bounds and tolerances it cannot honour", () => {
    assert.throws(() => new WindowFeatures({ windowSeconds: [] }), RangeError);
    assert.throws(() => new WindowFeatures({ windowSeconds: [30, 30] }), RangeError);
    assert.throws(() => new WindowFeatures({ windowSeconds: [0.5] }), RangeError);
    assert.throws(() => new WindowFeatures({ windowSeconds: [300], idleTtlSeconds: 299 }), /at least the longest window/);
    assert.throws(() => new WindowFeatures({ maxTrackedIps: 0 }), RangeError);
    assert.throws(() => new WindowFeatures({ latenessToleranceSeconds: -1 }), RangeError);
  });

  it("counts out-of-order and too-late events, and evictions, in its stats", () => {
    const windows = new WindowFeatures({ windowSeconds: [30], maxTrackedIps: 2, idleTtlSeconds: 60, latenessToleranceSeconds: 5 });
    windows.update(failed(10, "a"));
    windows.update(failed(6, "b")); // 4 s late
    windows.update(failed(2, "c")); // 8 s late; evicts a
    windows.update(failed(100, "d")); // b and c idle for 60 s or more
    assert.deepEqual(windows.stats, { trackedIps: 1, events: 4, outOfOrder: 2, lateBeyondTolerance: 1, evictedIdle: 2, evictedLeastRecentlyUsed: 1 });
  });

  it("keeps the event's own time string, or writes one from time_ms", () => {
    const windows = new WindowFeatures();
    assert.equal(windows.update({ ...failed(0), time: "2026-03-18T10:00:00.000123Z" }).time, "2026-03-18T10:00:00.000123Z");
    assert.equal(windows.update(failed(1.5)).time, "2026-03-18T10:00:01.500Z");
  });

  it("names each value of the vector in features, in the order of names, and updateVector gives the same vector", () => {
    const windows = new WindowFeatures({ windowSeconds: [90, 30] });
    const twin = new WindowFeatures({ windowSeconds: [90, 30] });
    const random = new SeededRandom("record and vector");
    let now = 0;
    for (let i = 0; i < 500; i++) {
      now += random.exponential(0.5);
      const event: WindowedEvent = i % 7 === 0
        ? { src_ip: `198.51.100.${i % 5}`, time_ms: T0 + now * 1000, eventid: "cowrie.session.connect", dst_port: 20 + (i % 4) }
        : failed(now, `198.51.100.${i % 5}`);
      const record = windows.update(event);
      assert.deepEqual(Object.keys(record.features), [...record.names]);
      assert.deepEqual(Object.values(record.features), record.vector);
      assert.deepEqual(twin.updateVector(event), record.vector);
    }
  });

  it("stays exact through a long brute force that the panes compress (property)", () => {
    const random = new SeededRandom("brute force");
    const windows = new WindowFeatures();
    const times: number[] = [];
    let now = 0;
    let last = windows.update(failed(0));
    times.push(0);
    for (let i = 0; i < 20_000; i++) {
      now += random.exponential(0.03); // about 33 attempts a second for 10 minutes
      last = windows.update(failed(now));
      times.push(now);
    }
    const second = Math.floor(now);
    for (const [name, width] of [["failed_logins_30s", 30], ["failed_logins_1m", 60], ["failed_logins_5m", 300]] as const) {
      assert.equal(last.features[name], times.filter((t) => Math.floor(t) > second - width).length, name);
    }
  });

  it("counts a username or program as rare only when new to a sensor that has seen its warm-up of them", () => {
    const windows = new WindowFeatures({ vocabularyWarmUp: 3 });
    const login = (seconds: number, username: string) => windows.update({ ...failed(seconds, "198.51.100.1"), username });
    const command = (seconds: number, input: string) =>
      windows.update({ src_ip: "198.51.100.2", time_ms: T0 + seconds * 1000, eventid: "cowrie.command.input", input });
    // The first three names are new to a sensor that knew none: that says nothing yet.
    for (const [i, name] of ["root", "admin", "ubuntu"].entries()) assert.equal(login(i, name).features.rare_usernames_30s, 0, name);
    assert.equal(login(3, "root").features.rare_usernames_30s, 0, "seen before");
    assert.equal(login(4, "oracle").features.rare_usernames_30s, 1, "new, and the sensor is warm");
    assert.equal(login(5, "oracle").features.rare_usernames_30s, 1, "the second time is not rare: still one in the window");
    // Programs have their own vocabulary: "uname", "cd" and "ls" warm it up.
    assert.equal(command(6, "uname -a; cd /tmp").features.rare_commands_30s, 0);
    assert.equal(command(7, "ls").features.rare_commands_30s, 0);
    assert.equal(command(8, "cd /tmp; nmap -sS 10.0.0.0/24").features.rare_commands_30s, 1, "nmap is new");
    assert.equal(command(9, "nmap -p 22 10.0.0.1").features.rare_commands_30s, 1, "nmap is known now");
  });
});
