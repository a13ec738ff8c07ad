/**
 * The type each field was first written with, per measurement, so that a field never changes type.
 *
 * InfluxDB 1.x refuses a point whose field has another type than the one already stored in the
 * shard ("field type conflict"), and a JS number does not say whether it means 1 or 1.0: a score
 * that is 1 on one event and 0.93 on the next must not become an integer first. So:
 * - every number is a float, unless its field name is listed as an integer field (then it is
 *   rounded and written with the `i` suffix);
 * - booleans and strings are themselves;
 * - once a (measurement, field) has a type, a later number is written in that type when that loses
 *   nothing (any number as a float, a whole number as an integer); anything else is refused with a
 *   reason instead of being sent to fail in InfluxDB.
 *
 * ```ts
 * import { PointRejected } from "./line-protocol";
 * const types = new FieldTypes({ integerFields: ["count"] });
 * const fields = types.typed("auth", { count: 3, score: 1 });
 * assert.deepEqual(fields, { count: { type: "integer", value: 3 }, score: { type: "float", value: 1 } });
 * types.remember("auth", fields);                                   // once the point is accepted
 * assert.throws(() => types.typed("auth", { score: "high" }), PointRejected);
 * ```
 *
 * The map holds what this writer sent, not what others wrote into the database; it is saved with
 * the spool (`toJSON`) and bounded: past `capacity` pairs the oldest is forgotten.
 */
import { FieldType, PointRejected, TypedValue } from "./line-protocol";

export interface FieldTypesState {
  version: 1;
  /** [measurement, field, type], oldest first. */
  types: Array<[string, string, FieldType]>;
}

export interface FieldTypesOptions {
  /** Field names whose numbers are written as integers. */
  integerFields?: Iterable<string>;
  /** (measurement, field) pairs remembered; default 100,000. */
  capacity?: number;
  saved?: FieldTypesState;
}

const FIELD_TYPES: readonly FieldType[] = ["float", "integer", "boolean", "string"];

export function isFieldTypesState(value: unknown): value is FieldTypesState {
  const state = value as FieldTypesState;
  return typeof state === "object" && state !== null && state.version === 1 && Array.isArray(state.types)
    && state.types.every((t) => Array.isArray(t) && typeof t[0] === "string" && typeof t[1] === "string" && FIELD_TYPES.includes(t[2]));
}

export class FieldTypes {
  private readonly integerFields: ReadonlySet<string>;
  private readonly capacity: number;
  /** JSON.stringify([measurement, field]) -> type: names may hold any character, so no separator is safe. */
  private readonly types = new Map<string, FieldType>();
  private version = 0;

  constructor(options: FieldTypesOptions = {}) {
    this.integerFields = new Set(options.integerFields ?? []);
    this.capacity = options.capacity ?? 100_000;
    for (const [measurement, field, type] of options.saved?.types ?? []) this.types.set(JSON.stringify([measurement, field]), type);
  }

  /** Grows each time a new pair is remembered: the owner saves when it has moved. */
  get changes(): number {
    return this.version;
  }

  get size(): number {
    return this.types.size;
  }

  /** The typed fields of a point, without remembering anything yet. Null and undefined fields are left out. */
  typed(measurement: string, fields: Record<string, unknown>): Record<string, TypedValue> {
    // Built with fromEntries: an assignment to a field named "__proto__" would set the prototype instead.
    return Object.fromEntries(Object.entries(fields)
      .filter(([, value]) => value !== null && value !== undefined)
      .map(([field, value]) => [field, this.typedValue(measurement, field, value)]));
  }

  /** Remembers the types of a point that was accepted. */
  remember(measurement: string, fields: Record<string, TypedValue>): void {
    for (const [field, { type }] of Object.entries(fields)) {
      const key = JSON.stringify([measurement, field]);
      if (this.types.has(key)) continue;
      this.types.set(key, type);
      this.version += 1;
      if (this.types.size > this.capacity) this.types.delete(this.types.keys().next().value as string);
    }
  }

  toJSON(): FieldTypesState {
    return { version: 1, types: [...this.types].map(([key, type]) => [...(JSON.parse(key) as [string, string]), type]) };
  }

  private typedValue(measurement: string, field: string, value: unknown): TypedValue {
    const known = this.types.get(JSON.stringify([measurement, field]));
    const where = `field ${JSON.stringify(field)} of ${JSON.stringify(measurement)}`;
    if (typeof value === "number") {
      const wanted = this.integerFields.has(field) ? "integer" : "float";
      if (known === undefined || known === "float") return { type: known ?? wanted, value };
      if (known === "integer" && (wanted === "integer" || Number.isInteger(value))) return { type: "integer", value };
      throw new PointRejected(`${where} was first written as ${known === "integer" ? "an integer" : `a ${known}`}; ${value} would conflict`);
    }
    if (typeof value === "boolean" || typeof value === "string") {
      const type = typeof value === "boolean" ? "boolean" : "string";
      if (known !== undefined && known !== type) {
        throw new PointRejected(`${where} was first written as ${known === "integer" ? "an integer" : `a ${known}`}; a ${type} would conflict`);
      }
      return type === "boolean" ? { type, value: value as boolean } : { type, value: value as string };
    }
    const kind = Array.isArray(value) ? "an array" : typeof value === "object" ? "an object" : `a ${typeof value}`;
    throw new PointRejected(`${where} is ${kind}: a field must be a number, boolean or string`);
  }
}
