import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CowrieEventCleaner } from "../../src/clean/cowrie-event-cleaner";
import { drillAttacks } from "../../src/datasets/drill/attack-drill";
import { CowrieLogGenerator, type CowrieLogGeneratorOptions } from "../../src/datasets/synth/cowrie/cowrie-log-generator";
import { RegimeDrift, regimeDriftEvent, type RegimeChange, type RegimeEvent } from "../../src/drift/regime-drift";
import { parseCowrieLine } from "../../src/ingest/cowrie-line";
import { cowrieTimestampToEpochMs } from "../../src/ingest/cowrie-timestamp";
import { NEW_POPULATION, OLD_POPULATION, START, traffic } from "../support/regime-traffic";

const MINUTE = 60_000;

function changesOf(monitor: RegimeDrift, events: Iterable<RegimeEvent>): RegimeChange[] {
  const changes: RegimeChange[] = [];
  for (const event of events) {
    const change = monitor.observe(event);
    if (change) changes.push(change);
  }
  return changes;
}

const at = (ms: number) => new Date(ms).toISOString().slice(11, 16);
const describeChanges = (changes: RegimeChange[]) => changes.map((c) => `${at(c.time)} ${c.distance.toFixed(2)} ${c.summary}`).join("; ");

describe("RegimeDrift", () => {
  it("reports nothing on a stationary mix: 12 hours of 30 sources a minute", () => {
    const changes = changesOf(new RegimeDrift(), traffic("stationary", 12 * 60, () => OLD_POPULATION));
    assert.deepEqual(changes, [], describeChanges(changes));
  });

  it("reports a new bot population once, within 15 minutes, saying what changed and since when", () => {
    const changeAt = 90;
    const changes = changesOf(new RegimeDrift(), traffic("abrupt", 240, (m) => (m < changeAt ? OLD_POPULATION : NEW_POPULATION)));
    assert.equal(changes.length, 1, describeChanges(changes));
    const [change] = changes;
    const changeMs = START + changeAt * MINUTE;
    assert.ok(change.time > changeMs && change.time <= changeMs + 15 * MINUTE, `found at ${at(change.time)}`);
    assert.ok(Math.abs(change.since - changeMs) <= 5 * MINUTE, `since ${at(change.since)}`);
    assert.ok(change.distance >= 0.5 && change.distance <= 1, `distance ${change.distance}`);
    // The client that came and the one that went lead the list, with their shares before and after.
    const client = (value: string) => change.changes.find((c) => c.facet === "client" && c.value === value);
    assert.ok(client("SSH-2.0-libssh_0.9.6") && (client("SSH-2.0-libssh_0.9.6")?.before ?? 1) < 0.05 && (client("SSH-2.0-libssh_0.9.6")?.after ?? 0) > 0.6, JSON.stringify(change.changes));
    assert.ok((client("SSH-2.0-Go")?.before ?? 0) > 0.6 && (client("SSH-2.0-Go")?.after ?? 1) < 0.05, JSON.stringify(change.changes));
    assert.match(change.summary, /SSH-2\.0-libssh_0\.9\.6 0\.00 -> 0\.\d\d/);
    assert.match(change.summary, /SSH-2\.0-Go 0\.\d\d -> 0\.00/);
  });

  it("does not take a burst of other traffic for a new regime: 8 minutes of it, or a few minutes of it every 10", () => {
    const burst = (m: number) => m >= 100 && m < 108;
    const long = changesOf(new RegimeDrift(), traffic("burst", 240, (m) => (burst(m) ? NEW_POPULATION : OLD_POPULATION), (m) => (burst(m) ? 400 : 30)));
    assert.deepEqual(long, [], describeChanges(long));
    // Attacks every 10 minutes from minute 60, each 3 minutes of many sources doing something else.
    const attack = (m: number) => m >= 60 && m % 10 < 3;
    const repeated = changesOf(new RegimeDrift(), traffic("attacks", 240, (m) => (attack(m) ? NEW_POPULATION : OLD_POPULATION), (m) => (attack(m) ? 200 : 30)));
    assert.deepEqual(repeated, [], describeChanges(repeated));
  });

  it("reports a change back to the old regime, but not within minGapMinutes of the last change", () => {
    // The new population from minute 60, the old one back from minute 120.
    const population = (m: number) => (m >= 60 && m < 120 ? NEW_POPULATION : OLD_POPULATION);
    const both = changesOf(new RegimeDrift(), traffic("back", 300, population));
    assert.equal(both.length, 2, describeChanges(both));
    assert.ok(both[1].time > START + 120 * MINUTE && both[1].time <= START + 135 * MINUTE, describeChanges(both));
    assert.ok((both[1].changes.find((c) => c.value === "SSH-2.0-Go")?.after ?? 0) > 0.6, "the second change is measured against the new regime");
    const spaced = changesOf(new RegimeDrift({ minGapMinutes: 120 }), traffic("back", 300, population));
    assert.equal(spaced.length, 1, describeChanges(spaced));
  });

  it("on a sparse sensor, waits until a block has blockSources sources, however many minutes that takes", () => {
    const monitor = new RegimeDrift({ blockSources: 10 });
    // Two sources a minute: a block spans 5 minutes, so 28 blocks need 140 minutes of traffic.
    const changes = changesOf(monitor, traffic("sparse", 600, (m) => (m < 300 ? OLD_POPULATION : NEW_POPULATION), () => 2));
    assert.equal(monitor.blocks, 600 / 5 - 1);
    assert.equal(changes.length, 1, describeChanges(changes));
    assert.ok(changes[0].time > START + 300 * MINUTE && changes[0].time <= START + 360 * MINUTE, `found at ${at(changes[0].time)}`);
  });

  it("continues from its JSON state as if it had never stopped", () => {
    const events = [...traffic("restart", 200, (m) => (m < 120 ? OLD_POPULATION : NEW_POPULATION))];
    const uninterrupted = changesOf(new RegimeDrift(), events);
    assert.equal(uninterrupted.length, 1);
    const first = new RegimeDrift();
    const before = changesOf(first, events.slice(0, 3000));
    const again = RegimeDrift.fromJSON(JSON.parse(JSON.stringify(first)));
    assert.deepEqual([...before, ...changesOf(again, events.slice(3000))], uninterrupted);
    assert.throws(() => RegimeDrift.fromJSON({ options: new RegimeDrift().options } as never), TypeError);
  });

  it("refuses options it cannot run with", () => {
    for (const bad of [{ blockSources: 0 }, { recentMinutes: -1 }, { minChange: 1.5 }, { minChange: 0 }, { permutations: 1.5 }, { referenceBlocks: 4, minReferenceBlocks: 10 }]) {
      assert.throws(() => new RegimeDrift(bad), RangeError, JSON.stringify(bad));
    }
  });

  it("gives the drift node's event: the numbers dashboards and InfluxDB read, and what changed", () => {
    const [change] = changesOf(new RegimeDrift(), traffic("event", 200, (m) => (m < 120 ? OLD_POPULATION : NEW_POPULATION)));
    const event = regimeDriftEvent(change, 1234);
    assert.equal(event.detector, "regime");
    assert.equal(event.position, 1234);
    assert.equal(event.value, change.distance);
    assert.equal(event.time, change.time);
    assert.deepEqual([event.old_mean, event.new_mean], [change.changes[0].before, change.changes[0].after]);
    assert.equal(event.summary, change.summary);
  });
});

