import assert from "node:assert/strict";
import { CowrieEventCleaner } from "../../src/clean/cowrie-event-cleaner";
import { DataQualityMetrics, InfluxPoint } from "../../src/clean/data-quality-metrics";
import { heapKeptBy } from "../support/garbage-collector";

const START = Date.parse("2026-03-18T10:30:00Z");

/** A cleaner and metrics on one hand-driven clock, as the node runs them on Date.now. */
function pipeline() {
  const clock = { now: START };
  const now = () => clock.now;
  const cleaner = new CowrieEventCleaner({ now });
  const quality = new DataQualityMetrics({ tags: { node: "clean-1" }, now });
  const feed = (payload: unknown) => quality.observe(cleaner.clean(payload));
  return { clock, feed, quality };
}

/** A 2.x event written `lagMs` before START. */
function event(eventid: string, lagMs: number, fields: Record<string, unknown> = {}) {
  const timestamp = new Date(START - lagMs).toISOString().replace("Z", "000Z");
  return { eventid, timestamp, src_ip: "203.0.113.7", session: `s-${lagMs}`, sensor: "sensor-1", protocol: "ssh", ...fields };
}

const find = (points: InfluxPoint[], measurement: string, tag?: [string, string]) =>
  points.find((p) => p.measurement === measurement && (!tag || p.tags[tag[0]] === tag[1]));

