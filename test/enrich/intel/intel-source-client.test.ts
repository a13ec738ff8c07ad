import assert from "node:assert/strict";
import { IntelSourceClient, type IntelSourceOptions } from "../../../src/enrich/intel/intel-source-client";
import { abuseIpdb, alienVaultOtx, greyNoise, type IntelService } from "../../../src/enrich/intel/intel-services";
import { MAX_VERDICT_TEXT } from "../../../src/enrich/intel/untrusted-json";
import { collectGarbage } from "../../support/garbage-collector";
import { IntelServiceStandIn } from "../../support/intel-service-stand-in";

describe("IntelSourceClient against a local stand-in for each service", () => {
  let standIn: IntelServiceStandIn;
  let clock: number;
  beforeEach(async () => {
    standIn = await IntelServiceStandIn.start();
    clock = Date.UTC(2026, 5, 17, 12);
  });
  afterEach(() => standIn.stop());

  const client = <V>(service: IntelService<V>, options: Partial<IntelSourceOptions> = {}) =>
    new IntelSourceClient(service, { apiKey: "the-key", baseUrl: standIn.url, now: () => clock, ...options });

  it("AbuseIPDB: reads the documented CHECK answer, sends the key, and keeps the verdict for a day", async () => {
    const abuse = client(abuseIpdb);
    const verdict = await abuse.lookUp("203.0.113.7");
    assert.deepEqual(verdict, { abuse_confidence: 100, total_reports: 312, distinct_reporters: 87, last_reported: "2026-06-17T19:51:40+00:00",
      usage_type: "Data Center/Web Hosting/Transit", isp: "DigitalOcean LLC", domain: "digitalocean.com", is_tor: false, is_whitelisted: false });
    assert.equal(standIn.requests[0].path, "/api/v2/check?ipAddress=203.0.113.7&maxAgeInDays=90");
    assert.equal(standIn.requests[0].headers.key, "the-key");
    assert.equal(abuse.callsLeft, 998, "what the service reports is left");
    assert.deepEqual(await abuse.lookUp("203.0.113.7"), verdict);
    assert.equal(standIn.requests.length, 1, "answered from the cache");
    clock += 86_400_000;
    await abuse.lookUp("203.0.113.7");
    assert.equal(standIn.requests.length, 2, "asked again once the day has passed");
  });

  it("GreyNoise: a seen scanner, and an address it has not seen (404 with a body), are both verdicts; IPv6 is not asked", async () => {
    const grey = client(greyNoise);
    assert.deepEqual(await grey.lookUp("198.51.100.7"), { noise: true, riot: false, classification: "malicious", name: "unknown", last_seen: "2026-06-16" });
    assert.deepEqual(await grey.lookUp("198.51.100.99"), { noise: false, riot: false, classification: null, name: null, last_seen: null });
    assert.equal(standIn.requests[0].headers.key, "the-key");
    assert.equal(await grey.lookUp("2001:db8::7"), undefined);
    assert.equal(standIn.requests.length, 2);
  });

  it("OTX: counts the pulses and names the first few", async () => {
    const otx = client(alienVaultOtx);
    assert.deepEqual(await otx.lookUp("192.0.2.1"), { pulse_count: 7, pulses: ["SSH brute force - Cowrie", "Mirai scanners"], reputation: 0 });
    assert.equal(standIn.requests[0].path, "/api/v1/indicators/IPv4/192.0.2.1/general");
    assert.equal(standIn.requests[0].headers["x-otx-api-key"], "the-key");
  });

  it("honours a 429's Retry-After: nothing is sent before it, and the lookup is tried again after", async () => {
    const abuse = client(abuseIpdb);
    standIn.next(() => ({ status: 429, headers: { "Retry-After": "120" }, body: { errors: [{ detail: "Daily rate limit of 1000 requests exceeded for this endpoint." }] } }));
    assert.equal(await abuse.lookUp("203.0.113.7"), undefined);
    assert.equal(abuse.rateLimited, 1);
    clock += 119_000;
    assert.equal(await abuse.lookUp("203.0.113.7"), undefined);
    assert.equal(standIn.requests.length, 1, "paused");
    clock += 1_000;
    assert.equal((await abuse.lookUp("203.0.113.7"))?.total_reports, 312);
    assert.equal(standIn.requests.length, 2);
    assert.equal(abuse.circuit, "closed", "a 429 is the quota, not a failure of the service");
  });

  it("opens the circuit after repeated 5xx, sends nothing while open, and closes it on a good trial", async () => {
    const abuse = client(abuseIpdb, { breaker: { failures: 3, openMs: 60_000 } });
    standIn.answerAlways(() => ({ status: 503, body: "<html>Service Unavailable</html>" }));
    for (let i = 0; i < 3; i++) assert.equal(await abuse.lookUp(`203.0.113.${i}`), undefined);
    assert.equal(abuse.circuit, "open");
    assert.match(abuse.lastError, /HTTP 503/);
    for (let i = 0; i < 5; i++) await abuse.lookUp(`203.0.113.${10 + i}`);
    assert.equal(standIn.requests.length, 3, "no request while the circuit is open");
    clock += 60_000;
    standIn.answerAlways(undefined);
    assert.equal((await abuse.lookUp("203.0.113.50"))?.abuse_confidence, 100);
    assert.equal(abuse.circuit, "closed");
  });

  it("keeps a failing service's circuit open when its quota runs dry: the next day sends one trial, not a burst", async () => {
    const abuse = client(abuseIpdb, { quota: { limit: 3 }, breaker: { failures: 3, openMs: 60_000 } });
    standIn.answerAlways(() => ({ status: 503, body: "<html>Service Unavailable</html>" }));
    for (let i = 0; i < 3; i++) await abuse.lookUp(`8.8.8.${i}`);
    assert.equal(abuse.circuit, "open");
    clock += 60_000;
    assert.equal(await abuse.lookUp("8.8.8.10"), undefined, "no quota left today");
    assert.notEqual(abuse.circuit, "closed", "a trial that was never sent says nothing about the service");
    clock = Date.UTC(2026, 5, 18, 0, 0, 1);
    await Promise.all([abuse.lookUp("8.8.8.20"), abuse.lookUp("8.8.8.21"), abuse.lookUp("8.8.8.22")]);
    assert.equal(standIn.requests.length, 3 + 1, "one trial request on the new day");
    assert.equal(abuse.circuit, "open");
  });

  it("spends at most a few of a day's lookups on one IPv6 /64: an attacker rotating through it cannot spend the quota", async () => {
    const abuse = client(abuseIpdb, { quota: { limit: 1000 } });
    for (let i = 1; i <= 50; i++) await abuse.lookUp(`2a03:b0c0:3:d0::${i.toString(16)}`);
    const asked = standIn.requests.length;
    assert.ok(asked >= 1 && asked <= 4, `${asked} requests for one /64`);
    assert.ok(await abuse.lookUp("2a03:b0c0:3:d1::1"), "the next /64 is asked");
    assert.ok(await abuse.lookUp("203.0.113.9"), "IPv4 as before");
    clock += 86_400_000;
    assert.ok(await abuse.lookUp("2a03:b0c0:3:d0::ff"), "the next day, the /64 again");
  });

  it("gives up on a server that never answers, or trickles its body, within the deadline", async () => {
    const abuse = client(abuseIpdb, { timeoutMs: 300 });
    standIn.next(() => ({ hang: true }));
    const started = Date.now();
    assert.equal(await abuse.lookUp("203.0.113.7"), undefined);
    assert.match(abuse.lastError, /no answer within 300 ms/);
    standIn.next((path) => ({ trickleMs: 50, body: { data: { totalReports: 1, path } } }));
    assert.equal(await abuse.lookUp("203.0.113.8"), undefined);
    assert.match(abuse.lastError, /within 300 ms/);
    assert.ok(Date.now() - started < 5_000);
    assert.equal(abuse.failures, 2);
  });

  it("asks a service that hangs about a few addresses at a time: a burst of new sources neither spends the quota nor opens hundreds of sockets", async () => {
    const abuse = client(abuseIpdb, { timeoutMs: 300 });
    standIn.answerAlways(() => ({ hang: true }));
    const lookups = Array.from({ length: 300 }, (_, i) => abuse.lookUp(`8.8.${i >> 8}.${i & 255}`));
    assert.deepEqual(new Set(await Promise.all(lookups)), new Set([undefined]));
    assert.ok(standIn.requests.length <= 8, `${standIn.requests.length} requests in flight at once`);
    assert.ok(abuse.callsLeft >= 1000 - 8, `${abuse.callsLeft} calls left of 1000`);
    assert.equal(abuse.circuit, "open", "the timeouts opened the circuit before the rest were sent");
  });

  it("reads hostile JSON defensively: megabyte strings cut, wrong types absent, junk and oversize answers failures", async () => {
    const abuse = client(abuseIpdb, { maxBytes: 4 << 20 });
    const huge = "<!channel> ".repeat(100_000);
    standIn.next(() => ({ body: { data: { abuseConfidenceScore: "100", totalReports: -3, numDistinctUsers: 1.5, isp: huge, domain: { $gt: 1 },
      usageType: ["a"], isTor: "false", isWhitelisted: null, lastReportedAt: 7 } } }));
    const verdict = await abuse.lookUp("203.0.113.7");
    assert.deepEqual({ ...verdict, isp: undefined }, { abuse_confidence: null, total_reports: null, distinct_reporters: null, last_reported: null,
      usage_type: null, isp: undefined, domain: null, is_tor: null, is_whitelisted: null });
    assert.equal(verdict?.isp?.length, MAX_VERDICT_TEXT);
    for (const body of ["not json {", [1, 2, 3], { data: "x" }, { data: null }, 42]) {
      standIn.next(() => ({ body }));
      assert.equal(await client(abuseIpdb).lookUp("203.0.113.9"), undefined, JSON.stringify(body));
    }
    const small = client(abuseIpdb, { maxBytes: 1024 });
    standIn.next(() => ({ body: { data: { isp: huge } } }));
    assert.equal(await small.lookUp("203.0.113.10"), undefined);
    assert.match(small.lastError, /over 1024 bytes/);
    const otx = client(alienVaultOtx, { maxBytes: 4 << 20 });
    standIn.next(() => ({ body: { pulse_info: { count: 3, pulses: [{ name: huge }, { name: 5 }, "x", null, { name: "ok" }] }, reputation: "bad" } }));
    const pulses = await otx.lookUp("192.0.2.1");
    assert.deepEqual(pulses?.pulses.map((name) => name.length), [MAX_VERDICT_TEXT, 2]);
    assert.equal(pulses?.reputation, null);
    const grey = client(greyNoise, { maxBytes: 4 << 20 });
    standIn.next(() => ({ body: { noise: "yes", riot: 1, classification: "<script>", name: huge } }));
    assert.deepEqual({ ...(await grey.lookUp("198.51.100.7")), name: "cut" }, { noise: null, riot: null, classification: null, name: "cut", last_seen: null });
  });

  it("keeps only the cut text of each cached verdict, not the long answer it was cut from", async () => {
    // A cut of a string can share the whole string's memory; a day's cache of 10,000 verdicts must not hold 10,000 answers.
    const abuse = client(abuseIpdb);
    const long = "x".repeat(300_000);
    standIn.answerAlways(() => ({ body: { data: { isp: `${long}i`, domain: `${long}d`, usageType: `${long}u` } } }));
    await abuse.lookUp("8.8.7.1");
    collectGarbage();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < 20; i++) assert.equal((await abuse.lookUp(`8.8.8.${i}`))?.isp?.length, MAX_VERDICT_TEXT);
    collectGarbage();
    const kept = process.memoryUsage().heapUsed - before;
    assert.ok(kept < 4_000_000, `${kept} bytes kept for 20 verdicts cut from answers of 900,000 characters`);
    assert.equal(abuse.cached("8.8.8.19")?.domain?.length, MAX_VERDICT_TEXT, "the verdicts are still cached");
  });

  it("stops at its quota for the day and starts again the next UTC day", async () => {
    const grey = client(greyNoise, { quota: { limit: 2 } });
    await grey.lookUp("198.51.100.1");
    await grey.lookUp("198.51.100.2");
    assert.equal(await grey.lookUp("198.51.100.3"), undefined);
    assert.equal(grey.callsLeft, 0);
    assert.equal(standIn.requests.length, 2);
    clock = Date.UTC(2026, 5, 18, 0, 0, 1);
    assert.equal(grey.callsLeft, 2);
    assert.notEqual(await grey.lookUp("198.51.100.3"), undefined);
  });

  it("sends one request for an address asked about twice at once", async () => {
    const otx = client(alienVaultOtx);
    const [a, b] = await Promise.all([otx.lookUp("192.0.2.1"), otx.lookUp("192.0.2.1")]);
    assert.deepEqual(a, b);
    assert.equal(standIn.requests.length, 1);
  });
});
