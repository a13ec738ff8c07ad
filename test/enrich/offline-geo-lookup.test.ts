import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { OfflineGeoLookup } from "../../src/enrich/offline-geo-lookup";
import { bundledGeoDatabases } from "../../src/enrich/bundled-geo-databases";
import { heapKeptBy } from "../support/garbage-collector";

describe("OfflineGeoLookup (the bundled databases)", function () {
  this.timeout(60_000);
  let geo: OfflineGeoLookup;
  before(async () => {
    geo = await OfflineGeoLookup.open();
  });

  it("places large providers' documented public prefixes in their country and network", () => {
    // Google Public DNS and Cloudflare's 1.1.1.1 resolvers: addresses their owners publish and announce themselves.
    assert.deepEqual(geo.lookup("8.8.8.8"), { country: "US", country_name: "United States", asn: 15169, as_org: "Google LLC" });
    assert.deepEqual(geo.lookup("2001:4860:4860::8888"), { country: "US", country_name: "United States", asn: 15169, as_org: "Google LLC" });
    for (const ip of ["1.1.1.1", "2606:4700:4700::1111"]) {
      const answer = geo.lookup(ip);
      assert.equal(answer?.asn, 13335, ip);
      assert.equal(answer?.as_org, "Cloudflare, Inc.", ip);
      assert.match(answer?.country ?? "", /^[A-Z]{2}$/, ip);
    }
    assert.deepEqual(geo.lookup("::ffff:8.8.8.8"), geo.lookup("8.8.8.8"), "an IPv4-mapped address is its IPv4 address");
  });

  it("labels every reserved range and never looks it up", () => {
    const reserved: Record<string, string> = {
      "10.1.2.3": "private", "172.16.5.4": "private", "192.168.1.1": "private", "100.64.0.1": "cgnat", "127.0.0.1": "loopback",
      "169.254.1.1": "link-local", "192.0.2.1": "documentation", "198.51.100.7": "documentation", "203.0.113.7": "documentation",
      "198.18.0.1": "benchmarking", "224.0.0.251": "multicast", "240.0.0.1": "reserved", "255.255.255.255": "broadcast",
      "0.0.0.0": "this-network", "::1": "loopback", "::": "unspecified", "fd00::1": "private", "fe80::1": "link-local",
      "ff02::1": "multicast", "2001:db8::7": "documentation", "3fff::1": "documentation", "64:ff9b::808:808": "nat64",
    };
    for (const [ip, special_use] of Object.entries(reserved)) {
      assert.deepEqual(geo.lookup(ip), { country: null, country_name: null, asn: null, as_org: null, special_use }, ip);
    }
  });

  it("answers nothing for text that is not an address, and counts lookups and cache hits", async () => {
    const fresh = await OfflineGeoLookup.open({ cacheSize: 2 });
    assert.equal(fresh.lookup("not-an-ip"), undefined);
    fresh.lookup("8.8.8.8");
    fresh.lookup("8.8.8.8");
    fresh.lookup("1.1.1.1");
    fresh.lookup("9.9.9.9");
    fresh.lookup("8.8.8.8"); // pushed out by the two before it
    assert.equal(fresh.lookups, 6);
    assert.equal(fresh.cacheHits, 1);
    assert.ok(Object.isFrozen(fresh.lookup("8.8.8.8")), "a shared answer cannot be changed by one message's consumer");
  });

  it("keeps no memory for long text that is not an address, whatever a message's src_ip holds", () => {
    // A payload from an http in or tcp in node can carry a megabyte in src_ip; the cache holds 65,536 answers.
    const kept = heapKeptBy(() => {
      for (let i = 0; i < 200; i++) assert.equal(geo.lookup(`${i}.`.padEnd(100_000, "9")), undefined);
    });
    assert.ok(kept < 2_000_000, `${kept} bytes kept for 200 texts of 100,000 characters`);
    assert.equal(geo.lookup("8.8.8.8")?.asn, 15169, "and addresses are still answered");
  });

  it("reads a user's own mmdb instead of the bundled one", async () => {
    // The bundled package's IPv6-only file stands in for a user's database: it has no IPv4 countries.
    const ipv6Only = path.join(path.dirname(bundledGeoDatabases.countryMmdb()), "geo-whois-asn-country-ipv6.mmdb");
    const own = await OfflineGeoLookup.open({ geoDatabase: ipv6Only });
    assert.equal(own.lookup("2001:4860:4860::8888")?.country, "US");
    assert.equal(own.lookup("8.8.8.8")?.country, null);
    assert.equal(own.lookup("8.8.8.8")?.asn, 15169, "networks still come from the bundled table");
    await assert.rejects(OfflineGeoLookup.open({ asnDatabase: "/nonexistent/GeoLite2-ASN.mmdb" }), /GeoLite2-ASN\.mmdb/);
  });

  it("places no IPv6 source from a user's IPv4-only mmdb, rather than reading its first 32 bits as an IPv4 address", async () => {
    // The bundled package's IPv4-only file stands in for a user's: 2a00:1450::/32 (Google in Europe)
    // read as 42.0.20.80 would be placed in China.
    const ipv4Only = path.join(path.dirname(bundledGeoDatabases.countryMmdb()), "geo-whois-asn-country-ipv4.mmdb");
    const own = await OfflineGeoLookup.open({ geoDatabase: ipv4Only, asnDatabase: ipv4Only });
    assert.equal(own.lookup("8.8.8.8")?.country, "US");
    assert.deepEqual(own.lookup("2a00:1450:4001:81c::200e"), { country: null, country_name: null, asn: null, as_org: null });
    assert.equal(own.lookup("::ffff:8.8.8.8")?.country, "US", "an IPv4-mapped source is still its IPv4 address");
  });

  it("refuses a FIFO, a directory or a device given as a database, naming the path and what it is, without waiting for a writer", async function () {
    if (process.platform === "win32") this.skip();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "honeyflow-geo-"));
    const fifo = path.join(dir, "GeoLite2-City.mmdb");
    execFileSync("mkfifo", [fifo]);
    try {
      // A read of a FIFO waits for a writer: a bound on the wait, so that the test fails rather than hangs.
      const within = <T>(opening: Promise<T>) => Promise.race([opening,
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error("still opening after 5 s")), 5_000).unref())]);
      await assert.rejects(within(OfflineGeoLookup.open({ geoDatabase: fifo })), { message: `${fifo} is not a regular file but a FIFO` });
      await assert.rejects(within(OfflineGeoLookup.open({ asnDatabase: fifo })), { message: `${fifo} is not a regular file but a FIFO` });
      await assert.rejects(within(OfflineGeoLookup.open({ geoDatabase: dir })), { message: `${dir} is not a regular file but a directory` });
      await assert.rejects(within(OfflineGeoLookup.open({ geoDatabase: "/dev/null" })), { message: "/dev/null is not a regular file but a character device" });
    } finally {
      releaseWaitingReaders(fifo);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** Opens `fifo` for writing and closes it, so that a read still waiting on it (the failure this guards against) ends. */
function releaseWaitingReaders(fifo: string) {
  try {
    fs.closeSync(fs.openSync(fifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK));
  } catch {
    // ENXIO: no reader waits
  }
}
