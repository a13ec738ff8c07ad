import assert from "node:assert/strict";
import { Alert } from "../../src/alerting/alert-policy";
import type { AttackEpisodeLabel } from "../../src/domain/attack-types";
import { evaluateEpisodes } from "../../src/metrics/episode-detection";

const T0 = Date.UTC(2026, 2, 18, 1, 0, 0);
const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString().replace("Z", "000Z");
const label = (type: AttackEpisodeLabel["type"], src_ips: string[], start: number, end: number): AttackEpisodeLabel => ({
  type, src_ips, start: at(start), end: at(end), first_line: 1, last_line: 2,
});
let ids = 0;
const alert = (src_ip: string, type: Alert["type"], seconds: number): Alert => {
  const time = new Date(T0 + seconds * 1000).toISOString();
  return {
    schema: 1, id: `a${ids++}`, time, src_ip, type, severity: "medium", score: 0.99, count: 1, first_seen: time, last_seen: time,
    top_features: [], sensor: "s1", summary: "",
  };
};

describe("evaluateEpisodes", () => {
  const labels = [
    label("brute-force", ["203.0.113.7"], 0, 60),
    label("traffic-spike", ["198.51.100.1", "198.51.100.2"], 600, 900),
  ];

  it("finds an episode by an alert on one of its sources from its start to a minute after its end, with the delay", () => {
    const report = evaluateEpisodes(labels, [alert("203.0.113.7", "brute-force", 3)], 1);
    assert.deepEqual(report.episodes[0], { type: "brute-force", start: labels[0].start, detected: true, delay_s: 3, alerted_as: "brute-force" });
    assert.equal(report.episodes[1].detected, false);
    assert.equal(evaluateEpisodes(labels, [alert("203.0.113.7", "brute-force", 121)], 1).episodes[0].detected, false, "too late");
    assert.equal(evaluateEpisodes(labels, [alert("192.0.2.1", "brute-force", 3)], 1).episodes[0].detected, false, "another source");
  });

  it("does not take a message of alerts the rate limit held back for an alert on the first source it names", () => {
    const heldBack = { ...alert("203.0.113.7", "brute-force", 3), held_back: 40 };
    assert.equal(evaluateEpisodes(labels, [heldBack], 1).episodes[0].detected, false);
    const spikeHeldBack = { ...alert("192.0.2.1", "traffic-spike", 602), held_back: 3 };
    assert.equal(evaluateEpisodes(labels, [spikeHeldBack], 1).episodes[1].detected, false);
  });

  it("finds a traffic spike by a traffic-spike alert within its window whatever source it names, and does not count it as a false alarm", () => {
    const report = evaluateEpisodes(labels, [alert("192.0.2.1", "traffic-spike", 602)], 2);
    assert.equal(report.episodes[1].detected, true);
    assert.equal(report.episodes[1].delay_s, 2);
    assert.equal(report.background_alerts, 0);
  });

  it("finds a credential-stuffing campaign by a credential-stuffing alert within its window whatever source it names, as a spike", () => {
    // A background bot trying the campaign's common credential pair in its minute shares the campaign's count, and the sensor's one campaign alert may name it.
    const campaign = [label("credential-stuffing", ["198.51.100.1", "198.51.100.2"], 600, 700)];
    const report = evaluateEpisodes(campaign, [alert("192.0.2.1", "credential-stuffing", 605), alert("192.0.2.3", "credential-stuffing", 2000)], 2);
    assert.equal(report.episodes[0].detected, true);
    assert.equal(report.episodes[0].delay_s, 5);
    assert.equal(report.background_alerts, 1, "only the campaign alert outside the campaign is background");
    assert.equal(evaluateEpisodes(campaign, [alert("192.0.2.1", "brute-force", 605)], 2).episodes[0].detected, false, "another type on another source");
  });

  it("counts alerts on sources outside every episode as background, a traffic-spike alert outside a spike too", () => {
    const report = evaluateEpisodes(labels, [
      alert("192.0.2.1", "brute-force", 610), // during the spike, but not a traffic spike
      alert("192.0.2.2", "traffic-spike", 2000), // no spike then
      alert("198.51.100.1", "port-scan/tunnel", 620), // an episode's source: not background
    ], 2);
    assert.equal(report.background_alerts, 2);
    assert.equal(report.background_alerts_per_hour, 1);
  });
});
