import assert from "node:assert/strict";
import { specialUseOf } from "../../src/enrich/special-use-address";

describe("specialUseOf", () => {
  it("labels every special-purpose range, at both of its edges", () => {
    const ranges: Array<[string, string, string]> = [
      ["0.0.0.0", "0.255.255.255", "this-network"], ["10.0.0.0", "10.255.255.255", "private"],
      ["100.64.0.0", "100.127.255.255", "cgnat"], ["127.0.0.0", "127.255.255.255", "loopback"],
      ["169.254.0.0", "169.254.255.255", "link-local"], ["172.16.0.0", "172.31.255.255", "private"],
      ["192.0.0.0", "192.0.0.255", "reserved"], ["192.0.2.0", "192.0.2.255", "documentation"],
      ["192.88.99.0", "192.88.99.255", "reserved"], ["192.168.0.0", "192.168.255.255", "private"],
      ["198.18.0.0", "198.19.255.255", "benchmarking"], ["198.51.100.0", "198.51.100.255", "documentation"],
      ["203.0.113.0", "203.0.113.255", "documentation"], ["224.0.0.0", "239.255.255.255", "multicast"],
      ["240.0.0.0", "255.255.255.254", "reserved"], ["255.255.255.255", "255.255.255.255", "broadcast"],
      ["::", "::", "unspecified"], ["::1", "::1", "loopback"], ["::ffff:10.0.0.0", "::ffff:10.255.255.255", "private"],
      ["64:ff9b::", "64:ff9b::ffff:ffff", "nat64"], ["64:ff9b:1::", "64:ff9b:1:ffff:ffff:ffff:ffff:ffff", "nat64"],
      ["100::", "100::ffff:ffff:ffff:ffff", "reserved"], ["100:0:0:1::", "100::1:ffff:ffff:ffff:ffff", "reserved"],
      ["2001::", "2001:1ff:ffff:ffff:ffff:ffff:ffff:ffff", "reserved"], ["5f00::", "5f00:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "reserved"],
      ["2001:db8::", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", "documentation"],
      ["3fff::", "3fff:fff:ffff:ffff:ffff:ffff:ffff:ffff", "documentation"], ["fc00::", "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "private"],
      ["fe80::", "febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "link-local"], ["ff00::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "multicast"],
    ];
    for (const [first, last, use] of ranges) {
      assert.equal(specialUseOf(first), use, first);
      assert.equal(specialUseOf(last), use, last);
    }
  });

  it("leaves public addresses just outside those ranges, and text that is no address, unlabelled", () => {
    const outside = ["1.0.0.0", "9.255.255.255", "11.0.0.0", "100.63.255.255", "100.128.0.0", "126.255.255.255", "128.0.0.0",
      "172.15.255.255", "172.32.0.0", "192.0.1.255", "192.0.3.0", "192.167.255.255", "192.169.0.0", "198.17.255.255",
      "198.20.0.0", "203.0.112.255", "203.0.114.0", "223.255.255.255", "8.8.8.8", "::2", "::ffff:8.8.8.8", "2001:200::",
      "2001:db7:ffff::", "2001:db9::", "2606:4700::1111", "3fff:1000::", "100:0:0:2::", "5eff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
      "5f01::", "fbff::1", "fec0::1", "not an address", ""];
    for (const ip of outside) assert.equal(specialUseOf(ip), undefined, ip);
  });
});
