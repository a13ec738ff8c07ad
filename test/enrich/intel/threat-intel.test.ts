import assert from "node:assert/strict";
import { ThreatIntel, type LateIntel } from "../../../src/enrich/intel/threat-intel";
import { IntelServiceStandIn } from "../../support/intel-service-stand-in";

describe("ThreatIntel", () => {
  let standIn: IntelServiceStandIn;
  beforeEach(async () => {
    standIn = await IntelServiceStandIn.start();
  });
  afterEach(() => standIn.stop());

  const until = async (condition: () => boolean) => {
    const deadline = Date.now() + 5000;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error("timed out");
      await new Promise((r) => setTimeout(r, 10));
    }
  };

  it("asks only the services with a key", () => {
    assert.equal(new ThreatIntel({}, () => undefined).enabled, false);
    const intel = new ThreatIntel({ abuseipdb: { apiKey: "" }, otx: { apiKey: "k", baseUrl: standIn.url } }, () => undefined);
    assert.deepEqual(intel.clients.map((c) => c.name), ["otx"]);
  });

  it("answers at once with what is cached and reports the rest later, for every alert id that waited", async () => {
    const late: LateIntel[] = [];
    const intel = new ThreatIntel({
      abuseipdb: { apiKey: "a", baseUrl: standIn.url }, greynoise: { apiKey: "g", baseUrl: standIn.url }, otx: { apiKey: "o", baseUrl: standIn.url },
    }, (l) => late.push(l));
    assert.deepEqual(intel.known("203.0.113.7", "alert-1"), {}, "nothing is cached yet: the message goes on without intel");
    assert.deepEqual(intel.known("203.0.113.7", "alert-2"), {});
    await until(() => late.length === 3);
    assert.equal(standIn.requests.length, 3, "one request per service, not per alert");
    assert.deepEqual(late.map((l) => Object.keys(l.intel)[0]).sort(), ["abuseipdb", "greynoise", "otx"]);
    for (const l of late) assert.deepEqual({ src_ip: l.src_ip, ids: l.ids }, { src_ip: "203.0.113.7", ids: ["alert-1", "alert-2"] });
    const known = intel.known("203.0.113.7", "alert-3");
    assert.equal(known.abuseipdb?.total_reports, 312);
    assert.equal(known.greynoise?.classification, "malicious");
    assert.equal(known.otx?.pulse_count, 7);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(standIn.requests.length, 3);
    assert.equal(late.length, 3, "nothing late for an alert that went out with everything");
  });

  it("sends nothing late when a lookup fails", async () => {
    const late: LateIntel[] = [];
    standIn.answerAlways(() => ({ status: 500 }));
    const intel = new ThreatIntel({ abuseipdb: { apiKey: "a", baseUrl: standIn.url } }, (l) => late.push(l));
    intel.known("203.0.113.7", "alert-1");
    await until(() => intel.clients[0].failures === 1);
    assert.deepEqual(late, []);
  });

  it("asks once about an address however it is written, and reports it in its one canonical form", async () => {
    const late: LateIntel[] = [];
    const intel = new ThreatIntel({ abuseipdb: { apiKey: "a", baseUrl: standIn.url } }, (l) => late.push(l));
    // Cowrie on a dual-stack socket logs IPv4 peers as IPv4-mapped IPv6; a hand-fed message may not be cleaned.
    intel.known("::ffff:203.0.113.7", "alert-1");
    intel.known("203.0.113.7", "alert-2");
    intel.known("2001:DB8:0:0::1", "alert-3");
    intel.known("2001:db8::1", "alert-4");
    await until(() => late.length >= 2);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(standIn.requests.length, 2, "one request per address, not per spelling");
    assert.deepEqual(late.map((l) => [l.src_ip, l.ids]).sort(), [["2001:db8::1", ["alert-3", "alert-4"]], ["203.0.113.7", ["alert-1", "alert-2"]]]);
    assert.equal(intel.known("::ffff:203.0.113.7").abuseipdb?.total_reports, 312, "the cache answers for every spelling");
    assert.deepEqual(intel.known("not an address", "alert-5"), {}, "what is no address is never asked about");
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(standIn.requests.length, 2);
  });
});
