import assert from "node:assert/strict";
import { geoFieldsOf, MAX_NAME_LENGTH, type GeoFields } from "../../src/enrich/geo-database-record";
import { heapKeptBy } from "../support/garbage-collector";

describe("geoFieldsOf", () => {
  it("reads ip-location-db, GeoLite2/DB-IP and ASN record layouts", () => {
    assert.deepEqual(geoFieldsOf({ country_code: "nl" }), { country: "NL" });
    assert.deepEqual(geoFieldsOf({ country_code: "DE", city: "Berlin" }), { country: "DE", city: "Berlin" });
    assert.deepEqual(geoFieldsOf({ country: { iso_code: "FR", names: { en: "France" } }, city: { names: { en: "Paris" } } }), { country: "FR", city: "Paris" });
    assert.deepEqual(geoFieldsOf({ registered_country: { iso_code: "JP" } }), { country: "JP" });
    assert.deepEqual(geoFieldsOf({ autonomous_system_number: 14061, autonomous_system_organization: "DIGITALOCEAN-ASN" }), { asn: 14061, as_org: "DIGITALOCEAN-ASN" });
  });

  it("reads wrong types as absent and cuts long names", () => {
    assert.deepEqual(geoFieldsOf(null), {});
    assert.deepEqual(geoFieldsOf("US"), {});
    assert.deepEqual(geoFieldsOf({ country_code: 840, city: { names: { en: 7 } }, autonomous_system_number: "15169", autonomous_system_organization: ["x"] }), {});
    assert.deepEqual(geoFieldsOf({ country_code: "USA", autonomous_system_number: -1 }), {});
    assert.deepEqual(geoFieldsOf({ autonomous_system_number: 2 ** 40 }), {});
    assert.equal(geoFieldsOf({ autonomous_system_organization: "x".repeat(1e6) }).as_org?.length, MAX_NAME_LENGTH);
  });

  it("keeps a cut name in memory of its own, not the long name it was cut from", () => {
    // Answers are cached per address; each lookup in a file decodes its record's names afresh.
    const answers: GeoFields[] = [];
    const kept = heapKeptBy(() => {
      for (let i = 0; i < 20; i++) answers.push(geoFieldsOf({ city: "c".repeat(500_000) + i, autonomous_system_organization: "o".repeat(500_000) + i }));
    });
    assert.ok(kept < 2_000_000, `${kept} bytes kept by 20 answers cut from names of 500,000 characters`);
    assert.equal(answers[19].city?.length, MAX_NAME_LENGTH);
  });
});