/** A generated or drilled Cowrie log as the monitor sees it in the pipeline: cleaned events. */
function* cleanedEvents(lines: Iterable<string>): Generator<RegimeEvent> {
  const cleaner = new CowrieEventCleaner({ futureToleranceMs: Number.POSITIVE_INFINITY });
  for (const line of lines) {
    const parsed = parseCowrieLine(line);
    if ("reason" in parsed) continue;
    const outcome = cleaner.clean(parsed.event);
    if (outcome.kind === "clean") yield outcome.event;
  }
}
const generated = (options: CowrieLogGeneratorOptions) => [...new CowrieLogGenerator(options)].map((l) => l.line);

describe("RegimeDrift on generated Cowrie logs", function () {
  this.timeout(120_000);
  const background = { events: 40_000, rate: 3, maxEpisodes: 0 };

  it("finds nothing in hours of stationary background (two seeds, about 3.7 hours each)", () => {
    for (const seed of ["regime-1", "regime-2"]) {
      const changes = changesOf(new RegimeDrift(), cleanedEvents(generated({ ...background, seed })));
      assert.deepEqual(changes, [], `${seed}: ${describeChanges(changes)}`);
    }
  });

  it("finds each planted regime change within 15 minutes, and nothing else", () => {
    const planted = [60, 120, 180].map((m) => START + m * MINUTE);
    const changes = changesOf(new RegimeDrift(), cleanedEvents(generated({ ...background, seed: "regime-1", regimeChangesAt: planted })));
    assert.equal(changes.length, planted.length, describeChanges(changes));
    changes.forEach((change, i) => assert.ok(change.time > planted[i] && change.time <= planted[i] + 15 * MINUTE, describeChanges(changes)));
  });

  it("does not take attacks drilled every 90 s into the background for regime changes", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "honeyflow-regime-"));
    try {
      const log = path.join(dir, "background.json");
      fs.writeFileSync(log, `${generated({ ...background, events: 20_000, seed: "regime-drill" }).join("\n")}\n`);
      const drilled = path.join(dir, "drilled.json");
      // From the 45th minute (after the monitor's warm-up), until the background ends at about 111 minutes.
      const out = fs.createWriteStream(drilled);
      await drillAttacks({ files: [log], out, seed: "1", episodes: 30, intensity: "mixed", startMs: START + 45 * MINUTE, everyMs: 90_000, gapMs: 30_000 });
      await new Promise((resolve) => out.end(resolve));
      const lines = fs.readFileSync(drilled, "utf8").split("\n").filter(Boolean);
      const backgroundEnd = cowrieTimestampToEpochMs(JSON.parse(fs.readFileSync(log, "utf8").trimEnd().split("\n").pop() as string).timestamp as string) as number;
      const changes = changesOf(new RegimeDrift(), cleanedEvents(lines)).filter((c) => c.time <= backgroundEnd);
      assert.deepEqual(changes, [], describeChanges(changes));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
