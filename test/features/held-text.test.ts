import assert from "node:assert/strict";
import { heldCopy } from "../../src/features/held-text";
import { heapKeptBy } from "../support/garbage-collector";

describe("heldCopy", () => {
  it("gives the text, or its head, exactly: lone surrogates, quotes and control characters too", () => {
    const text = 'root\ud800"\u0000<!channel>\udfff\n😀';
    assert.equal(heldCopy(text), text);
    assert.equal(heldCopy(text, 5), text.slice(0, 5));
    assert.equal(heldCopy("", 3), "");
  });

  it("keeps nothing of the text it was cut from alive", () => {
    const junk = "A".repeat(256 * 1024);
    const held: string[] = [];
    const kept = heapKeptBy(() => {
      for (let i = 0; i < 200; i++) held.push(heldCopy(`${i}${junk}`, 64), heldCopy(`${i}${junk}`.slice(0, 40)));
    });
    assert.equal(held.length, 400);
    assert.ok(kept < 5 * 1024 * 1024, `400 cuts kept ${(kept / 1024 / 1024).toFixed(1)} MB alive`);
  });
});
