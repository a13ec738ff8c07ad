import assert from "node:assert/strict";
import * as net from "node:net";
import { ipv4Number, ipv6Words } from "../../src/enrich/ip-address-number";
import { SeededRandom } from "../../src/stats/seeded-random";

describe("ipv4Number and ipv6Words", () => {
  it("read addresses as numbers", () => {
    assert.equal(ipv4Number("203.0.113.7"), 203 * 2 ** 24 + 113 * 256 + 7);
    assert.equal(ipv4Number("255.255.255.255"), 0xffffffff);
    assert.deepEqual(ipv6Words("2001:db8::1"), [0x20010db8, 0, 0, 1]);
    assert.deepEqual(ipv6Words("::ffff:1.2.3.4"), [0, 0, 0xffff, 0x01020304]);
    assert.deepEqual(ipv6Words("1:2:3:4:5:6:7::"), [0x10002, 0x30004, 0x50006, 0x70000]);
    assert.deepEqual(ipv6Words("FE80::1%eth0"), [0xfe800000, 0, 0, 1]);
  });

  it("accept exactly what Node's parser accepts, and agree with it on the value", () => {
    const random = new SeededRandom("ip-address-number");
    const pieces = ["", ":", "::", "0", "1", "ffff", "FFFF", "12345", "g", ".", "1.2.3.4", "256", "01", "::1"]; // zone ids aside: Node has rules of its own for their text
    for (let i = 0; i < 20_000; i++) {
      const text = Array.from({ length: random.integer(1, 9) }, () => pieces[random.integer(0, pieces.length - 1)]).join(random.chance(0.5) ? ":" : "");
      const words = ipv6Words(text);
      assert.equal(words !== undefined, net.isIPv6(text), text);
      if (words) {
        const canonical = new net.SocketAddress({ address: text.split("%")[0], family: "ipv6" }).address;
        assert.deepEqual(ipv6Words(canonical), words, `${text} vs ${canonical}`);
      }
      assert.equal(ipv4Number(text) !== undefined, net.isIPv4(text), text);
    }
  });

  it("refuse what is not an address", () => {
    for (const text of ["", "1.2.3", "1.2.3.4.5", "010.0.0.1", "1.2.3.256", " 1.2.3.4", "1::2::3", ":::", "1:2:3:4:5:6:7:8:9", "12345::"]) {
      assert.equal(ipv4Number(text) ?? ipv6Words(text), undefined, text);
    }
  });
});
