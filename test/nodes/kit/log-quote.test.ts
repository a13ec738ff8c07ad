import assert from "node:assert/strict";
import { logQuote } from "../../../nodes/kit/log-quote";

describe("logQuote", () => {
  it("gives back a short value as a JSON string", () => {
    assert.equal(logQuote("not-an-ip"), '"not-an-ip"');
    assert.equal(JSON.parse(logQuote('say "hi"\\')), 'say "hi"\\');
  });

  it("escapes every character a terminal or a log viewer acts on, JSON's own controls and the ones JSON leaves alone", () => {
    const unsafe = ["\n", "\r", "\u0000", "\u001b", "\u007f", "\u0085", "\u009b", "\u2028", "\u2029", "\u200e", "\u200f", "\u202a", "\u202e", "\u2066", "\u2069"];
    for (const c of unsafe) {
      const quoted = logQuote(`a${c}b`);
      // eslint-disable-next-line no-control-regex
      assert.doesNotMatch(quoted, /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/, `U+${c.charCodeAt(0).toString(16)}`);
      assert.equal(JSON.parse(quoted), `a${c}b`, "the escape reads back as the character");
    }
  });

  it("cuts a long value and says how long it was", () => {
    const quoted = logQuote("A".repeat(1_000_000), 8);
    assert.equal(quoted, '"AAAAAAAA"... (1000000 characters)');
  });
});