describe("DataQualityMetrics", () => {
  it("reports an interval's validity, completeness, consistency, timeliness and rate", () => {
    const { clock, feed, quality } = pipeline();
    feed(event("cowrie.login.failed", 100, { username: "root", password: "x" }));   // 5 of 5 fields
    feed(event("cowrie.login.failed", 200, { username: "root" }));                  // 4 of 5
    feed(event("cowrie.session.closed", 300, { duration: "1.5" }));                 // 4 of 4, duration not canonical
    feed(event("cowrie.client.size", 400, { protocol: undefined }));                // 2 of 3
    feed({ ...event("cowrie.login.failed", 100, { username: "root", password: "x" }) }); // duplicate
    feed(event("cowrie.login.failed", 50, { src_ip: "999.1.1.1" }));                // bad-src_ip
    feed("not json");                                                              // malformed-json
    clock.now += 10_000;
    const points = quality.report();

    const main = find(points, "honeyflow_clean");
    assert.deepEqual(main, {
      measurement: "honeyflow_clean",
      tags: { node: "clean-1" },
      fields: {
        events: 7, clean: 4, rejected: 2, duplicates: 1, partial: 0, events_per_second: 0.7,
        validity: 4 / 6,
        completeness: (5 + 4 + 4 + 2) / (5 + 5 + 4 + 3),
        consistency: 3 / 4,
        // Lags were taken at START, when the events arrived: 100, 200, 300, 400 ms.
        lag_p50_ms: 200,
        lag_p95_ms: 400,
        interval_s: 10,
      },
      timestamp: START + 10_000,
    });
    assert.deepEqual(find(points, "honeyflow_clean_completeness", ["eventid", "cowrie.login.failed"])?.fields, { completeness: 9 / 10, events: 2 });
    assert.deepEqual(find(points, "honeyflow_clean_completeness", ["eventid", "cowrie.client.size"])?.fields, { completeness: 2 / 3, events: 1 });
    assert.deepEqual(find(points, "honeyflow_clean_consistency", ["check", "duration"])?.fields, { consistency: 0, events: 1 });
    assert.deepEqual(find(points, "honeyflow_clean_consistency", ["check", "timestamp"])?.fields, { consistency: 1, events: 4 });
    assert.deepEqual(find(points, "honeyflow_clean_rejects", ["reason", "bad-src_ip"])?.fields, { count: 1 });
    assert.deepEqual(find(points, "honeyflow_clean_rejects", ["reason", "malformed-json"])?.fields, { count: 1 });
    assert.deepEqual(find(points, "honeyflow_clean_rejects", ["reason", "future-timestamp"])?.fields, { count: 0 });
    assert.equal(points.filter((p) => p.measurement === "honeyflow_clean_rejects").length, CowrieEventCleaner.rejectReasons.length);
  });

  it("starts a fresh interval after each report, and leaves out shares it could not measure", () => {
    const { clock, feed, quality } = pipeline();
    feed(event("cowrie.client.size", 10));
    clock.now += 10_000;
    quality.report();
    clock.now += 5_000;
    const points = quality.report();
    assert.deepEqual(find(points, "honeyflow_clean")?.fields, { events: 0, clean: 0, rejected: 0, duplicates: 0, partial: 0, events_per_second: 0, interval_s: 5 });
    assert.equal(find(points, "honeyflow_clean_completeness"), undefined);
    assert.equal(find(points, "honeyflow_clean_rejects", ["reason", "bad-src_ip"])?.fields.count, 0);
    assert.equal(find(points, "honeyflow_clean_invalid_fields", ["field", "dst_port"])?.fields.count, 0);
  });

  it("counts events kept without a field they wrote wrong against validity, and names the field", () => {
    const { clock, feed, quality } = pipeline();
    feed(event("cowrie.direct-tcpip.request", 100, { dst_ip: "198.51.100.1", dst_port: 99999 }));
    feed(event("cowrie.session.connect", 200, { src_port: 40000, dst_ip: "x.x.x.x", dst_port: 23 }));
    feed(event("cowrie.session.connect", 300, { src_port: 40001, dst_ip: "x.x.x.x", dst_port: 23 }));
    feed(event("cowrie.login.failed", 400, { username: "root", password: "x" }));
    clock.now += 10_000;
    const points = quality.report();
    const main = find(points, "honeyflow_clean")?.fields;
    assert.deepEqual([main?.clean, main?.rejected, main?.partial, main?.validity], [4, 0, 3, 1 / 4]);
    assert.deepEqual(find(points, "honeyflow_clean_invalid_fields", ["field", "dst_ip"])?.fields, { count: 2 });
    assert.deepEqual(find(points, "honeyflow_clean_invalid_fields", ["field", "dst_port"])?.fields, { count: 1 });
    assert.deepEqual(find(points, "honeyflow_clean_invalid_fields", ["field", "src_port"])?.fields, { count: 0 });
    assert.equal(find(points, "honeyflow_clean_completeness", ["eventid", "cowrie.session.connect"])?.fields.completeness, 5 / 6,
      "a field written wrong is not written");
  });

  it("measures timeliness against the processing clock", () => {
    const { clock, feed, quality } = pipeline();
    clock.now += 60_000; // the events arrive a minute after they were written, plus their own lag
    for (let lag = 1; lag <= 100; lag++) feed(event("cowrie.client.size", lag));
    const main = find(quality.report(), "honeyflow_clean");
    assert.equal(main?.fields.lag_p50_ms, 60_050);
    assert.equal(main?.fields.lag_p95_ms, 60_095);
  });

  it("keeps the number of per-eventid series bounded", () => {
    const { feed, quality } = pipeline();
    for (let n = 0; n < 150; n++) feed(event(`cowrie.made.up.${n}`, n + 1));
    const perEventid = quality.report().filter((p) => p.measurement === "honeyflow_clean_completeness");
    assert.equal(perEventid.length, 101);
    assert.equal(perEventid.find((p) => p.tags.eventid === "(more)")?.fields.events, 50);
  });

  it("holds no forged eventid of half a megabyte until the report (never, with the node's metrics off), nor tags a point with one", () => {
    const { feed, quality } = pipeline();
    const kept = heapKeptBy(() => {
      for (let n = 0; n < 100; n++) feed(event(`cowrie.${n}.`.padEnd(512 * 1024, "x"), n + 1));
    });
    assert.ok(kept < 2 * 2 ** 20, `${(kept / 2 ** 20).toFixed(1)} MB kept`);
    feed(event("cowrie.login.failed", 1, { username: "root", password: "x" }));
    const perEventid = quality.report().filter((p) => p.measurement === "honeyflow_clean_completeness");
    assert.deepEqual(perEventid.map((p) => [p.tags.eventid, p.fields.events]), [["(more)", 100], ["cowrie.login.failed", 1]]);
  });
});
