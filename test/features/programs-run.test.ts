import assert from "node:assert/strict";
import { ProgramsRun } from "../../src/features/programs-run";

describe("ProgramsRun", () => {
  it("makes a program the sensor's own once run 3 times by 2 sources, never by one source however often", () => {
    const programs = new ProgramsRun(3, 2);
    const runs = [["nmap", "192.0.2.1"], ["nmap", "192.0.2.1"], ["nmap", "192.0.2.1"], ["nmap", "192.0.2.1"], ["nmap", "198.51.100.2"], ["nmap", "203.0.113.3"]];
    assert.deepEqual(runs.map(([program, source]) => programs.observe(program, source)), [false, false, false, false, false, true]);
    const few = new ProgramsRun(3, 2);
    assert.deepEqual([["ls", "192.0.2.1"], ["ls", "198.51.100.2"], ["ls", "192.0.2.1"]].map(([program, source]) => few.observe(program, source)), [false, false, false]);
    assert.equal(few.isFamiliar("ls"), true, "three runs, two sources");
    assert.equal(programs.sightings, 6, "every run counts as a sighting");
  });

  it("says whether a program is familiar without counting a run", () => {
    const programs = new ProgramsRun(2, 2);
    programs.observe("uname", "192.0.2.1");
    assert.equal(programs.isFamiliar("uname"), false);
    assert.equal(programs.isFamiliar("uname"), false, "looking twice is no second run");
    programs.observe("uname", "198.51.100.2");
    assert.equal(programs.isFamiliar("uname"), true);
    assert.equal(programs.isFamiliar("never run"), false);
    assert.equal(programs.sightings, 2);
  });

  it("forgets the least recently run program when full, so it is rare again", () => {
    const programs = new ProgramsRun(2, 2, 2);
    programs.observe("a", "192.0.2.1");
    programs.observe("b", "192.0.2.1");
    programs.observe("a", "192.0.2.2");
    programs.observe("c", "192.0.2.1");
    assert.equal(programs.size, 2);
    assert.equal(programs.isFamiliar("a"), true);
    programs.observe("b", "192.0.2.3");
    assert.equal(programs.isFamiliar("b"), false, "forgotten: run once since");
  });

  it("keys a megabyte program and source by their heads, so memory stays bounded", () => {
    const programs = new ProgramsRun(2, 1, 10, 16);
    programs.observe("x".repeat(1_000_000), "y".repeat(1_000_000));
    programs.observe(`${"x".repeat(16)}other tail`, `${"y".repeat(16)}other tail`);
    assert.equal(programs.isFamiliar("x".repeat(16)), true, "the same program, run twice");
    assert.equal(programs.size, 1);
  });
});
