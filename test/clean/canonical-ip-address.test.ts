import assert from "node:assert/strict";
import { canonicalIpAddress } from "../../src/clean/canonical-ip-address";

describe("canonicalIpAddress", () => {
  it("keeps IPv4 as written", () => {
    assert.equal(canonicalIpAddress("176.83.10.132"), "176.83.10.132");
    assert.equal(canonicalIpAddress("0.0.0.0"), "0.0.0.0");
  });

  it("writes IPv6 in RFC 5952 form: lower case, longest zero run compressed", () => {
    assert.equal(canonicalIpAddress("2001:0DB8:0000:0000:0000:0000:0000:0001"), "2001:db8::1");
    assert.equal(canonicalIpAddress("2001:db8:0:0:1:0:0:1"), "2001:db8::1:0:0:1");
    assert.equal(canonicalIpAddress("::1"), "::1");
  });

  it("turns IPv4-mapped IPv6 from a dual-stack listener into plain IPv4", () => {
    assert.equal(canonicalIpAddress("::ffff:203.0.113.7"), "203.0.113.7");
    assert.equal(canonicalIpAddress("::FFFF:cb00:7107"), "203.0.113.7");
  });

  it("refuses what is not an address", () => {
    for (const text of ["", "203.0.113", "203.0.113.256", "010.0.0.1", " 1.2.3.4", "1.2.3.4\n", "google.com", "::g", "1.2.3.4/24"]) {
      assert.equal(canonicalIpAddress(text), undefined, JSON.stringify(text));
    }
  });
});
