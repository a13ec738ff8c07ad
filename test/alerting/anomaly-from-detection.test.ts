import assert from "node:assert/strict";
import { alertInputFromPayload, anomalyFromDetection } from "../../src/alerting/anomaly-from-detection";
import { heapKeptBy } from "../support/garbage-collector";

const explanation = { top_features: [{ name: "failed_logins_30s", value: 540, usual: [0, 3] as [number, number], outlyingness: 9 }], attack_type: "brute-force" as const };
/** What the online detector sends on its anomalies output after window features. */
const scoredEvent = (overrides: Record<string, unknown> = {}) => ({
  src_ip: "203.0.113.7", time: "2026-03-18T10:00:00.000Z", features: {}, vector: [540], names: ["failed_logins_30s"],
  detection: { detector: "default", score: 0.998, threshold: 0.97, anomaly: true, warm: true, explanation }, ...overrides,
});

describe("anomalyFromDetection and alertInputFromPayload", () => {
  it("turns an explained detection into an anomaly, and anything else into nothing", () => {
    const event = { time_ms: 1000, src_ip: "203.0.113.7", sensor: "s1", line: 7 };
    assert.deepEqual(anomalyFromDetection(event, { anomaly: true, score: 0.99, explanation }), {
      time_ms: 1000, src_ip: "203.0.113.7", sensor: "s1", score: 0.99, attack_type: "brute-force", top_features: explanation.top_features, line: 7,
    });
    assert.equal(anomalyFromDetection(event, { anomaly: false, score: 0.2 }), undefined);
    assert.equal(anomalyFromDetection(event, { anomaly: true, score: 0.99 }), undefined, "an unexplained detection is not alerted");
  });

  it("reads the online detector's anomaly messages", () => {
    const input = alertInputFromPayload(scoredEvent({ sensor: "sensor-1" }));
    assert.deepEqual(input, {
      sensor: "sensor-1",
      anomaly: {
        time_ms: Date.parse("2026-03-18T10:00:00.000Z"), src_ip: "203.0.113.7", sensor: "sensor-1", score: 0.998, attack_type: "brute-force",
        top_features: explanation.top_features, detector: "default",
      },
    });
    assert.deepEqual(alertInputFromPayload(scoredEvent({ detection: { score: 0.1, anomaly: false } })), { sensor: "" }, "a normal event only proves the sensor alive");
    const detectorOf = (detector: unknown) => alertInputFromPayload(scoredEvent({ detection: { detector, score: 0.99, anomaly: true, explanation } })).anomaly?.detector;
    assert.equal(detectorOf("rules"), "rules");
    assert.equal(detectorOf("r".repeat(10_000))?.length, 256, "capped");
    assert.equal(detectorOf(42), undefined);
  });

  it("carries a malware drop's payload name, capped, and no other type's", () => {
    const drop = { ...explanation, attack_type: "malware-drop" as const };
    const event = { time_ms: 1000, src_ip: "203.0.113.7", sensor: "s1", dropped_payload: "wget http://*/i" };
    assert.equal(anomalyFromDetection(event, { anomaly: true, score: 0.99, explanation: drop })?.dropped_payload, "wget http://*/i");
    assert.equal(anomalyFromDetection(event, { anomaly: true, score: 0.99, explanation })?.dropped_payload, undefined, "a brute force from a source that once dropped");
    const read = (dropped_payload: unknown) => alertInputFromPayload(scoredEvent({ dropped_payload, detection: { score: 0.99, anomaly: true, explanation: drop } })).anomaly?.dropped_payload;
    assert.equal(read("sha256:94f2"), "sha256:94f2");
    assert.equal(read(`wget http://*/${"\u0000\"<x>".repeat(1000)}`)?.length, 256);
    for (const junk of [42, "", null, { a: 1 }]) assert.equal(read(junk), undefined, JSON.stringify(junk));
    const shaped = alertInputFromPayload({ time_ms: 5, src_ip: "192.0.2.1", score: 0.9, attack_type: "malware-drop", top_features: [], dropped_payload: "sha256:ab" });
    assert.equal(shaped.anomaly?.dropped_payload, "sha256:ab");
  });

  it("keeps its capped strings, not the payload's whole ones: an open incident holds an anomaly for up to a day", () => {
    const drop = { ...explanation, attack_type: "malware-drop" as const };
    const held: unknown[] = [];
    const kept = heapKeptBy(() => {
      for (let i = 0; i < 200; i++) {
        const huge = String(i).repeat(128 * 1024);
        const src_geo = { country: "NL", as_org: `${huge}o`, country_name: `${huge}c`, city: `${huge}t` };
        held.push(alertInputFromPayload(scoredEvent({ src_ip: huge, sensor: `${huge}s`, dropped_payload: `${huge}d`, src_geo, detection: { score: 0.99, anomaly: true, explanation: drop } })));
      }
    });
    assert.equal(held.length, 200);
    assert.ok(kept < 5 * 2 ** 20, `${(kept / 2 ** 20).toFixed(1)} MB kept`);
  });

  it("accepts an already-shaped anomaly", () => {
    const input = alertInputFromPayload({ time_ms: 5, src_ip: "192.0.2.1", score: 0.9, attack_type: "malware-drop", top_features: [] });
    assert.equal(input.anomaly?.attack_type, "malware-drop");
    assert.equal(input.anomaly?.time_ms, 5);
  });

  it("caps attacker-sized strings", () => {
    const huge = "x".repeat(1_000_000);
    const input = alertInputFromPayload(scoredEvent({ src_ip: huge, sensor: huge }));
    assert.ok((input.anomaly?.src_ip.length ?? Infinity) <= 256);
    assert.ok(input.sensor.length <= 256);
  });

  it("says what is wrong with anything else", () => {
    const bad: Array<[unknown, RegExp]> = [
      ["a string", /not an object/],
      [{ vector: [1, 2] }, /neither payload.detection/],
      [scoredEvent({ detection: { anomaly: "yes" } }), /payload.detection must be/],
      [scoredEvent({ time: "yesterday" }), /time_ms .* or payload.time/],
      [scoredEvent({ src_ip: 42 }), /src_ip must be a string/],
      [scoredEvent({ src_ip: "" }), /src_ip is empty/],
      [scoredEvent({ detection: { score: 1, anomaly: true, explanation: { attack_type: "alien", top_features: [] } } }), /attack type must be one of/],
      [scoredEvent({ detection: { score: 1, anomaly: true, explanation: { attack_type: "brute-force", top_features: [{ name: 1 }] } } }), /top_features must be/],
      [{ attack_type: "brute-force", src_ip: "192.0.2.1", time_ms: 1 }, /score must be a number/],
    ];
    for (const [payload, reason] of bad) assert.throws(() => alertInputFromPayload(payload), reason, JSON.stringify(payload).slice(0, 80));
  });

  it("takes enrich's src_geo, field by field: wrong kinds are null, names are capped, anything but an object is left out", () => {
    const src_geo = { country: "NL", country_name: "Netherlands", asn: 14061, as_org: "DIGITALOCEAN-ASN" };
    assert.deepEqual(alertInputFromPayload(scoredEvent({ src_geo })).anomaly?.src_geo, src_geo);
    const shaped = alertInputFromPayload({ time_ms: 5, src_ip: "192.0.2.1", score: 0.9, attack_type: "malware-drop", src_geo: { country: null, country_name: null, asn: null, as_org: null, special_use: "documentation" } });
    assert.deepEqual(shaped.anomaly?.src_geo, { country: null, country_name: null, asn: null, as_org: null, special_use: "documentation" });

    const hostile = "<img src=x onerror=alert(1)>".repeat(40_000);
    const read = alertInputFromPayload(scoredEvent({
      src_geo: { country: "nl; DROP", country_name: { toString: "x" }, city: hostile, asn: -1, as_org: hostile, special_use: "__proto__", extra: "x" },
    })).anomaly?.src_geo;
    assert.ok(read);
    assert.equal(read.country, null);
    assert.equal(read.country_name, null);
    assert.equal(read.asn, null);
    assert.ok(read.as_org !== null && read.as_org.length <= 128 && read.as_org.startsWith("<img src=x"));
    assert.ok(read.city !== undefined && read.city.length <= 128);
    assert.deepEqual(Object.keys(read).sort(), ["as_org", "asn", "city", "country", "country_name"], "only documented fields, no unknown special use");
    for (const asn of [2 ** 32, 1.5, "14061"]) assert.equal(alertInputFromPayload(scoredEvent({ src_geo: { asn } })).anomaly?.src_geo?.asn, null);

    for (const odd of [null, "NL", [1], 7]) {
      const input = alertInputFromPayload(scoredEvent({ src_geo: odd }));
      assert.ok(input.anomaly, "a broken src_geo does not cost the alert");
      assert.equal("src_geo" in input.anomaly, false);
    }
    assert.equal("src_geo" in (alertInputFromPayload(scoredEvent()).anomaly ?? {}), false);
  });

  it("takes enrich's intel on an anomaly, and a late verdict alone as one, each field of its kind or null", () => {
    const abuseipdb = { abuse_confidence: 97, total_reports: 312, distinct_reporters: 87, last_reported: "2026-06-17T19:51:40+00:00",
      usage_type: "Data Center", isp: "DigitalOcean LLC", domain: "digitalocean.com", is_tor: false, is_whitelisted: false };
    assert.deepEqual(alertInputFromPayload(scoredEvent({ intel: { abuseipdb } })).anomaly?.intel, { abuseipdb });

    const hostile = "<!channel> <script>".repeat(40_000);
    const late = alertInputFromPayload({ id: "a1", src_ip: "198.51.100.7", intel: {
      abuseipdb: { abuse_confidence: 1000, isp: hostile, is_tor: "yes" },
      greynoise: { classification: "__proto__", name: hostile, noise: true },
      otx: { pulses: [hostile, 7, "Mirai"], pulse_count: -1 },
      shodan: { ports: [22] },
    } });
    assert.equal(late.anomaly, undefined);
    assert.equal(late.lateIntel?.src_ip, "198.51.100.7");
    const intel = late.lateIntel?.intel;
    assert.equal(intel?.abuseipdb?.abuse_confidence, null, "a confidence is 0-100");
    assert.equal(intel?.abuseipdb?.is_tor, null);
    assert.equal(intel?.abuseipdb?.total_reports, null);
    assert.ok((intel?.abuseipdb?.isp ?? "").length <= 120);
    assert.equal(intel?.greynoise?.classification, null);
    assert.equal(intel?.greynoise?.noise, true);
    assert.deepEqual(intel?.otx?.pulses.map((p) => p.length <= 120), [true, true]);
    assert.equal(intel?.otx?.pulse_count, null);
    assert.deepEqual(Object.keys(intel ?? {}).sort(), ["abuseipdb", "greynoise", "otx"], "no service it does not know");

    for (const odd of [null, "malicious", [1], { shodan: {} }]) {
      assert.ok(alertInputFromPayload(scoredEvent({ intel: odd })).anomaly, "a broken intel does not cost the alert");
      assert.equal("intel" in (alertInputFromPayload(scoredEvent({ intel: odd })).anomaly ?? {}), false);
      assert.throws(() => alertInputFromPayload({ src_ip: "198.51.100.7", intel: odd }), /no verdict of abuseipdb, greynoise or otx/);
    }
    assert.throws(() => alertInputFromPayload({ intel: { otx: {} } }), /src_ip must be a string/);
  });
});
