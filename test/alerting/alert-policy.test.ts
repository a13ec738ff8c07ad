import assert from "node:assert/strict";
import { Alert, ALERT_SCHEMA_VERSION, AlertPolicy, Anomaly } from "../../src/alerting/alert-policy";
import { heapKeptBy } from "../support/garbage-collector";

const T0 = Date.UTC(2026, 2, 18, 10, 0, 0);
const anomaly = (seconds: number, overrides: Partial<Anomaly> = {}): Anomaly => ({
  time_ms: T0 + seconds * 1000, src_ip: "203.0.113.7", sensor: "s1", score: 0.99, attack_type: "brute-force",
  top_features: [{ name: "failed_logins_30s", value: 540, usual: [0, 3], outlyingness: 9 }], ...overrides,
});

describe("AlertPolicy", () => {
  it("alerts once when an incident starts, aggregates the burst and reports it when the cooldown ends", () => {
    const policy = new AlertPolicy({ cooldownMs: 60_000 });
    const first = policy.observe(anomaly(0));
    assert.equal(first.length, 1);
    assert.equal(first[0].count, 1);
    assert.equal(first[0].severity, "medium");
    assert.equal(first[0].summary, "203.0.113.7: brute-force, 1 anomalous event; failed_logins_30s=540 (usual 0-3)");
    for (let s = 1; s <= 30; s++) assert.deepEqual(policy.observe(anomaly(s)), [], "the burst is aggregated");
    const later = policy.observe(anomaly(200, { src_ip: "198.51.100.1" }));
    const update = later.find((a) => a.src_ip === "203.0.113.7") as Alert;
    assert.equal(update.id, first[0].id, "an update keeps the incident's id");
    assert.equal(update.count, 31);
    assert.equal(update.first_seen, new Date(T0).toISOString());
    assert.equal(update.last_seen, new Date(T0 + 30_000).toISOString());
    assert.match(update.summary, /31 anomalous events in 30 s/);
    assert.equal(later.filter((a) => a.src_ip === "198.51.100.1").length, 1);
  });

  it("updates a sent alert with a threat-intel verdict that came after it, and a held wave's alert carries it when it goes", () => {
    const policy = new AlertPolicy({ cooldownMs: 60_000 });
    const abuseipdb = { abuse_confidence: 100, total_reports: 312, distinct_reporters: 87, last_reported: null, usage_type: null, isp: "DigitalOcean LLC", domain: null, is_tor: false, is_whitelisted: false };
    const [first] = policy.observe(anomaly(0));
    assert.equal(first.intel, undefined);
    const clock = (sensor: string) => (sensor === "s1" ? T0 + 2_000 : NaN);
    const [update, ...more] = policy.learnIntel("203.0.113.7", { abuseipdb }, clock);
    assert.deepEqual(more, [], "one update per open incident of the source");
    assert.equal(update.id, first.id);
    assert.deepEqual(update.intel, { abuseipdb });
    assert.equal(update.time, new Date(T0 + 2_000).toISOString(), "stamped on the incident's sensor's clock");
    assert.deepEqual(policy.learnIntel("198.51.100.9", { abuseipdb }, clock), [], "no incident names that source");
    // The rest of the burst keeps the verdict, and so does the closing update.
    policy.observe(anomaly(10));
    const closing = policy.expire(T0 + 200_000).find((a) => a.id === first.id);
    assert.deepEqual(closing?.intel, { abuseipdb });

    // A wave held while it is named takes the verdict into the alert it sends.
    const spike = anomaly(300, { src_ip: "198.51.100.1", attack_type: "traffic-spike" });
    assert.deepEqual(policy.observe(spike), []);
    assert.deepEqual(policy.learnIntel("198.51.100.1", { abuseipdb }, () => spike.time_ms + 1_000), [], "not sent before its hold ends");
    const [wave] = policy.expire(spike.time_ms + 5_000, "s1");
    assert.equal(wave.type, "traffic-spike");
    assert.deepEqual(wave.intel, { abuseipdb });
  });

  it("leaves an alert the rate limit held back unsent when a verdict comes while the limit is still full, to go out at its next anomaly", () => {
    const policy = new AlertPolicy({ maxAlertsPerMinute: 1 });
    const otx = { pulse_count: 7, pulses: ["Mirai scanners"], reputation: 0 };
    assert.equal(policy.observe(anomaly(0)).length, 1);
    assert.deepEqual(policy.observe(anomaly(1, { src_ip: "198.51.100.2" })), [], "held back: the minute is full");
    assert.deepEqual(policy.learnIntel("198.51.100.2", { otx }, () => T0 + 2_000), [], "still full");
    const [told, late] = policy.observe(anomaly(70, { src_ip: "198.51.100.2" }));
    assert.deepEqual([told.held_back, told.src_ip], [1, "198.51.100.2"], "the minute after, what the limit held back is told: one incident, held back twice (its alert, then its update with the verdict)");
    assert.equal(late?.src_ip, "198.51.100.2", "its first alert, once the limit has room");
    assert.equal(late.held_back, undefined);
    assert.equal(late.count, 2);
    assert.deepEqual(late.intel, { otx });
  });

  it("keeps an anomaly's intel in its alert, and a later anomaly's newer verdict of another service too", () => {
    const policy = new AlertPolicy();
    const greynoise = { noise: true, riot: false, classification: "malicious" as const, name: null, last_seen: "2026-06-16" };
    const otx = { pulse_count: 7, pulses: ["Mirai scanners"], reputation: 0 };
    const [first] = policy.observe(anomaly(0, { intel: { greynoise } }));
    assert.deepEqual(first.intel, { greynoise });
    policy.observe(anomaly(1, { intel: { otx } }));
    assert.deepEqual(policy.closeAll()[0].intel, { greynoise, otx });
  });

  it("keeps incidents apart by source and attack type, and escalates very high scores", () => {
    const policy = new AlertPolicy();
    const alerts = [
      ...policy.observe(anomaly(0)),
      ...policy.observe(anomaly(1, { attack_type: "malware-drop" })),
      ...policy.observe(anomaly(2, { src_ip: "192.0.2.1", score: 0.9995 })),
    ];
    assert.deepEqual(alerts.map((a) => [a.src_ip, a.type, a.severity]), [
      ["203.0.113.7", "brute-force", "medium"],
      ["203.0.113.7", "malware-drop", "high"],
      ["192.0.2.1", "brute-force", "high"],
    ]);
  });

  it("raises one traffic-spike alert per sensor, however many sources the spike comes from, naming the first", () => {
    const policy = new AlertPolicy({ cooldownMs: 60_000 });
    const spike = (i: number, sensor = "s1") => anomaly(i * 0.1, { src_ip: `198.51.100.${i}`, sensor, attack_type: "traffic-spike" });
    const sent: Alert[] = [];
    for (let i = 0; i < 200; i++) sent.push(...policy.observe(spike(i)));
    assert.deepEqual(sent.map((a) => [a.src_ip, a.type, a.first_seen, a.time]), [
      ["198.51.100.0", "traffic-spike", new Date(T0).toISOString(), new Date(T0 + 5_000).toISOString()],
    ], "one alert, sent once the wave's first five seconds showed no campaign");
    assert.deepEqual(policy.observe(spike(200, "s2")), [], "another sensor's spike is its own, held as well");
    assert.equal(policy.expire(T0 + 25_000, "s2").length, 1);
    const [update] = policy.expire(T0 + 20_000 + 60_000).filter((a) => a.id === sent[0].id);
    assert.equal(update.count, 200);
  });

  it("names a wave by its first seconds: a spike whose sources show a campaign within them is one credential-stuffing alert", () => {
    const policy = new AlertPolicy({ cooldownMs: 60_000 });
    const wave = (seconds: number, i: number, attack_type: Anomaly["attack_type"]) =>
      policy.observe(anomaly(seconds, { src_ip: `198.51.100.${i}`, attack_type, score: 0.9 }));
    assert.deepEqual(wave(0, 1, "traffic-spike"), [], "new sources connecting: held while they have said nothing");
    assert.deepEqual(wave(0.5, 2, "traffic-spike"), []);
    const named = wave(1.5, 3, "credential-stuffing");
    assert.deepEqual(named.map((a) => [a.src_ip, a.type, a.severity, a.count, a.first_seen, a.time]), [
      ["198.51.100.1", "credential-stuffing", "high", 3, new Date(T0).toISOString(), new Date(T0 + 1_500).toISOString()],
    ], "sent as soon as the campaign shows, naming the wave's first source");
    assert.deepEqual(wave(3, 4, "traffic-spike"), [], "the rest of the wave is the campaign's");
    assert.deepEqual(policy.expire(T0 + 10_000), [], "nothing held any more");
    const [update] = policy.closeAll();
    assert.deepEqual([update.id, update.type, update.count], [named[0].id, "credential-stuffing", 4]);
  });

  it("sends the rules' spike at once: a rule names what it saw, as a SOC's rules do", () => {
    const policy = new AlertPolicy();
    const sent = policy.observe(anomaly(0, { attack_type: "traffic-spike", detector: "rules" }));
    assert.deepEqual(sent.map((a) => [a.type, a.time]), [["traffic-spike", new Date(T0).toISOString()]]);
  });

  it("renames a spike already sent when its sources show a campaign later, in an update at once", () => {
    const policy = new AlertPolicy({ cooldownMs: 60_000 });
    assert.deepEqual(policy.observe(anomaly(0, { attack_type: "traffic-spike" })), []);
    const [spike] = policy.expire(T0 + 5_000, "s1");
    assert.equal(spike.type, "traffic-spike");
    const [renamed] = policy.observe(anomaly(30, { src_ip: "198.51.100.9", attack_type: "credential-stuffing" }));
    assert.deepEqual([renamed.id, renamed.type, renamed.count, renamed.time], [spike.id, "credential-stuffing", 2, new Date(T0 + 30_000).toISOString()]);
    assert.deepEqual(policy.closeAll(), [], "nothing new since the update");
  });

  it("keeps a renamed wave's credential-stuffing features in its update when a later spike scores higher", () => {
    const policy = new AlertPolicy({ cooldownMs: 60_000 });
    const spikeFeatures = [{ name: "new_ips_per_min", value: 80, usual: [0, 3] as [number, number], outlyingness: 9 }];
    const stuffingFeatures = [{ name: "campaign_sources_1m", value: 40, usual: [0, 1] as [number, number], outlyingness: 9 }];
    policy.observe(anomaly(0, { attack_type: "traffic-spike", score: 0.9, top_features: spikeFeatures }));
    const [named] = policy.observe(anomaly(1, { src_ip: "198.51.100.2", attack_type: "credential-stuffing", score: 0.8, top_features: stuffingFeatures }));
    assert.deepEqual(named.top_features, stuffingFeatures);
    policy.observe(anomaly(2, { src_ip: "198.51.100.3", attack_type: "traffic-spike", score: 0.95, top_features: spikeFeatures }));
    const [update] = policy.closeAll();
    assert.deepEqual([update.type, update.score, update.top_features], ["credential-stuffing", 0.95, stuffingFeatures]);
    assert.match(update.summary, /credential-stuffing, 3 anomalous events in 2 s; campaign_sources_1m=40/);
  });

  it("sends a held spike at the end of a log, and when its incident is closed early to make room", () => {
    const atEnd = new AlertPolicy();
    assert.deepEqual(atEnd.observe(anomaly(0, { attack_type: "traffic-spike" })), []);
    assert.deepEqual(atEnd.closeAll().map((a) => [a.type, a.count]), [["traffic-spike", 1]]);
    const crowded = new AlertPolicy({ maxOpenIncidents: 1 });
    assert.deepEqual(crowded.observe(anomaly(0, { attack_type: "traffic-spike" })), []);
    const sent = crowded.observe(anomaly(1, { src_ip: "192.0.2.1" }));
    assert.deepEqual(sent.map((a) => [a.src_ip, a.type]), [["203.0.113.7", "traffic-spike"], ["192.0.2.1", "brute-force"]]);
  });

  it("sends a held spike whose incident ends before its hold, under a cooldown shorter than five seconds", () => {
    for (const cooldownMs of [0, 2_000]) {
      const policy = new AlertPolicy({ cooldownMs });
      assert.deepEqual(policy.observe(anomaly(0, { attack_type: "traffic-spike" })), []);
      const sent = policy.observe(anomaly(3, { src_ip: "192.0.2.1" }));
      assert.deepEqual(sent.map((a) => [a.src_ip, a.type, a.count]), [["203.0.113.7", "traffic-spike", 1], ["192.0.2.1", "brute-force", 1]], `cooldown ${cooldownMs} ms`);
      const atEnd = new AlertPolicy({ cooldownMs });
      atEnd.observe(anomaly(0, { attack_type: "traffic-spike" }));
      assert.deepEqual(atEnd.closeAll().map((a) => [a.type, a.count]), [["traffic-spike", 1]], `at the end of a log, cooldown ${cooldownMs} ms`);
    }
  });

  it("sends a held spike once its sensor's clock is back before it (a clock set back, or a spike stamped ahead)", () => {
    const policy = new AlertPolicy({ cooldownMs: 60_000 });
    assert.deepEqual(policy.observe(anomaly(3600, { attack_type: "traffic-spike" })), [], "stamped an hour ahead");
    const sent: Alert[] = [];
    for (let s = 0; s < 600; s += 10) sent.push(...policy.observe(anomaly(s, { src_ip: `198.51.100.${s / 10}`, attack_type: "traffic-spike" })));
    assert.deepEqual(sent.map((a) => [a.type, a.count, a.time]), [["traffic-spike", 1, new Date(T0).toISOString()]], "ten minutes of a wave, not one held alert");
    const ticked = new AlertPolicy();
    ticked.observe(anomaly(3600, { attack_type: "traffic-spike" }));
    assert.deepEqual(ticked.expire(T0 + 1_000, "s1").map((a) => [a.type, a.time]), [["traffic-spike", new Date(T0 + 1_000).toISOString()]], "on the node's tick");
    const disordered = new AlertPolicy();
    disordered.observe(anomaly(10, { attack_type: "traffic-spike" }));
    assert.deepEqual(disordered.observe(anomaly(6, { src_ip: "198.51.100.1", attack_type: "traffic-spike" })), [], "out of order by less than the hold: still held");
  });

  it("ends a sensor's traffic spike or campaign after two quiet minutes, so that the next wave is alerted when it starts", () => {
    const policy = new AlertPolicy();
    const wave = (seconds: number, type: Anomaly["attack_type"], i: number) => anomaly(seconds, { src_ip: `198.51.100.${i}`, attack_type: type });
    for (const type of ["traffic-spike", "credential-stuffing"] as const) {
      // A spike's alert waits for the wave's first seconds (see the naming test); a campaign's goes at once.
      const first = [...policy.observe(wave(0, type, 1)), ...policy.expire(T0 + 5_000)];
      assert.equal(first.length, 1);
      assert.deepEqual(policy.observe(wave(100, type, 2)), [], "under two quiet minutes: the same incident");
      const next = [...policy.observe(wave(100 + 180, type, 3)), ...policy.expire(T0 + 285_000)].filter((a) => a.type === type);
      assert.deepEqual(next.map((a) => [a.id === first[0].id, a.src_ip, a.first_seen, a.count]), [
        [true, "198.51.100.1", new Date(T0).toISOString(), 2],
        [false, "198.51.100.3", new Date(T0 + 280_000).toISOString(), 1],
      ], "the first wave's update, then the next wave's own alert");
      policy.closeAll();
    }
    assert.equal(policy.observe(anomaly(400)).length, 1);
    assert.deepEqual(policy.observe(anomaly(400 + 180)), [], "a source's burst keeps the cooldown");
  });

  it("alerts a far larger wave anew although a trickle of new sources kept the last one open", () => {
    // One actor's few fresh addresses a minute keep the sensor's wave incident from two quiet minutes;
    // a botnet's spike half an hour later must not be heard of only when the trickle stops.
    const policy = new AlertPolicy();
    const wave = (seconds: number, newSources: number, i: number, type: Anomaly["attack_type"] = "traffic-spike") => anomaly(seconds, {
      src_ip: `198.51.100.${i}`, attack_type: type, top_features: [{ name: "new_ips_per_min", value: newSources, usual: [0, 3], outlyingness: newSources / 3 }],
    });
    const sent: Alert[] = [];
    for (let s = 0; s <= 1800; s += 30) sent.push(...policy.observe(wave(s, 4 + (s % 60 === 0 ? 1 : 0), s % 250)));
    assert.equal(sent.length, 1, "the trickle is one incident");
    // The botnet's new sources a minute climb second by second, as a sliding minute's count does.
    for (const [s, newSources] of [[1810, 6], [1812, 8], [1814, 10]]) sent.push(...policy.observe(wave(s, newSources, s % 250)));
    sent.push(...policy.expire(T0 + 1_820_000));
    assert.deepEqual(sent.slice(1).map((a) => [a.id === sent[0].id, a.src_ip, a.first_seen]), [
      [true, "198.51.100.0", new Date(T0).toISOString()],
      [false, "198.51.100.64", new Date(T0 + 1_814_000).toISOString()],
    ], "the trickle's update, then the larger wave's own alert");
    const ramp = new AlertPolicy();
    const ramped = [...ramp.observe(wave(0, 3, 1)), ...ramp.observe(wave(20, 12, 2)), ...ramp.observe(wave(90, 40, 3)), ...ramp.closeAll()];
    assert.deepEqual(ramped.map((a) => [a.id === ramped[0].id, a.src_ip, a.count]), [[true, "198.51.100.1", 1], [true, "198.51.100.1", 3]],
      "a wave that grows in its first minutes is one incident");
  });

  it("makes one alert of the sources that drop the same payload, until a day passes without it, updated while it grows", () => {
    const policy = new AlertPolicy({ cooldownMs: 300_000 });
    const drop = (seconds: number, src_ip: string, dropped_payload?: string) =>
      policy.observe(anomaly(seconds, { src_ip, attack_type: "malware-drop", dropped_payload }));
    const HOUR = 3600;
    const first = drop(0, "203.0.113.7", "wget http://*/i");
    assert.equal(first.length, 1);
    assert.equal(first[0].dropped_payload, "wget http://*/i");
    assert.equal(first[0].schema, ALERT_SCHEMA_VERSION);
    assert.deepEqual(drop(10, "203.0.113.7", "wget http://*/i"), [], "the source's own burst");
    const grown = drop(20 * HOUR, "198.51.100.1", "wget http://*/i");
    assert.deepEqual(grown.map((a) => [a.id, a.count]), [[first[0].id, 3]], "another bot of the campaign, within the day: an update, not an alert");
    assert.match(grown[0].summary, /^203\.0\.113\.7: malware-drop, 3 anomalous events in 72000 s from 2 sources;/);
    assert.deepEqual(drop(20 * HOUR + 60, "198.51.100.2", "wget http://*/i"), [], "at most one update a cooldown");
    assert.equal(drop(30 * HOUR + 5, "192.0.2.1", "sha256:94f2").length, 1, "another payload, another campaign");
    const other = policy.observe(anomaly(30 * HOUR + 6, { src_ip: "192.0.2.2", attack_type: "malware-drop" }));
    assert.equal(other.length, 1, "a drop without a name is the source's own incident");
    const later = drop(55 * HOUR, "198.51.100.9", "wget http://*/i");
    const update = later.find((a) => a.id === first[0].id) as Alert;
    assert.equal(update.count, 4);
    assert.match(update.summary, /^203\.0\.113\.7: malware-drop, 4 anomalous events in 72060 s from 3 sources;/);
    assert.equal(later.filter((a) => a.src_ip === "198.51.100.9").length, 1, "a day without it: the next drop is news again");
    drop(55 * HOUR + 60, "198.51.100.10", "wget http://*/i");
    const end = policy.closeAll();
    assert.deepEqual(end.map((a) => [a.src_ip, a.count]), [["198.51.100.9", 2]], "the end of a log closes a campaign too, a day's quiet or not");
    assert.equal(end[0].time, new Date(T0 + (55 * HOUR + 60) * 1000 + 24 * HOUR * 1000).toISOString(), "stamped when its quiet time would have ended");
  });

  it("limits the alerts per minute across all sources and counts what it held back", () => {
    const policy = new AlertPolicy({ maxAlertsPerMinute: 60 });
    let delivered = 0;
    for (let i = 0; i < 100; i++) delivered += policy.observe(anomaly(i * 0.1, { src_ip: `198.51.100.${i}` })).length;
    assert.equal(delivered, 60);
    assert.equal(policy.suppressed, 40);
    assert.equal(policy.observe(anomaly(61, { src_ip: "192.0.2.99" })).length, 1, "the limit is per minute");
  });

  it("tells the analyst of what the rate limit held back in one message per attack type a minute later, so that a flood is bounded and summarised, not lost", () => {
    // A flood of fresh addresses, each its own incident: 30 a minute for five minutes.
    const policy = new AlertPolicy({ maxAlertsPerMinute: 5, cooldownMs: 300_000 });
    const alerts: Alert[] = [];
    for (let i = 0; i < 150; i++) alerts.push(...policy.observe(anomaly(i * 2, { src_ip: `198.51.100.${i}`, score: i === 7 ? 0.9999 : 0.99 })));
    alerts.push(...policy.closeAll());
    const perMinute = new Map<number, number>();
    for (const alert of alerts) {
      const minute = Math.floor((Date.parse(alert.time) - T0) / 60_000);
      perMinute.set(minute, (perMinute.get(minute) ?? 0) + 1);
    }
    assert.ok([...perMinute.values()].every((n) => n <= 5 + 1), `messages a minute: ${[...perMinute.values()].join(", ")}`);
    const summaries = alerts.filter((a) => a.held_back !== undefined);
    assert.ok(summaries.length > 0, "what was held back is said");
    const first = summaries[0];
    assert.equal(first.type, "brute-force");
    assert.equal(first.src_ip, "198.51.100.5", "named by the first alert it held back");
    assert.equal(first.held_back, 25, "the first minute's 30 alerts less the 5 sent");
    assert.equal(first.severity, "high", "as severe as the worst it held back");
    assert.equal(first.first_seen, new Date(T0 + 10_000).toISOString());
    assert.match(first.summary, /^rate limit: 25 brute-force alerts held back in 48 s from 25 sources; the first: 198\.51\.100\.5: brute-force/);
    assert.equal(first.time, new Date(T0 + 60_000 + 10_000).toISOString(), "a minute after the first it held back");
    const sentAtOnce = alerts.filter((a) => a.held_back === undefined && a.time === a.first_seen).length;
    const heldBack = summaries.reduce((sum, a) => sum + a.held_back!, 0);
    assert.equal(sentAtOnce + heldBack, 150, "every source's alert is sent at once, or told of as held back, once");
  });

  it("tells of what the rate limit held back a minute later on the node's timer too, when no anomaly follows the flood", () => {
    // The alert node calls expire on each sensor's clock every second; the flood's incidents stay open for their cooldown.
    let wallMs = T0;
    const policy = new AlertPolicy({ maxAlertsPerMinute: 1, cooldownMs: 300_000, rateClock: () => wallMs });
    for (const ip of ["203.0.113.1", "203.0.113.2", "203.0.113.3"]) policy.observe(anomaly(0, { src_ip: ip }));
    const told: Array<{ second: number; alert: Alert }> = [];
    for (let second = 1; second <= 90 && told.length === 0; second++) {
      wallMs = T0 + second * 1000;
      for (const alert of policy.expire(T0 + second * 1000, "s1")) told.push({ second, alert });
    }
    assert.deepEqual(told.map(({ second, alert }) => [second, alert.held_back, alert.src_ip]), [[60, 2, "203.0.113.2"]],
      "a minute after the first held back, not when the incidents end five minutes later");
  });

  it("stamps the message telling of what the rate limit held back on event time, as every alert, when the limit counts by the wall clock", () => {
    // A live flow replaying last year's log: the limit counts wall-clock minutes, the alerts are stamped on the log's time.
    let wallMs = Date.UTC(2026, 11, 5, 12, 0, 0);
    const policy = new AlertPolicy({ maxAlertsPerMinute: 1, cooldownMs: 300_000, rateClock: () => wallMs });
    for (const ip of ["203.0.113.1", "203.0.113.2"]) policy.observe(anomaly(0, { src_ip: ip }));
    wallMs += 61_000;
    const [told] = policy.observe(anomaly(30, { src_ip: "203.0.113.1" }));
    assert.equal(told?.held_back, 1);
    assert.equal(told.time, new Date(T0 + 30_000).toISOString(), "on the log's clock, beside the alerts it tells of");
    wallMs += 61_000;
    policy.observe(anomaly(40, { src_ip: "203.0.113.4" }));
    const [atEnd] = policy.closeAll().filter((a) => a.held_back !== undefined);
    assert.ok(Math.abs(Date.parse(atEnd.time) - T0) < 3_600_000, `at the end of the log too: ${atEnd.time}`);
  });

  it("counts an incident the rate limit held back once over all its messages, not again when its retry at its end is held back in a later minute", () => {
    const policy = new AlertPolicy({ maxAlertsPerMinute: 1, cooldownMs: 120_000 });
    const alerts = [
      ...policy.observe(anomaly(0, { src_ip: "203.0.113.1" })),
      ...policy.observe(anomaly(1, { src_ip: "203.0.113.2" })), // held back
      ...policy.observe(anomaly(62, { src_ip: "203.0.113.3" })), // told of .2; .3 fills the next minute
      ...policy.observe(anomaly(121, { src_ip: "203.0.113.4" })), // .2 ends, its retry held back again; .4 held back
      ...policy.closeAll(),
    ];
    assert.deepEqual(alerts.filter((a) => a.held_back !== undefined).map((a) => [a.src_ip, a.held_back]), [["203.0.113.2", 1], ["203.0.113.4", 1]],
      "two incidents held back, each told once");
  });

  it("counts an incident's update held back at its end once its alert held back before was sent after all", () => {
    const policy = new AlertPolicy({ maxAlertsPerMinute: 1, cooldownMs: 120_000 });
    const alerts = [
      ...policy.observe(anomaly(0, { src_ip: "203.0.113.1" })),
      ...policy.observe(anomaly(1, { src_ip: "203.0.113.2" })), // held back
      ...policy.observe(anomaly(61, { src_ip: "203.0.113.2" })), // told of; then sent, the minute has room
      ...policy.observe(anomaly(100, { src_ip: "203.0.113.2" })),
      ...policy.observe(anomaly(215, { src_ip: "203.0.113.4" })), // fills the minute
      ...policy.observe(anomaly(221, { src_ip: "203.0.113.5" })), // .2 ends: its update of 3 events held back; .5 held back
      ...policy.closeAll(),
    ];
    assert.equal(alerts.filter((a) => a.src_ip === "203.0.113.2" && a.held_back === undefined).map((a) => a.count).join(), "2", "its alert went out at 2 events");
    assert.deepEqual(alerts.filter((a) => a.held_back !== undefined).map((a) => [a.src_ip, a.held_back]), [["203.0.113.2", 1], ["203.0.113.2", 2]],
      "its update of 3 events is told of, with .5's alert");
  });

  it("does not tell of an alert held back that went out before its message was due: nothing is held back any more", () => {
    const policy = new AlertPolicy({ maxAlertsPerMinute: 1, cooldownMs: 300_000 });
    const alerts = [
      ...policy.observe(anomaly(0, { src_ip: "203.0.113.1" })),
      ...policy.observe(anomaly(50, { src_ip: "203.0.113.2" })), // held back
      ...policy.observe(anomaly(61, { src_ip: "203.0.113.2" })), // sent: the minute has room
      ...policy.observe(anomaly(110, { src_ip: "203.0.113.1" })), // a minute after it was held back
    ];
    assert.deepEqual(alerts.map((a) => [a.src_ip, a.held_back]), [["203.0.113.1", undefined], ["203.0.113.2", undefined]],
      "its alert, and no message saying it is held back");
  });

  it("counts neither an alert held back that went out before its message was due nor its source", () => {
    const policy = new AlertPolicy({ maxAlertsPerMinute: 1, cooldownMs: 300_000 });
    const alerts = [
      ...policy.observe(anomaly(0, { src_ip: "203.0.113.1" })),
      ...policy.observe(anomaly(50, { src_ip: "203.0.113.2" })), // held back
      ...policy.observe(anomaly(55, { src_ip: "203.0.113.3" })), // held back
      ...policy.observe(anomaly(61, { src_ip: "203.0.113.2" })), // sent: the minute has room
      ...policy.observe(anomaly(110, { src_ip: "203.0.113.1" })), // a minute after the first was held back
    ];
    const told = alerts.find((alert) => alert.held_back !== undefined);
    assert.equal(told?.held_back, 1);
    assert.match(told?.summary ?? "", /^rate limit: 1 brute-force alert held back in \d+ s from 1 source;/);
  });

  it("sends an incident's first alert that the rate limit held back once the limit has room, not only at its end", () => {
    // A flood of cheap brute forces fills the minute; a real attack behind it must still be heard of while it lasts.
    const policy = new AlertPolicy({ maxAlertsPerMinute: 60, cooldownMs: 300_000 });
    for (let i = 0; i < 60; i++) policy.observe(anomaly(i * 0.1, { src_ip: `198.51.100.${i}` }));
    assert.deepEqual(policy.observe(anomaly(10, { src_ip: "192.0.2.7" })), [], "held back: the minute is full");
    const heard = policy.observe(anomaly(61, { src_ip: "192.0.2.7" }));
    assert.deepEqual(heard.map((a) => [a.src_ip, a.count, a.first_seen]), [["192.0.2.7", 2, new Date(T0 + 10_000).toISOString()]]);
    assert.equal(policy.observe(anomaly(62, { src_ip: "192.0.2.7" })).length, 0, "sent once, then aggregated as usual");
    const lone = new AlertPolicy({ maxAlertsPerMinute: 1, cooldownMs: 300_000 });
    lone.observe(anomaly(0, { src_ip: "198.51.100.1" }));
    lone.observe(anomaly(1, { src_ip: "192.0.2.8" }));
    assert.deepEqual(lone.closeAll().map((a) => [a.src_ip, a.count, a.held_back]), [["192.0.2.8", 1, undefined], ["192.0.2.8", 1, 1]],
      "an incident of one anomaly held back is sent when it ends, and the summary of what was held back goes out too");
  });

  it("lets through the first alert of an attack type the minute has not seen, however full: a flood of one kind hides no other", () => {
    const policy = new AlertPolicy({ maxAlertsPerMinute: 60 });
    let delivered = 0;
    for (let i = 0; i < 100; i++) delivered += policy.observe(anomaly(i * 0.1, { src_ip: `198.51.100.${i}` })).length;
    assert.equal(delivered, 60);
    const drop = policy.observe(anomaly(20, { src_ip: "192.0.2.1", attack_type: "malware-drop" }));
    const scan = policy.observe(anomaly(21, { src_ip: "192.0.2.2", attack_type: "port-scan/tunnel" }));
    assert.deepEqual([...drop, ...scan].map((a) => [a.src_ip, a.type]), [["192.0.2.1", "malware-drop"], ["192.0.2.2", "port-scan/tunnel"]]);
    assert.deepEqual(policy.observe(anomaly(22, { src_ip: "192.0.2.3", attack_type: "malware-drop" })), [], "one of a kind, then the limit holds");
  });

  it("lets through an alert far past every alert of its type in a full minute: a real brute force inside a flood of marginal ones", () => {
    const policy = new AlertPolicy({ maxAlertsPerMinute: 60, cooldownMs: 300_000 });
    const bruteForce = (seconds: number, src_ip: string, failedLogins: number) => anomaly(seconds, {
      src_ip, top_features: [{ name: "failed_logins_1m", value: failedLogins, usual: [0, 12], outlyingness: failedLogins / 12 }],
    });
    let delivered = 0;
    for (let i = 0; i < 100; i++) delivered += policy.observe(bruteForce(i * 0.5, `198.51.100.${i}`, 13)).length;
    assert.equal(delivered, 60, "the flood's marginal brute forces fill the minute");
    assert.deepEqual(policy.observe(bruteForce(51, "192.0.2.7", 14)), [], "no further past than the flood: held back");
    const heard = policy.observe(bruteForce(53, "192.0.2.7", 60));
    assert.deepEqual(heard.map((a) => [a.src_ip, a.count, a.top_features[0].value]), [["192.0.2.7", 2, 60]]);
    assert.deepEqual(policy.observe(bruteForce(54, "192.0.2.8", 20)), [], "past the flood, but not twice as far as what went out");
  });

  it("sends a held wave's alert that the rate limit held back at its next anomaly once the limit has room", () => {
    const policy = new AlertPolicy({ maxAlertsPerMinute: 1, cooldownMs: 300_000 });
    policy.observe(anomaly(0, { attack_type: "traffic-spike", src_ip: "192.0.2.1" }));
    // Another sensor's spike, named by a rule and sent at once, fills the minute with one of its kind.
    assert.equal(policy.observe(anomaly(1, { attack_type: "traffic-spike", src_ip: "198.51.100.1", sensor: "s2", detector: "rules" })).length, 1);
    assert.deepEqual(policy.observe(anomaly(6, { attack_type: "traffic-spike", src_ip: "192.0.2.2" })), [], "due after its hold, but the minute is full");
    const heard = policy.observe(anomaly(62, { attack_type: "traffic-spike", src_ip: "192.0.2.3" }));
    assert.deepEqual(heard.map((a) => [a.type, a.src_ip, a.count]), [["traffic-spike", "192.0.2.1", 3]]);
  });

  it("holds a bounded number of open incidents however many sources arrive within a cooldown, and loses no update", () => {
    const policy = new AlertPolicy({ cooldownMs: 300_000, maxAlertsPerMinute: Infinity, maxOpenIncidents: 100 });
    const alerts: Alert[] = [];
    const sources = Array.from({ length: 1000 }, (_, i) => `2001:db8::${i.toString(16)}`);
    for (const [i, src_ip] of sources.entries()) {
      for (const repeat of [0, 0.001]) alerts.push(...policy.observe(anomaly(i * 0.01 + repeat, { src_ip })));
      assert.ok(policy.openIncidents <= 100, `${policy.openIncidents} open incidents after ${i + 1} sources`);
    }
    alerts.push(...policy.closeAll());
    for (const src_ip of sources) {
      assert.deepEqual(alerts.filter((a) => a.src_ip === src_ip).map((a) => a.count), [1, 2], `the alert and its update for ${src_ip}`);
    }
    assert.ok(new AlertPolicy().maxOpenIncidents < Infinity, "bounded by default");
  });

  it("keeps bounded memory under a flood of ever new sensor names, everything held back, and still ends each open incident on time", () => {
    // Sensor names are the log's text (an edge sensor over MQTT, `tcp in`): a forged flood can name a new one each event.
    const policy = new AlertPolicy({ cooldownMs: 300_000, maxAlertsPerMinute: 5, maxOpenIncidents: 100 });
    const flood = (from: number, to: number) => {
      for (let i = from; i < to; i++) policy.observe(anomaly(i * 0.01, { sensor: `sensor-${i}-${"x".repeat(1000)}`, src_ip: `198.51.${i >> 8 & 255}.${i & 255}` }));
    };
    flood(0, 2_000);
    const kept = heapKeptBy(() => flood(2_000, 42_000));
    assert.ok(kept < 8_000_000, `${kept} bytes kept for 40,000 more sensors, 100 incidents open`);
    assert.equal(policy.openIncidents, 100);
    const last = `sensor-41999-${"x".repeat(1000)}`;
    policy.expire(T0 + 420_000 + 300_000, last);
    assert.equal(policy.openIncidents, 99, "the newest sensor's incident still ends when its cooldown does");
  });

  it("keeps limiting per minute after an alert stamped a day ahead (a sensor whose clock is wrong)", () => {
    const policy = new AlertPolicy({ maxAlertsPerMinute: 60 });
    assert.equal(policy.observe(anomaly(86_400, { sensor: "skewed", src_ip: "192.0.2.1" })).length, 1);
    let delivered = 0;
    for (let i = 0; i < 100; i++) delivered += policy.observe(anomaly(i * 6, { src_ip: `198.51.100.${i}` })).length;
    assert.equal(delivered, 100, "ten alerts a minute are within a limit of sixty");
    assert.equal(policy.suppressed, 0);
  });

  it("keeps each sensor's incidents to its own clock: a second sensor 30 minutes ahead ends none of the first's", () => {
    const policy = new AlertPolicy({ cooldownMs: 300_000 });
    const alerts: Alert[] = [];
    for (let s = 0; s < 300; s++) {
      alerts.push(...policy.observe(anomaly(s)));  // one brute-forcer on a sensor whose clock is right
      alerts.push(...policy.observe(anomaly(s + 1800, { sensor: "skewed", src_ip: "192.0.2.1", attack_type: "port-scan/tunnel" })));
    }
    assert.deepEqual(alerts.map((a) => [a.src_ip, a.count]), [["203.0.113.7", 1], ["192.0.2.1", 1]], "one alert each, their bursts aggregated");
    const closing = policy.expire(T0 + 1000 * (299 + 300), "s1");
    assert.deepEqual(closing.map((a) => [a.src_ip, a.count]), [["203.0.113.7", 300]], "a sensor's clock ends its own incidents");
  });

  it("flushes open incidents at the end of a back-test", () => {
    const policy = new AlertPolicy({ cooldownMs: 60_000 });
    policy.observe(anomaly(0));
    policy.observe(anomaly(5));
    const flushed = policy.expire(T0 + 10 * 60_000);
    assert.equal(flushed.length, 1);
    assert.equal(flushed[0].count, 2);
    assert.deepEqual(policy.expire(T0 + 20 * 60_000), []);
  });

  it("closes every open incident at the end of a log, stamped when the last cooldown would have ended", () => {
    const policy = new AlertPolicy({ cooldownMs: 60_000 });
    policy.observe(anomaly(0));
    policy.observe(anomaly(5));
    policy.observe(anomaly(8, { src_ip: "198.51.100.9" }));
    policy.observe(anomaly(9, { src_ip: "198.51.100.9" }));
    const closed = policy.closeAll();
    assert.deepEqual(closed.map((a) => [a.src_ip, a.count, a.time]), [
      ["203.0.113.7", 2, new Date(T0 + 69_000).toISOString()],
      ["198.51.100.9", 2, new Date(T0 + 69_000).toISOString()],
    ]);
    assert.deepEqual(policy.closeAll(), []);
  });

  it("carries the source's geography from the anomaly into the alert and its update (since schema 2)", () => {
    const policy = new AlertPolicy({ cooldownMs: 60_000 });
    const src_geo = { country: "NL", country_name: "Netherlands", asn: 14061, as_org: "DIGITALOCEAN-ASN" };
    const [first] = policy.observe(anomaly(0, { src_geo }));
    assert.equal(first.schema, ALERT_SCHEMA_VERSION);
    assert.deepEqual(first.src_geo, src_geo);
    policy.observe(anomaly(1));
    const [update] = policy.expire(T0 + 120_000);
    assert.deepEqual(update.src_geo, src_geo, "the update names the same source, so the same place");
    const [plain] = new AlertPolicy().observe(anomaly(0));
    assert.equal("src_geo" in plain, false, "without enrich the alert has no src_geo");
  });
});
