import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { AsnRangeTable } from "../../src/enrich/asn-range-table";

const ipv4Csv = [
  "16777216,16777471,13335,\"Cloudflare, Inc.\"",
  "16778240,16779263,38803,Gtelecom Pty Ltd",
  "not,a,range",
  "16779264,16779263,1,end before start",
  "16778000,16778100,2,out of order",
  "3405803776,3405804031,64500,\"Quote \"\"Co\"\"\"",
].join("\r\n");
const ipv6Csv = [
  "2001:200::,2001:200:1b9:ffff:ffff:ffff:ffff:ffff,2500,WIDE Project",
  "2606:4700::,2606:4700:ffff:ffff:ffff:ffff:ffff:ffff,13335,\"Cloudflare, Inc.\"",
].join("\n");

describe("AsnRangeTable", () => {
  it("finds the range holding an address, at its edges, and nothing between ranges", async () => {
    const table = await AsnRangeTable.fromCsv(ipv4Csv, ipv6Csv);
    assert.equal(table.rangeCount, 5, "the three damaged or disordered lines are skipped");
    assert.deepEqual(table.lookup("1.0.0.0"), { asn: 13335, as_org: "Cloudflare, Inc." });
    assert.deepEqual(table.lookup("1.0.0.255"), { asn: 13335, as_org: "Cloudflare, Inc." });
    assert.equal(table.lookup("1.0.1.0"), undefined);
    assert.equal(table.lookup("0.255.255.255"), undefined);
    assert.deepEqual(table.lookup("1.0.4.0"), { asn: 38803, as_org: "Gtelecom Pty Ltd" });
    assert.deepEqual(table.lookup("203.0.113.255"), { asn: 64500, as_org: 'Quote "Co"' });
    assert.deepEqual(table.lookup("::ffff:1.0.0.1"), { asn: 13335, as_org: "Cloudflare, Inc." });
    assert.deepEqual(table.lookup("2001:200:1b9:ffff:ffff:ffff:ffff:ffff"), { asn: 2500, as_org: "WIDE Project" });
    assert.equal(table.lookup("2001:200:1ba::"), undefined);
    assert.deepEqual(table.lookup("2606:4700:4700::1111"), { asn: 13335, as_org: "Cloudflare, Inc." });
    assert.equal(table.lookup("2606:4701::"), undefined);
    assert.equal(table.lookup("not an address"), undefined);
  });

  it("answers as a linear scan does, on many ranges built across turns of the event loop", async () => {
    const rows: string[] = [];
    for (let i = 0; i < 50_000; i++) rows.push(`${i * 100},${i * 100 + 49},${i},org ${i % 7}`);
    const table = await AsnRangeTable.fromCsv(rows.join("\n"), "");
    for (const n of [0, 49, 50, 99, 100, 2_500_049, 4_999_949, 4_999_950, 1e9]) {
      const i = Math.floor(n / 100);
      const inside = n % 100 < 50 && i < 50_000;
      const ip = [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
      assert.deepEqual(table.lookup(ip), inside ? { asn: i, as_org: `org ${i % 7}` } : undefined, ip);
    }
  });

  it("keeps its organisation names, not the CSV text they were read from", function () {
    this.timeout(60_000);
    // The bundled CSV runs to tens of megabytes; each enrich node builds its own table and keeps it
    // while deployed. Measured in a process of its own: the table is built across turns of the event
    // loop, and the rest of the suite's work in those turns would count as the table's.
    const measure = `
      const { AsnRangeTable } = require(${JSON.stringify(path.join(__dirname, "../../src/enrich/asn-range-table"))});
      const { collectGarbage } = require(${JSON.stringify(path.join(__dirname, "../support/garbage-collector"))});
      (async () => {
        const rows = [];
        for (let i = 0; i < 100000; i++) rows.push(\`\${i * 100},\${i * 100 + 49},\${64500 + (i % 10)},Example Networks \${i % 10} Ltd\`);
        let csv = rows.join("\\n");
        rows.length = 0;
        const csvBytes = csv.length;
        collectGarbage();
        const before = process.memoryUsage().heapUsed;
        const table = await AsnRangeTable.fromCsv(csv, "");
        csv = undefined;
        collectGarbage();
        const kept = process.memoryUsage().heapUsed - before + csvBytes; // the CSV itself was in use before
        process.stdout.write(JSON.stringify({ kept, csvBytes, first: table.lookup("0.0.0.1") }));
      })();`;
    const child = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", measure], { encoding: "utf8" });
    assert.equal(child.status, 0, child.stderr);
    const { kept, csvBytes, first } = JSON.parse(child.stdout) as { kept: number; csvBytes: number; first: unknown };
    assert.deepEqual(first, { asn: 64_500, as_org: "Example Networks 0 Ltd" });
    assert.ok(kept < csvBytes / 4, `${kept} bytes of heap kept by a table of ten names read from ${csvBytes} characters of CSV`);
  });
});
