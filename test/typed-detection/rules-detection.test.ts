import assert from "node:assert/strict";
import { RulesDetection } from "../../src/typed-detection/rules-detection";

const NAMES = ["failed_logins_1m", "unique_ports_1m", "events_per_min", "download_execs_5m", "campaign_sources_5m"];
const event = (time_ms: number, src_ip = "203.0.113.7") => ({ src_ip, sensor: "s1", time_ms });
const features = (values: Partial<Record<string, number>>) => NAMES.map((name) => values[name] ?? 0);

describe("RulesDetection", () => {
  it("fires each per-source rule at its threshold exactly, and not one below", () => {
    const cases = [
      ["failed_logins_1m", 20, "brute-force"],
      ["unique_ports_1m", 10, "port-scan/tunnel"],
      ["campaign_sources_5m", 5, "credential-stuffing"],
      ["download_execs_5m", 1, "malware-drop"],
    ] as const;
    for (const [feature, threshold, type] of cases) {
      const rules = new RulesDetection();
      assert.equal(rules.observe(features({ [feature]: threshold - 1 }), NAMES, event(0)), undefined, `${feature} = ${threshold - 1}`);
      const finding = rules.observe(features({ [feature]: threshold }), NAMES, event(1000));
      assert.equal(finding?.type, type, `${feature} = ${threshold}`);
      assert.equal(finding?.threshold, threshold);
    }
  });

  it("takes thresholds typed by the user and refuses nonsense", () => {
    const rules = new RulesDetection({ failedLogins: 30 });
    assert.equal(rules.observe(features({ failed_logins_1m: 29 }), NAMES, event(0)), undefined);
    assert.equal(rules.observe(features({ failed_logins_1m: 30 }), NAMES, event(0))?.type, "brute-force");
    assert.throws(() => new RulesDetection({ tunnelPorts: 0 }), RangeError);
    assert.throws(() => new RulesDetection({ spikeFactor: Number.NaN }), RangeError);
  });

  it("calls a traffic spike when the last minute passes ten times the day's median minute with traffic", () => {
    const rules = new RulesDetection();
    const day = Date.UTC(2026, 2, 18);
    // Ten minutes of 3 events each: the median minute is 3, so a spike needs more than 30.
    for (let minute = 0; minute < 10; minute++) {
      for (let e = 0; e < 3; e++) rules.observe(features({ events_per_min: 3 }), NAMES, event(day + minute * 60_000 + e * 1000));
    }
    assert.equal(rules.observe(features({ events_per_min: 30 }), NAMES, event(day + 10 * 60_000)), undefined);
    const spike = rules.observe(features({ events_per_min: 31 }), NAMES, event(day + 10 * 60_000 + 1000));
    assert.equal(spike?.type, "traffic-spike");
    assert.equal(spike?.threshold, 30);
    // A new day starts without a median: no spike on its first minute.
    assert.equal(rules.observe(features({ events_per_min: 100 }), NAMES, event(day + 86_400_000)), undefined);
  });

  it("names the rule passed furthest when several fire", () => {
    const finding = new RulesDetection().observe(features({ failed_logins_1m: 25, unique_ports_1m: 40 }), NAMES, event(0));
    assert.equal(finding?.type, "port-scan/tunnel");
  });

  it("names what the source did, not the flood of other sources it came in", () => {
    const rules = new RulesDetection();
    const day = Date.UTC(2026, 2, 18);
    for (let minute = 0; minute < 10; minute++) {
      for (let e = 0; e < 3; e++) rules.observe(features({ events_per_min: 3 }), NAMES, event(day + minute * 60_000 + e * 1000));
    }
    // A thousand connects a minute from fresh addresses, while one source drops malware and another tunnels.
    const at = day + 10 * 60_000;
    assert.equal(rules.observe(features({ events_per_min: 1000, download_execs_5m: 1 }), NAMES, event(at, "198.51.100.4"))?.type, "malware-drop");
    assert.equal(rules.observe(features({ events_per_min: 1000, unique_ports_1m: 12 }), NAMES, event(at + 1000, "198.51.100.5"))?.type, "port-scan/tunnel");
    assert.equal(rules.observe(features({ events_per_min: 1000 }), NAMES, event(at + 2000, "2001:db8::1"))?.type, "traffic-spike");
  });
});
