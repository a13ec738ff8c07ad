import assert from "node:assert/strict";
import { SeededRandom } from "../../src/stats/seeded-random";
import { emptyTally, SourceIpTimeline } from "../../src/features/source-ip-timeline";

const failed = { eventid: "cowrie.login.failed" };

describe("SourceIpTimeline", () => {
  it("holds seconds now - W < s <= now: exactly W seconds older is out, W - 1 is in", () => {
    const timeline = new SourceIpTimeline();
    timeline.record(failed, 1000, 1_000_000);
    timeline.record(failed, 1001, 1_001_000);
    timeline.record(failed, 1030, 1_030_000);
    timeline.record(failed, 1031, 1_031_000); // after `now`: not in any window ending at 1030
    assert.deepEqual(timeline.tallies(1030, [1, 30, 31]).map((t) => t.failedLogins), [1, 2, 3]);
  });

  it("counts each eventid in its own counter", () => {
    const timeline = new SourceIpTimeline();
    const events = [
      "cowrie.session.connect", "cowrie.client.version", "cowrie.login.failed", "cowrie.login.failed",
      "cowrie.login.success", "cowrie.command.input", "cowrie.command.failed", "cowrie.session.file_download",
      "cowrie.session.file_download.failed", "cowrie.session.file_upload", "cowrie.direct-tcpip.request",
      "cowrie.direct-tcpip.data", "cowrie.session.closed",
    ];
    events.forEach((eventid, i) => timeline.record({ eventid, rareUsername: eventid === "cowrie.login.failed", rareCommand: eventid === "cowrie.command.input", downloadExec: eventid === "cowrie.command.input", parallelLogin: true, typed: true, typedUnknown: eventid === "cowrie.command.failed" }, 50, 50_000 + i));
    timeline.record({ eventid: "cowrie.session.closed", duration_ms: 4000 }, 51, 51_000);
    timeline.record({ eventid: "cowrie.session.closed", duration_ms: 10_500 }, 52, 52_000);
    const [tally] = timeline.tallies(52, [60]);
    assert.deepEqual(tally, {
      events: 15, failedLogins: 2, successfulLogins: 1, sessions: 1, commands: 1, downloads: 2, uploads: 1,
      tunnelRequests: 1, rareUsernames: 2, rareCommands: 1, downloadExecs: 1, parallelFailedLogins: 2, typedRareCommands: 1, typedUnknownCommands: 1, closedSessions: 2, closedSessionSeconds: 14.5, firstMs: 50_000, lastMs: 52_000,
    });
  });

  it("puts a late event in its own second and reports the window's first and last event times", () => {
    const timeline = new SourceIpTimeline();
    timeline.record(failed, 10, 10_400);
    timeline.record(failed, 12, 12_100);
    timeline.record(failed, 5, 5_900);
    timeline.record(failed, 12, 12_050);
    assert.equal(timeline.busySeconds, 3);
    const [three, ten] = timeline.tallies(12, [3, 10]);
    assert.deepEqual([three.events, three.firstMs, three.lastMs], [3, 10_400, 12_100]);
    assert.deepEqual([ten.events, ten.firstMs, ten.lastMs], [4, 5_900, 12_100]);
    const [empty] = timeline.tallies(100, [30]);
    assert.equal(empty.events, 0);
    assert.ok(Number.isNaN(empty.firstMs) && Number.isNaN(empty.lastMs));
  });

  it("writes over a kept set of tallies what new ones would hold, nothing of the previous windows left", () => {
    const busy = new SourceIpTimeline();
    const quiet = new SourceIpTimeline();
    busy.record({ eventid: "cowrie.session.closed", duration_ms: 2500 }, 10, 10_500);
    busy.record(failed, 12, 12_100);
    quiet.record(failed, 40, 40_000);
    const kept = [emptyTally(), emptyTally()];
    assert.deepEqual(busy.tallies(12, [3, 10], kept), busy.tallies(12, [3, 10]));
    assert.deepEqual(quiet.tallies(41, [1, 10], kept), quiet.tallies(41, [1, 10]));
    assert.equal(kept[0].events, 0);
    assert.ok(Number.isNaN(kept[0].firstMs));
    assert.deepEqual([kept[1].events, kept[1].closedSessions], [1, 0]);
  });

  it("sums exactly what a list of every event would, with at most one pane per second (property)", () => {
    const random = new SeededRandom("timeline");
    const timeline = new SourceIpTimeline();
    const all: number[] = [];
    let now = 0;
    for (let i = 0; i < 50_000; i++) {
      if (random.chance(0.01)) now += random.integer(1, 4);
      const second = random.chance(0.05) ? now - random.integer(0, 5) : now;
      timeline.record(failed, second, second * 1000);
      all.push(second);
      timeline.forgetBefore(now - 300 - 5 + 1); // what the longest window plus the tolerance needs
      assert.ok(timeline.busySeconds <= 305);
      if (i % 997 === 0) {
        const tallies = timeline.tallies(now, [30, 60, 300]);
        [30, 60, 300].forEach((width, w) => {
          assert.equal(tallies[w].failedLogins, all.filter((s) => s > now - width && s <= now).length, `window ${width} at event ${i}`);
        });
      }
    }
  });
});
