import assert from "node:assert/strict";
import * as net from "node:net";
import { isInternalIp } from "../../src/clean/internal-ip";
import { SeededRandom } from "../../src/stats/seeded-random";

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

  it("reads any text as net.isIP and BlockList do: every dotted quad by its ranges, anything else as no IPv4 address (property)", () => {
    const ranges = new net.BlockList();
    for (const [network, prefix] of [["10.0.0.0", 8], ["172.16.0.0", 12], ["192.168.0.0", 16], ["127.0.0.0", 8], ["169.254.0.0", 16], ["100.64.0.0", 10]] as const) {
      ranges.addSubnet(network, prefix, "ipv4");
    }
    const random = new SeededRandom("internal-ip");
    const octet = () => String(random.pick([0, 1, 9, 10, 15, 16, 31, 32, 63, 64, 99, 100, 127, 128, 168, 169, 172, 192, 254, 255, 256, 999, random.integer(0, 255)]));
    for (let i = 0; i < 20_000; i++) {
      const octets = [octet(), octet(), octet(), octet()].slice(0, random.chance(0.05) ? 3 : 4);
      if (random.chance(0.05)) octets.push(octet());
      if (random.chance(0.05)) octets[random.integer(0, octets.length - 1)] = `0${octets[0]}`;
      let text = octets.join(random.chance(0.03) ? ":" : ".");
      if (random.chance(0.03)) text = random.pick([` ${text}`, `${text} `, `${text}.`, `.${text}`, `${text}\n`, `+${text}`]);
      const expected = net.isIP(text) === 4 && ranges.check(text, "ipv4");
      assert.equal(isInternalIp(text), expected, JSON.stringify(text));
    }
  });
});
