/**
 * Where lines become events: a split line, a line posted on a node's input, or an object
 * that a tcp/mqtt/http node already parsed all come out the same way, and every line that
 * is not an event comes out as a reject with a machine-readable reason. Nothing is dropped
 * silently, so `accepted + rejected` always equals what came in.
 */
import { CowrieEvent, cowrieEventOf, MAX_NESTING, parseCowrieLine, RejectReason, tooDeep } from "./cowrie-line";
import { LineOrigin, SplitRecord } from "./line-splitter";

export interface AcceptedEvent {
  event: CowrieEvent;
  origin?: LineOrigin;
}

export interface RejectedLine {
  reason: RejectReason;
  detail: string;
  /** The raw line, or for a line over the limit the first KiB of it. */
  raw: string;
  bytes: number;
  origin?: LineOrigin;
}

export type IntakeResult = { accepted: AcceptedEvent } | { rejected: RejectedLine };

export class CowrieIntake {
  accepted = 0;
  readonly rejectedByReason: Record<RejectReason, number> = { "malformed-json": 0, "not-an-object": 0, "line-too-long": 0, "nested-too-deep": 0 };

  constructor(private readonly maxLineBytes: number) {}

  get rejected(): number {
    return Object.values(this.rejectedByReason).reduce((sum, n) => sum + n, 0);
  }

  fromRecord(record: SplitRecord): IntakeResult {
    if (record.kind === "oversize") {
      return this.reject({
        reason: "line-too-long",
        detail: `line of ${record.bytes} bytes exceeds the limit of ${this.maxLineBytes}`,
        raw: record.excerpt,
        bytes: record.bytes,
        origin: record.origin,
      });
    }
    return this.fromLine(record.text, record.origin);
  }

  /** A node's input: a line or several (string or Buffer), or an already parsed event object. */
  fromInput(payload: unknown): IntakeResult[] {
    if (Buffer.isBuffer(payload)) payload = payload.toString("utf8");
    if (typeof payload === "string") {
      const lines = payload.split("\n").filter((line) => line.trim() !== "");
      if (lines.length === 0) {
        return [this.reject({ reason: "malformed-json", detail: "empty payload", raw: payload, bytes: Buffer.byteLength(payload) })];
      }
      return lines.map((line) => this.fromLine(line.replace(/\r$/, "")));
    }
    if (payload !== null && typeof payload === "object" && !Array.isArray(payload)) {
      if (tooDeep(payload)) return [this.reject({ reason: "nested-too-deep", detail: `nested deeper than ${MAX_NESTING} levels`, raw: "", bytes: 0 })];
      this.accepted += 1;
      return [{ accepted: { event: cowrieEventOf(payload as CowrieEvent) } }];
    }
    const raw = payload === undefined ? "undefined" : JSON.stringify(payload);
    return [this.reject({ reason: "not-an-object", detail: `payload is ${describe(payload)}`, raw, bytes: Buffer.byteLength(raw) })];
  }

  private fromLine(text: string, origin?: LineOrigin): IntakeResult {
    const bytes = Buffer.byteLength(text);
    if (bytes > this.maxLineBytes) {
      return this.reject({
        reason: "line-too-long",
        detail: `line of ${bytes} bytes exceeds the limit of ${this.maxLineBytes}`,
        raw: text.slice(0, 1024),
        bytes,
        origin,
      });
    }
    const parsed = parseCowrieLine(text);
    // The raw text of a reject goes out in a message too: a deep one only as its head.
    if ("reason" in parsed) return this.reject({ ...parsed, raw: parsed.reason === "nested-too-deep" ? text.slice(0, 1024) : text, bytes, origin });
    this.accepted += 1;
    return { accepted: { event: parsed.event, origin } };
  }

  private reject(rejected: RejectedLine): IntakeResult {
    this.rejectedByReason[rejected.reason] += 1;
    return { rejected };
  }
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return `a ${typeof value}`;
}
