import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { OfflineGeoLookup } from "../../src/enrich/offline-geo-lookup";
import { generatedSensorLogForSuite, runHoneyflow as honeyflow } from "../support/honeyflow-cli";

describe("honeyflow score --enrich", function () {
  this.timeout(120_000);
  const sensor = generatedSensorLogForSuite("honeyflow-score-enrich-", 8000);

  const alertsOf = (file: string) => fs.readFileSync(file, "utf8").trim().split("\n").filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);

  it("adds each alert's src_geo from the offline databases, and nothing else changes", async () => {
    const plain = path.join(sensor.dir, "alerts.jsonl");
    const enriched = path.join(sensor.dir, "alerts-enriched.jsonl");
    assert.equal(honeyflow("score", "--input", sensor.log, "--out", plain, "--warm-up", "1000").status, 0);
    const result = honeyflow("score", "--input", sensor.log, "--out", enriched, "--warm-up", "1000", "--enrich");
    assert.equal(result.status, 0, result.stderr);
    const geo = await OfflineGeoLookup.open();
    const before = alertsOf(plain);
    const after = alertsOf(enriched);
    assert.ok(after.length > 0);
    assert.equal(after.length, before.length);
    for (let i = 0; i < after.length; i++) {
      const { src_geo, ...rest } = after[i];
      assert.deepEqual(rest, before[i], "the alert is the one scored without --enrich");
      assert.deepEqual(src_geo, geo.lookup(after[i].src_ip as string) ?? null);
    }
    assert.ok(before.every((alert) => !("src_geo" in alert)));
    const named = after.filter((alert) => typeof (alert.src_geo as { asn?: unknown } | null)?.asn === "number");
    assert.ok(named.length > 0, "the generator's public attackers get their networks");
    assert.match(honeyflow("score", "--help").stdout, /--enrich/);
  });
});
