import assert from "node:assert/strict";
import { encodeLine, PointRejected, TypedPoint, TypedValue } from "../../../src/delivery/influx/line-protocol";
import { SeededRandom } from "../../../src/stats/seeded-random";
import { hostileText, storedName, storedTag, wellFormed } from "../../support/hostile-text";
import { InfluxdProcess } from "../../support/influxd-process";
import { requireExecutable } from "../../support/service-requirement";

const T = 1_717_171_717_123;
const text = (value: string): TypedValue => ({ type: "string", value });
const float = (value: number): TypedValue => ({ type: "float", value });
const point = (overrides: Partial<TypedPoint> = {}): TypedPoint => ({
  measurement: "m", tags: {}, fields: { value: float(1) }, timestampMs: T, ...overrides,
});

function refusal(p: TypedPoint): string {
  try {
    encodeLine(p);
  } catch (err) {
    assert.ok(err instanceof PointRejected, `a PointRejected, not ${String(err)}`);
    return err.message;
  }
  return assert.fail("the point was accepted");
}

describe("line protocol (InfluxDB 1.x)", () => {
  it("escapes measurement, tag keys and values, field keys and string fields as the 1.x reference says", () => {
    const line = encodeLine(point({
      measurement: "cpu load,total",
      tags: { "host name": "a,b=c d" },
      fields: { "my field=": text('say "hi" \\ there') },
    }));
    assert.equal(line, `cpu\\ load\\,total,host\\ name=a\\,b\\=c\\ d my\\ field\\=="say \\"hi\\" \\\\ there" ${T}`);
  });

  it("keeps newlines in string fields and writes numbers, integers and booleans as 1.x reads them", () => {
    const line = encodeLine(point({
      fields: {
        text: text("line 1\nline 2"), f: float(1), g: float(-2.5e-7), big: float(1e21),
        n: { type: "integer", value: 41.6 }, z: { type: "integer", value: -0.2 }, ok: { type: "boolean", value: false },
      },
    }));
    assert.equal(line, `m text="line 1\nline 2",f=1,g=-2.5e-7,big=1e+21,n=42i,z=0i,ok=false ${T}`);
  });

  it("sorts tags by key, leaves out empty tag values and rounds the timestamp to ms", () => {
    const line = encodeLine(point({ tags: { zone: "eu", host: "h1", empty: "" }, timestampMs: T + 0.4 }));
    assert.equal(line, `m,host=h1,zone=eu value=1 ${T}`);
  });

  it("maps what 1.x names cannot hold: a newline to \\n, a backslash that looks like an escape to ⧵", () => {
    const line = encodeLine(point({
      measurement: 'say\\"',
      tags: { user: "ro\not", path: "C:\\dir\\", odd: "a\\,b\\ c\\=d", quote: 'a\\"b', fine: "a\\b" },
      fields: { 'f\\"': float(1) },
    }));
    assert.equal(line, `say\u29F5",fine=a\\b,odd=a\u29F5\\,b\u29F5\\ c\u29F5\\=d,path=C:\\dir\u29F5,quote=a\\"b,user=ro\\not f\u29F5"=1 ${T}`);
  });

  it("refuses, with a reason, what 1.x would refuse, drop or misread", () => {
    assert.match(refusal(point({ fields: { v: float(NaN) } })), /NaN/);
    assert.match(refusal(point({ fields: { v: float(-Infinity) } })), /-Infinity/);
    assert.match(refusal(point({ fields: { v: { type: "integer", value: 2 ** 60 } } })), /within ±2\^53/);
    assert.match(refusal(point({ timestampMs: Date.UTC(2300, 0) })), /1677 to 2262/);
    assert.match(refusal(point({ measurement: "" })), /measurement is empty/);
    assert.match(refusal(point({ measurement: "#m" })), /comment/);
    assert.match(refusal(point({ measurement: "\tm" })), /strips/);
    assert.match(refusal(point({ fields: { "\0f": float(1) } })), /strips/);
    assert.match(refusal(point({ tags: { time: "x" } })), /'time' cannot be a tag key/);
    assert.match(refusal(point({ fields: { time: float(1) } })), /'time' cannot be a field key/);
    assert.match(refusal(point({ tags: { "": "x" } })), /tag key is empty/);
    assert.match(refusal(point({ fields: {} })), /at least one field/);
    assert.match(refusal(point({ tags: { "a\n": "1", "a\\n": "2" } })), /two tag keys/);
    assert.match(refusal(point({ tags: { big: "x".repeat(70_000) } })), /65535 bytes/);
  });

  describe("read back from a real influxd", function () {
    this.timeout(60_000);
    let influxd: InfluxdProcess;
    let database = 0;
    const freshDatabase = async () => {
      const name = `lp${++database}`;
      await influxd.query(`CREATE DATABASE ${name}`);
      return name;
    };

    before(async function () {
      influxd = await InfluxdProcess.start(requireExecutable(this, "influxd"));
    });
    after(async () => {
      await influxd?.dispose();
    });

    it("stores exactly the documented text for 300 points of random hostile tags, field keys and strings (property)", async () => {
      const db = await freshDatabase();
      const random = new SeededRandom("line-protocol-round-trip");
      const keys = new Set(["id", "note", "seq", "text"]);
      /** A key no other point uses, tag or field (SELECT * would rename a clash), and not refused. */
      const freshKey = (field: boolean): string => {
        for (;;) {
          const key = hostileText(random, { maxPieces: 6 });
          const stored = field ? storedName(key) : storedTag(key);
          if (keys.has(stored) || key === "time" || (field && /^[\t\0]/.test(key))) continue;
          keys.add(stored);
          return key;
        }
      };
      const points = Array.from({ length: 300 }, (_, i) => ({
        tagKey: freshKey(false), tagValue: hostileText(random), note: hostileText(random),
        fieldKey: freshKey(true), fieldValue: hostileText(random, { longChance: 0.05 }), text: hostileText(random, { longChance: 0.05 }), i,
      }));
      const lines = points.map((p) => encodeLine({
        measurement: "hostile",
        tags: { id: String(p.i), [p.tagKey]: p.tagValue, note: p.note },
        fields: { seq: float(p.i), [p.fieldKey]: text(p.fieldValue), text: text(p.text) },
        timestampMs: T + p.i,
      }));
      for (let i = 0; i < lines.length; i += 50) await influxd.write(lines.slice(i, i + 50).join("\n"), db);

      const [series] = await influxd.query('SELECT * FROM "hostile"', db);
      assert.equal(series.values.length, 300, "one row per point: no line was split or merged");
      const column = (name: string) => series.columns.indexOf(name);
      for (const row of series.values) {
        const p = points[Number(row[column("id")])];
        assert.equal(row[column("seq")], p.i);
        assert.equal(row[column("time")], T + p.i);
        assert.equal(row[column("text")], wellFormed(p.text), `string field of point ${p.i}`);
        assert.equal(row[column(storedName(p.fieldKey))], wellFormed(p.fieldValue), `hostile field of point ${p.i}`);
        assert.equal(row[column(storedTag(p.tagKey))], storedTag(p.tagValue), `hostile tag of point ${p.i}`);
        assert.equal(row[column("note")], storedTag(p.note), `note tag of point ${p.i}`);
      }
    });

    it("stores hostile measurement names as documented, and refuses only the ones 1.x would misread (property)", async () => {
      const db = await freshDatabase();
      const random = new SeededRandom("line-protocol-measurements");
      const names = new Map<string, string>(); // stored name -> original
      const lines: string[] = [];
      for (let i = 0; i < 200; i++) {
        const name = hostileText(random, { maxPieces: 8 });
        if (/^[#\t\0]/.test(name)) {
          assert.throws(() => encodeLine(point({ measurement: name })), PointRejected);
          continue;
        }
        names.set(storedName(name), name);
        lines.push(encodeLine(point({ measurement: name, timestampMs: T + i })));
      }
      assert.ok(names.size > 150, `most names are accepted: ${names.size}`);
      await influxd.write(lines.join("\n"), db);
      const [series] = await influxd.query("SHOW MEASUREMENTS", db);
      assert.deepEqual(series.values.map(([name]) => name).sort(), [...names.keys()].sort());
    });

    it("stores a series key just under 65,535 bytes and a 1 MB string field whole", async () => {
      const db = await freshDatabase();
      const tag = "t".repeat(65_535 - "m,k=".length - "#!~#v".length - 10);
      const long = "x\\\"\n".repeat(250_000);
      await influxd.write([
        encodeLine(point({ tags: { k: tag }, fields: { v: float(1) } })),
        encodeLine(point({ fields: { v: float(2), s: text(long) }, timestampMs: T + 1 })),
      ].join("\n"), db);
      const [series] = await influxd.query('SELECT "k", "v", "s" FROM "m"', db);
      assert.equal(series.values[0][1], tag);
      assert.equal(series.values[1][3], long);
    });
  });
});
