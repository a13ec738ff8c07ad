import assert from "node:assert/strict";
import { SeededRandom } from "../../src/stats/seeded-random";
import { TypedWatch } from "../../src/typed-detection/typed-watch";

const spec = { type: "brute-force", feature: "failed_logins_1m", unit: "source", floor: 8, prior: 15 } as const;
const HOUR = 3_600_000;

describe("TypedWatch", () => {
  it("uses its prior on a new sensor, so a first-hour attack is found", () => {
    const watch = new TypedWatch(spec);
    for (let i = 0; i < 20; i++) watch.observe(i % 3, { src_ip: `bg-${i}`, sensor: "s", time_ms: i * 1000 }, 0.5);
    assert.equal(watch.observe(14, { src_ip: "a", sensor: "s", time_ms: 30_000 }, 0.5), undefined);
    assert.equal(watch.observe(15, { src_ip: "a", sensor: "s", time_ms: 31_000 }, 0.5)?.threshold, 15);
  });

  it("does not take a busy new sensor's steady traffic for an attack, but still sees a spike on it", () => {
    const spike = new TypedWatch({ type: "traffic-spike", feature: "new_ips_per_min", unit: "sensor-minute", floor: 6, prior: 20 });
    const random = new SeededRandom("busy");
    const flagged = Array.from({ length: 600 }, (_, i) => spike.observe(120 + random.integer(0, 25), { src_ip: `10.0.${i}.1`, sensor: "s", time_ms: i * 1000 }, 0.5));
    assert.equal(flagged.filter(Boolean).length, 0, "132 new sources a minute is this sensor's normal");
    assert.equal(spike.observe(1500, { src_ip: "x", sensor: "s", time_ms: 601_000 }, 0.5)?.type, "traffic-spike");
  });

  it("judges a quiet new sensor's first attack by the sensor's other minutes, however many events the attack itself writes", () => {
    const campaign = new TypedWatch({ type: "credential-stuffing", feature: "campaign_sources_1m", unit: "sensor-minute", floor: 5, prior: 8 });
    // The sensor's first hours: fifteen quiet minutes, one or two events each.
    for (let m = 0; m < 15; m++) for (let e = 0; e < 2; e++) campaign.observe(e, { src_ip: `bg-${m}`, sensor: "s", time_ms: m * 20 * 60_000 + e * 1000 }, 0.5);
    // Then 15 new sources behind one password within a minute, each writing ten events: the campaign
    // outnumbers the sensor's events so far, and must not set its own threshold.
    const start = 15 * 20 * 60_000;
    const findings = [];
    for (let source = 1; source <= 15; source++) {
      for (let e = 0; e < 10; e++) findings.push(campaign.observe(source, { src_ip: `c-${source}`, sensor: "s", time_ms: start + source * 3000 + e * 100 }, 0.5));
    }
    assert.equal(findings.find((finding) => finding !== undefined)?.value, 8, "found when it reaches the prior");
  });

  it("finds a spike in a quiet sensor's first hours though an earlier wave wrote more events than the sensor had", () => {
    const spike = new TypedWatch({ type: "traffic-spike", feature: "new_ips_per_min", unit: "sensor-minute", floor: 3, prior: 8 });
    const MINUTE = 60_000;
    // Ten quiet minutes, five apart (each closes before the next): three events, one new source.
    for (let m = 0; m < 50; m += 5) for (let e = 0; e < 3; e++) spike.observe(1, { src_ip: `198.51.100.${m}`, sensor: "s", time_ms: m * MINUTE + e * 1000 }, 0.25);
    // A wave of 200 events climbing to 15 new sources in a minute, then, half an hour on, a spike
    // of 150 climbing to 21: the wave's events would put the 90th percentile over events near 15.
    const wave = (m: number, events: number, top: number) =>
      Array.from({ length: events }, (_, i) => spike.observe(Math.floor(((i + 1) * top) / events), { src_ip: `203.0.113.${i % 250}`, sensor: "s", time_ms: m * MINUTE + i * 250 }, 0.25));
    assert.equal(wave(60, 200, 15).find(Boolean)?.threshold, 8, "the first wave, on the prior");
    const found = wave(90, 150, 21).find(Boolean);
    assert.deepEqual([found?.type, found?.threshold], ["traffic-spike", 8], "the wave's few minutes do not set the next one's bar");
  });

  it("still judges a busy new sensor's minutes by their events, so a spike a little over twice its level is found", () => {
    const spike = new TypedWatch({ type: "traffic-spike", feature: "new_ips_per_min", unit: "sensor-minute", floor: 3, prior: 8 });
    const random = new SeededRandom("busy-minutes");
    // Five busy minutes, each climbing to its peak of 90-140 new sources (their median 115 or so),
    // then a minute climbing to 280: over twice the events' 90th percentile, not twice 1.5 x the median peak.
    let t = 0;
    for (let m = 0; m < 5; m++) {
      const top = 90 + random.integer(0, 50);
      for (let i = 0; i < 600; i++, t += 100) spike.observe(Math.min(top, 60 + random.integer(0, top - 50)), { src_ip: `10.${m}.${i % 250}.1`, sensor: "s", time_ms: t }, 0.5);
    }
    const findings = Array.from({ length: 600 }, (_, i) => spike.observe(Math.floor(((i + 1) * 280) / 600), { src_ip: `10.9.${i % 250}.1`, sensor: "s", time_ms: t + i * 100 }, 0.5));
    assert.equal(findings.find(Boolean)?.type, "traffic-spike");
  });

  it("learns nothing from a low spike in a quiet sensor's first minutes, which its prior lets pass, and finds the next one like it", () => {
    const spike = new TypedWatch({ type: "traffic-spike", feature: "new_ips_per_min", unit: "sensor-minute", floor: 3, prior: 20 });
    const MINUTE = 60_000;
    const minute = (m: number, newSources: number) => spike.observe(newSources, { src_ip: `198.51.100.${m % 250}`, sensor: "s", time_ms: m * MINUTE }, 0.25);
    // A quiet sensor's first minutes, a new source or none each; then six new sources in a minute.
    for (let m = 0; m < 10; m++) minute(m * 5, m % 2);
    assert.equal(minute(50, 6), undefined, "the cold watch waits for its prior");
    // A day of the sensor's normal, then the same six again.
    for (let m = 60; m < 1500; m += 5) minute(m, m % 3 === 0 ? 2 : m % 2);
    assert.equal(minute(1500, 6)?.type, "traffic-spike", "the first six was not learned as the sensor's normal");
  });

  it("learns the sensor's baseline, never goes below its floor, and finds a second attack like the first", () => {
    const random = new SeededRandom("watch");
    const watch = new TypedWatch(spec);
    let t = 0;
    // Five days of sources that fail 0-3 logins a minute, 40 a day.
    for (let k = 0; k < 200; k++, t += HOUR / 8) watch.observe(random.integer(0, 3), { src_ip: `bg-${k}`, sensor: "s", time_ms: t }, 0.5);
    assert.equal(watch.observe(7, { src_ip: "quiet", sensor: "s", time_ms: t }, 0.5), undefined, "below the floor of 8");
    const first = watch.observe(16, { src_ip: "attacker-1", sensor: "s", time_ms: t + 1000 }, 0.5);
    assert.deepEqual([first?.type, first?.threshold], ["brute-force", 8], "16 failed logins a minute is beyond this quiet sensor's baseline and its floor");
    t += 2 * HOUR;
    for (let k = 0; k < 40; k++, t += HOUR / 8) watch.observe(random.integer(0, 3), { src_ip: `bg2-${k}`, sensor: "s", time_ms: t }, 0.5);
    assert.equal(watch.observe(16, { src_ip: "attacker-2", sensor: "s", time_ms: t }, 0.5)?.type, "brute-force");
  });

  it("learns an alert just past its threshold as the sensor's own margin, so the threshold rises to it", () => {
    const random = new SeededRandom("margin");
    const watch = new TypedWatch({ ...spec, floor: 2 });
    let t = 0;
    for (let k = 0; k < 200; k++, t += HOUR / 8) watch.observe(random.integer(0, 3), { src_ip: `bg-${k}`, sensor: "s", time_ms: t }, 0.5);
    const marginal = Array.from({ length: 6 }, (_, k) => watch.observe(4, { src_ip: `edge-${k}`, sensor: "s", time_ms: (t += HOUR) }, 0.5));
    assert.ok(marginal[0] !== undefined && marginal[marginal.length - 1] === undefined, marginal.map((f) => f?.threshold ?? "-").join(" "));
  });

  it("keeps one baseline per sensor: a busy sensor's bursts do not hide a quiet one's", () => {
    const random = new SeededRandom("sensors");
    const watch = new TypedWatch(spec);
    let t = 0;
    for (let k = 0; k < 300; k++, t += HOUR / 10) {
      watch.observe(random.integer(20, 60), { src_ip: `busy-${k}`, sensor: "busy", time_ms: t }, 0.5);
      watch.observe(random.integer(0, 2), { src_ip: `quiet-${k}`, sensor: "quiet", time_ms: t }, 0.5);
    }
    assert.equal(watch.observe(30, { src_ip: "x", sensor: "busy", time_ms: t }, 0.5), undefined);
    assert.equal(watch.observe(30, { src_ip: "y", sensor: "quiet", time_ms: t }, 0.5)?.type, "brute-force");
  });

  it("keeps its baselines whatever sensor names posted events carry: a judged event makes none", () => {
    const watch = new TypedWatch(spec);
    for (let k = 0; k < 40; k++) watch.observe(k % 3, { src_ip: `bg-${k}`, sensor: "live", time_ms: k * HOUR }, 0.5);
    const before = JSON.stringify(watch.toJSON());
    for (let k = 0; k < 2000; k++) watch.observe(50, { src_ip: "203.0.113.7", sensor: `posted-${k}`, time_ms: 41 * HOUR }, 0.5, false);
    assert.equal(JSON.stringify(watch.toJSON()), before);
    assert.equal(watch.observe(50, { src_ip: "203.0.113.7", sensor: "posted-x", time_ms: 41 * HOUR }, 0.5, false)?.threshold, 15, "judged by the prior");
  });
});
