import assert from "node:assert/strict";
import { FieldTypes, isFieldTypesState } from "../../../src/delivery/influx/field-types";
import { PointRejected } from "../../../src/delivery/influx/line-protocol";

/** Types a point's fields and, as the writer does once a point is accepted, remembers them. */
function write(types: FieldTypes, measurement: string, fields: Record<string, unknown>) {
  const typed = types.typed(measurement, fields);
  types.remember(measurement, typed);
  return typed;
}

describe("FieldTypes", () => {
  it("writes every number as a float unless its field is listed as integer, so 1 then 1.5 never conflicts", () => {
    const types = new FieldTypes({ integerFields: ["count"] });
    assert.deepEqual(write(types, "m", { score: 1, count: 3 }), { score: { type: "float", value: 1 }, count: { type: "integer", value: 3 } });
    assert.deepEqual(write(types, "m", { score: 1.5, count: 4.4 }), { score: { type: "float", value: 1.5 }, count: { type: "integer", value: 4.4 } });
    assert.deepEqual(write(types, "m", { flag: true, user: "root" }), { flag: { type: "boolean", value: true }, user: { type: "string", value: "root" } });
  });

  it("keeps the type a field was first written with, coercing only what loses nothing", () => {
    const saved = new FieldTypes();
    write(saved, "m", { ratio: 1, n: "x" });
    // Later "ratio" is listed as an integer field: it stays the float it already is.
    const types = new FieldTypes({ integerFields: ["ratio"], saved: saved.toJSON() });
    assert.deepEqual(types.typed("m", { ratio: 2 }), { ratio: { type: "float", value: 2 } });
    // An integer field no longer listed takes whole numbers, and refuses fractions.
    const counts = new FieldTypes({ saved: { version: 1, types: [["m", "count", "integer"]] } });
    assert.deepEqual(counts.typed("m", { count: 7 }), { count: { type: "integer", value: 7 } });
    assert.throws(() => counts.typed("m", { count: 7.5 }), /field "count" of "m" was first written as an integer; 7.5 would conflict/);
    assert.throws(() => types.typed("m", { n: 5 }), /field "n" of "m" was first written as a string; 5 would conflict/);
    assert.throws(() => types.typed("m", { ratio: "high" }), /was first written as a float; a string would conflict/);
    assert.throws(() => types.typed("m", { ratio: false }), PointRejected);
    assert.deepEqual(types.typed("other", { n: 5 }), { n: { type: "float", value: 5 } }, "types are per measurement");
  });

  it("remembers nothing for a point that was refused", () => {
    const types = new FieldTypes();
    assert.throws(() => types.typed("m", { a: 1, b: { nested: true } }), /field "b" of "m" is an object/);
    assert.throws(() => types.typed("m", { a: 1, b: [1] }), /is an array/);
    assert.equal(types.size, 0);
    assert.equal(types.changes, 0);
  });

  it("leaves out null and undefined fields", () => {
    assert.deepEqual(new FieldTypes().typed("m", { a: null, b: undefined, c: 0 }), { c: { type: "float", value: 0 } });
  });

  it("survives a save and load, whatever the names hold, and refuses a file that is not its own", () => {
    const types = new FieldTypes();
    write(types, 'm,"x"\n', { '["a","b"]': 1, "\0": "s" });
    const loaded = new FieldTypes({ saved: JSON.parse(JSON.stringify(types.toJSON())) });
    assert.deepEqual(loaded.toJSON(), types.toJSON());
    assert.throws(() => loaded.typed('m,"x"\n', { '["a","b"]': "text" }), /first written as a float/);
    assert.equal(isFieldTypesState({ version: 1, types: [["m", "f", "float"]] }), true);
    assert.equal(isFieldTypesState({ version: 1, types: [["m", "f", "decimal"]] }), false);
    assert.equal(isFieldTypesState({ position: 12 }), false);
  });

  it("is bounded: past its capacity it forgets the oldest pair", () => {
    const types = new FieldTypes({ capacity: 3 });
    for (const field of ["a", "b", "c", "d"]) write(types, "m", { [field]: 1 });
    assert.equal(types.size, 3);
    assert.deepEqual(types.typed("m", { a: "now a string" }), { a: { type: "string", value: "now a string" } }, "a was forgotten");
    assert.throws(() => types.typed("m", { d: "text" }), PointRejected);
  });
});
