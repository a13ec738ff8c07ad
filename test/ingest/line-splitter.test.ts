import assert from "node:assert/strict";
import { LineSplitter, SplitRecord } from "../../src/ingest/line-splitter";

function split(splitter: LineSplitter, ...chunks: string[]): SplitRecord[] {
  const records: SplitRecord[] = [];
  for (const chunk of chunks) splitter.push(Buffer.from(chunk), (r) => records.push(r));
  return records;
}

describe("LineSplitter", () => {
  it("emits complete lines with their byte offset and line number", () => {
    const splitter = new LineSplitter(1024);
    splitter.beginSource("a.json", 100, 7);
    const records = split(splitter, '{"x":1}\n{"y":22}\n');
    assert.deepEqual(records, [
      { kind: "line", text: '{"x":1}', origin: { file: "a.json", offset: 100, line: 7 } },
      { kind: "line", text: '{"y":22}', origin: { file: "a.json", offset: 108, line: 8 } },
    ]);
    assert.deepEqual(splitter.committed, { file: "a.json", offset: 117, line: 9 });
  });

  it("holds a partial line until its newline arrives, and commits only up to its start", () => {
    const splitter = new LineSplitter(1024);
    splitter.beginSource("a.json", 0, 1);
    assert.equal(split(splitter, '{"x":1}\n{"y"').length, 1);
    assert.equal(splitter.holdingPartialLine, true);
    assert.deepEqual(splitter.committed, { file: "a.json", offset: 8, line: 2 });
    const rest = split(splitter, ":2}\n");
    assert.deepEqual(rest, [{ kind: "line", text: '{"y":2}', origin: { file: "a.json", offset: 8, line: 2 } }]);
  });

  it("joins a line split across two files and reports where it began", () => {
    const splitter = new LineSplitter(1024);
    splitter.beginSource("cowrie.json", 0, 1);
    split(splitter, '{"a":1}\n{"b":');
    splitter.beginSource("cowrie.json.new", 0, 1);
    assert.deepEqual(splitter.committed, { file: "cowrie.json", offset: 8, line: 2 });
    const records = split(splitter, '2}\n{"c":3}\n');
    assert.deepEqual(records.map((r) => r.kind === "line" && r.text), ['{"b":2}', '{"c":3}']);
    assert.deepEqual(records[1].origin, { file: "cowrie.json.new", offset: 3, line: 2 });
  });

  it("ends a source's unterminated last line as a line of its own, counting it", () => {
    const splitter = new LineSplitter(1024);
    splitter.beginSource("cowrie.json.1", 0, 1);
    const records = split(splitter, '{"a":1}\n{"b":2}');
    splitter.endSource((r) => records.push(r));
    assert.deepEqual(records.map((r) => r.kind === "line" && r.text), ['{"a":1}', '{"b":2}']);
    assert.deepEqual(splitter.committed, { file: "cowrie.json.1", offset: 15, line: 3 });
    splitter.endSource((r) => records.push(r));
    assert.equal(records.length, 2, "a source ended twice gives nothing more");
  });

  it("drops CRLF's carriage return and skips blank lines", () => {
    const splitter = new LineSplitter(1024);
    const records = split(splitter, '{"a":1}\r\n\n\r\n{"b":2}\n');
    assert.deepEqual(records.map((r) => r.kind === "line" && r.text), ['{"a":1}', '{"b":2}']);
  });

  it("reports an oversize line once, with its size and an excerpt, without buffering it", () => {
    const splitter = new LineSplitter(64);
    const junk = "A".repeat(50);
    const records = split(splitter, '{"ok":1}\n{"input":"', junk, junk, junk, '"}\n{"ok":2}\n');
    assert.equal(records.length, 3);
    const oversize = records[1];
    assert.equal(oversize.kind, "oversize");
    if (oversize.kind === "oversize") {
      assert.equal(oversize.bytes, 10 + 150 + 2);
      assert.ok(oversize.excerpt.startsWith('{"input":"AAAA'));
      assert.deepEqual(oversize.origin, { file: "", offset: 9, line: 2 });
    }
    assert.deepEqual(records[2], { kind: "line", text: '{"ok":2}', origin: { file: "", offset: 9 + 163, line: 3 } });
  });

  it("accepts a line of exactly the limit", () => {
    const splitter = new LineSplitter(8);
    const records = split(splitter, "12345678\n123456789\n");
    assert.deepEqual(records.map((r) => r.kind), ["line", "oversize"]);
  });
});
