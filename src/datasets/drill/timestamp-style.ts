/**
 * How one Cowrie log writes its timestamps, so that events drilled into it read like its own:
 * the date-time separator, the digits of the fraction, and the zone, which is `Z` under UTC and
 * an offset such as `+0200` otherwise (it changes when the sensor's clock enters or leaves
 * daylight saving time).
 *
 *     const style = new TimestampStyleReader();
 *     style.observe("2020-05-19T19:07:34.138606+0200");
 *     formatTimestamp(1589908054138606, style.style());  // "2020-05-19T19:07:34.138606+0200"
 */
import { cowrieTimestampToEpochMs } from "../../ingest/cowrie-timestamp";

export interface TimestampStyle {
  readonly separator: "T" | " ";
  /** 0 when the log writes whole seconds. */
  readonly fractionDigits: number;
  /** The zones the log uses, in time order, each from the first event written in it. */
  readonly zones: readonly TimestampZone[];
}

export interface TimestampZone {
  readonly fromMs: number;
  /** As the log writes it: `Z`, `+0200`, `-05:00`, or "" when it writes none. */
  readonly text: string;
  readonly offsetMinutes: number;
}

/** Cowrie 2.x under UTC, which the log generator writes. */
export const COWRIE_UTC_TIMESTAMPS: TimestampStyle = { separator: "T", fractionDigits: 6, zones: [{ fromMs: -Infinity, text: "Z", offsetMinutes: 0 }] };

const TIMESTAMP_PARTS = /^\d{4}-\d{2}-\d{2}([T ])\d{2}:\d{2}:\d{2}(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?$/;

/** Learns a log's timestamp style from its timestamps, read in order. */
export class TimestampStyleReader {
  private separator: "T" | " " | undefined;
  private fractionDigits = 0;
  private readonly zones: TimestampZone[] = [];

  observe(timestamp: string): void {
    const parts = TIMESTAMP_PARTS.exec(timestamp);
    const ms = parts ? cowrieTimestampToEpochMs(timestamp) : undefined;
    if (!parts || ms === undefined) return;
    const [, separator, fraction, zone = ""] = parts;
    if (this.separator === undefined) {
      this.separator = separator as "T" | " ";
      this.fractionDigits = fraction?.length ?? 0;
    }
    if (this.zones.length === 0 || this.zones[this.zones.length - 1].text !== zone) {
      this.zones.push({ fromMs: this.zones.length === 0 ? -Infinity : ms, text: zone, offsetMinutes: offsetMinutesOf(zone) });
    }
  }

  /** The style seen; Cowrie's UTC style when no timestamp could be read. */
  style(): TimestampStyle {
    if (this.separator === undefined) return COWRIE_UTC_TIMESTAMPS;
    return { separator: this.separator, fractionDigits: this.fractionDigits, zones: this.zones };
  }
}

/** The instant `epochUs` (whole microseconds) written as a log of this style writes it. */
export function formatTimestamp(epochUs: number, style: TimestampStyle): string {
  const zone = zoneAt(epochUs / 1000, style.zones);
  const localUs = epochUs + zone.offsetMinutes * 60_000_000;
  const wholeSeconds = Math.floor(localUs / 1_000_000);
  const micros = localUs - wholeSeconds * 1_000_000;
  const iso = new Date(wholeSeconds * 1000).toISOString(); // 2026-03-18T10:26:59.000Z
  const fraction = style.fractionDigits === 0 ? "" : `.${fractionOf(micros, style.fractionDigits)}`;
  return `${iso.slice(0, 10)}${style.separator}${iso.slice(11, 19)}${fraction}${zone.text}`;
}

/** Microseconds as `digits` fraction digits: truncated below, zero-padded beyond six. */
function fractionOf(micros: number, digits: number): string {
  const six = String(micros).padStart(6, "0");
  return digits <= 6 ? six.slice(0, digits) : six.padEnd(digits, "0");
}

function zoneAt(epochMs: number, zones: readonly TimestampZone[]): TimestampZone {
  let zone = zones[0];
  for (const candidate of zones) {
    if (candidate.fromMs > epochMs) break;
    zone = candidate;
  }
  return zone;
}

function offsetMinutesOf(zone: string): number {
  if (zone === "" || zone === "Z") return 0;
  const sign = zone[0] === "-" ? -1 : 1;
  const digits = zone.slice(1).replace(":", "");
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2)));
}
