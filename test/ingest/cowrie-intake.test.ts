import assert from "node:assert/strict";
import { CowrieIntake } from "../../src/ingest/cowrie-intake";
import { MAX_NESTING, parseCowrieLine } from "../../src/ingest/cowrie-line";

/** `depth` arrays inside one another under the event's `input`. */
const nested = (depth: number) => `{"eventid":"cowrie.command.input","src_ip":"203.0.113.7","input":${"[".repeat(depth)}${"]".repeat(depth)}}`;

describe("CowrieIntake", () => {
  it("rejects a line nested deeper than any Cowrie event, which later copies and JSON would overflow the stack on", () => {
    const parsed = parseCowrieLine(nested(100_000));
    assert.ok("reason" in parsed && parsed.reason === "nested-too-deep", JSON.stringify(parsed).slice(0, 200));
    // Node-RED clones a message for every extra wire; a line that passed would be lost on one of them.
    assert.ok("event" in parseCowrieLine(nested(MAX_NESTING - 2)));
  });

  it("rejects an object handed over already parsed (mqtt in, http in) the same way, and counts it", () => {
    const intake = new CowrieIntake(1024 * 1024);
    const deep = JSON.parse(nested(MAX_NESTING + 5)) as object;
    const [result] = intake.fromInput(deep);
    assert.ok("rejected" in result && result.rejected.reason === "nested-too-deep");
    assert.equal(intake.rejectedByReason["nested-too-deep"], 1);
    const [line] = intake.fromInput(nested(100_000));
    assert.ok("rejected" in line && line.rejected.reason === "nested-too-deep" && line.rejected.raw.length <= 1024);
    const [fine] = intake.fromInput({ eventid: "cowrie.client.kex", src_ip: "203.0.113.7", kexAlgs: ["curve25519-sha256"] });
    assert.ok("accepted" in fine);
  });

  it("reads the first event of a file saved with a UTF-8 byte order mark, as an editor or PowerShell writes one", () => {
    // JSON.parse refuses U+FEFF before the object: the file's first event was a malformed-json reject.
    const intake = new CowrieIntake(1024 * 1024);
    const line = '\uFEFF{"eventid":"cowrie.session.connect","src_ip":"203.0.113.7","timestamp":"2026-03-18T10:26:59.715732Z"}';
    const [record] = [intake.fromRecord({ kind: "line", text: line, origin: { file: "cowrie.json", offset: 0, line: 1 } })];
    assert.ok("accepted" in record && record.accepted.event.eventid === "cowrie.session.connect", JSON.stringify(record));
    const [input] = intake.fromInput(Buffer.from(line));
    assert.ok("accepted" in input);
    assert.equal(intake.rejected, 0);
  });
});
