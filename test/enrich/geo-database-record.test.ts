import assert from "node:assert/strict";
import { geoFieldsOf, MAX_NAME_LENGTH } from "../../src/enrich/geo-database-record";

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
});
