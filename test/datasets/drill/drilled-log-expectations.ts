/**
 * What every drilled log must satisfy, whatever the real log under it: the real lines all
 * there, unchanged and in order; labels that point at their episodes' lines; lines in time
 * order; drilled events written as the real log writes its own. Shared by the drill's tests on
 * built backgrounds and on the real sensors of ../shared/data.
 */
import assert from "node:assert/strict";
import type { AttackEpisodeLabel } from "../../../src/domain/attack-types";
import { cowrieTimestampToEpochMs } from "../../../src/ingest/cowrie-timestamp";

type CowrieEvent = Record<string, unknown>;

export function expectDrilledLog(realText: string, drilledText: string, labels: readonly AttackEpisodeLabel[]): void {
  const realLines = realText.split("\n").filter((line) => line !== "");
  assert.ok(drilledText.endsWith("\n"), "the drilled log ends with a newline");
  const lines = drilledText.slice(0, -1).split("\n");
  const events = lines.map((line) => JSON.parse(line) as CowrieEvent);
  const realEvents = realLines.map((line) => JSON.parse(line) as CowrieEvent);
  const episodeOf = new Map<string, number>();
  labels.forEach((label, index) => label.src_ips.forEach((ip) => episodeOf.set(ip, index)));

  const realSources = new Set(realEvents.map((event) => event.src_ip));
  for (const ip of episodeOf.keys()) assert.ok(!realSources.has(ip), `drilled source ${ip} is new to the real log`);

  // Every line without a drilled source is a real one, unchanged and in order, and none is missing.
  const kept = lines.filter((_, i) => !episodeOf.has(events[i].src_ip as string));
  assert.equal(kept.length, realLines.length, "as many undrilled lines as real ones");
  kept.forEach((line, i) => assert.equal(line, realLines[i], `real line ${i + 1}`));

  for (const [index, label] of labels.entries()) {
    const sources = new Set(label.src_ips);
    const first = events[label.first_line - 1];
    const last = events[label.last_line - 1];
    assert.ok(sources.has(first.src_ip as string) && first.timestamp === label.start, `episode ${index}'s first line`);
    assert.ok(sources.has(last.src_ip as string) && last.timestamp === label.end, `episode ${index}'s last line`);
    events.forEach((event, i) => {
      const episode = episodeOf.get(event.src_ip as string);
      const inRange = i + 1 >= label.first_line && i + 1 <= label.last_line;
      if (episode === index) assert.ok(inRange, `line ${i + 1} of episode ${index} lies in its range`);
      else if (inRange && episode !== undefined) assert.fail(`line ${i + 1} in episode ${index}'s range is from episode ${episode}`);
    });
  }

  const times = events.map((event) => cowrieTimestampToEpochMs(event.timestamp as string) as number);
  times.forEach((time, i) => assert.ok(i === 0 || time >= times[i - 1], `line ${i + 1} is not earlier than the line before`));

  expectOwnStyle(realEvents, events.filter((event) => episodeOf.has(event.src_ip as string)));
}

/** Drilled events carry the real log's sensor and uuid, and each eventid's fields as it writes them. */
function expectOwnStyle(realEvents: readonly CowrieEvent[], drilledEvents: readonly CowrieEvent[]): void {
  const fieldsOf = new Map<string, Set<string>>();
  for (const event of realEvents) {
    const id = event.eventid as string;
    if (!fieldsOf.has(id)) fieldsOf.set(id, new Set());
    (fieldsOf.get(id) as Set<string>).add(Object.keys(event).join(","));
  }
  const sensor = realEvents[0].sensor;
  const uuid = realEvents[0].uuid;
  const timestampShape = shapeOf(realEvents[0].timestamp as string);
  assert.ok(drilledEvents.length > 0);
  for (const event of drilledEvents) {
    assert.equal(event.sensor, sensor);
    assert.equal(event.uuid, uuid);
    assert.equal(shapeOf(event.timestamp as string), timestampShape, event.timestamp as string);
    const known = fieldsOf.get(event.eventid as string);
    if (known) assert.ok(known.has(Object.keys(event).join(",")), `${event.eventid as string}: ${Object.keys(event).join(",")} not among ${[...known].join(" | ")}`);
  }
}

/** The timestamp with its digits blotted out: `dddd-dd-ddTdd:dd:dd.dddddd+dddd`. */
function shapeOf(timestamp: string): string {
  return timestamp.replace(/\d/g, "d");
}
