import assert from "node:assert/strict";
import { isInternalIp } from "../../src/clean/internal-ip";

describe("isInternalIp", () => {
  it("knows each internal range by its edges", () => {
    const internal = ["10.0.0.0", "10.255.255.255", "172.16.0.1", "172.31.255.255", "192.168.1.1", "127.0.0.1",
      "169.254.10.20", "100.64.0.1", "100.127.255.255", "::1", "fc00::1", "fd12:3456:789a::1", "fe80::1", "febf::1",
      "::ffff:10.1.2.3"];
    for (const ip of internal) assert.equal(isInternalIp(ip), true, ip);
  });

  it("calls the addresses just outside those ranges public", () => {
    const external = ["9.255.255.255", "11.0.0.0", "172.15.255.255", "172.32.0.0", "192.169.0.1", "128.0.0.1",
      "169.255.0.1", "100.63.255.255", "100.128.0.0", "2001:db8::1", "fe00::1", "fec0::1", "203.0.113.7", "::ffff:203.0.113.7"];
    for (const ip of external) assert.equal(isInternalIp(ip), false, ip);
  });

  it("answers the same the second time (the answer is remembered)", () => {
    assert.equal(isInternalIp("192.168.7.7"), true);
    assert.equal(isInternalIp("192.168.7.7"), true);
    assert.equal(isInternalIp("not an ip"), false);
  });
});
