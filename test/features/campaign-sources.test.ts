import assert from "node:assert/strict";
import { CampaignSources, campaignKeysOf } from "../../src/features/campaign-sources";

describe("CampaignSources", () => {
  it("counts the distinct sources behind one credential pair within the window, and forgets older ones", () => {
    const campaigns = new CampaignSources(300);
    const key = campaignKeysOf({ eventid: "cowrie.login.failed", username: "admin", password: "hunter2" });
    let count = 0;
    for (let k = 0; k < 25; k++) count = campaigns.observe(key, `198.51.100.${k}`, 1000 + k * 4).window;
    assert.equal(count, 25);
    assert.deepEqual(campaigns.observe(key, "198.51.100.0", 1100), { window: 25, recent: 15 }, "a source counts once; 15 arrived in the last minute");
    assert.equal(campaigns.observe(key, "203.0.113.1", 1000 + 24 * 4 + 300).window, 2, "only the last source and the new one are within five minutes");
  });

  it("keys credentials, commands, client versions and HASSHes apart, and other events not at all", () => {
    assert.equal(campaignKeysOf({ eventid: "cowrie.session.connect" }).length, 0);
    const keys = [
      campaignKeysOf({ eventid: "cowrie.login.success", username: "root", password: "x" }),
      campaignKeysOf({ eventid: "cowrie.command.input", input: "root\u0000x" }),
      campaignKeysOf({ eventid: "cowrie.client.version", client_version: "SSH-2.0-Go" }),
      campaignKeysOf({ eventid: "cowrie.client.kex", hassh: "SSH-2.0-Go" }),
    ].flat();
    assert.equal(new Set(keys).size, 4);
    // Cowrie 1.x wrote banner and key exchange offer as one client.version: one event, both keys, as 2.x's two events give.
    assert.deepEqual(campaignKeysOf({ eventid: "cowrie.client.version", client_version: "SSH-2.0-Go", hassh: "0a1b" }),
      [...campaignKeysOf({ eventid: "cowrie.client.version", client_version: "SSH-2.0-Go" }), ...campaignKeysOf({ eventid: "cowrie.client.kex", hassh: "0a1b" })]);
    const long = campaignKeysOf({ eventid: "cowrie.command.input", input: "A".repeat(5_000_000) })[0];
    assert.ok(long.length < 1024, "a megabyte of attacker input is keyed by its head");
  });

  it("reports the busiest of an event's keys", () => {
    const campaigns = new CampaignSources(300);
    const shared = campaignKeysOf({ eventid: "cowrie.client.version", client_version: "SSH-2.0-Go" });
    for (let k = 0; k < 9; k++) campaigns.observe(shared, `10.0.0.${k}`, 50);
    const both = [...shared, ...campaignKeysOf({ eventid: "cowrie.command.input", input: "uname -a" })];
    assert.equal(campaigns.observe(both, "10.0.0.99", 60).window, 10);
  });
});
