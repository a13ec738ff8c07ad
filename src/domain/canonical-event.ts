/**
 * The one shape every Cowrie version's events are normalised to by `clean`, and what every
 * later stage reads. Field names follow Cowrie's own (snake_case) so analysts recognise them.
 *
 * Fields an event's eventid does not carry are absent. A categorical field the eventid should
 * carry but the sensor did not write is "unknown"; numbers are never invented.
 */

export type EventCategory = "connect" | "auth" | "command" | "file" | "client" | "tunnel" | "session" | "other";

/**
 * The event times `clean` lets through, and so every later stage can trust: years 0000 to 9999,
 * the range of the `YYYY-MM-DDTHH:MM:SS.ffffffZ` form Cowrie writes. A time past it (an `epoch`
 * of 1e20 from a hostile line) would make a Date throw a RangeError, and windows and scores
 * computed around a time near a Date's own limit (ECMA-262 21.4.1.1) could step past it.
 */
export const EVENT_TIME_RANGE_MS = { from: Date.parse("0000-01-01T00:00:00Z"), before: Date.parse("+010000-01-01T00:00:00Z") } as const;

/**
 * A step between a stream's consecutive events, either way, longer than a sensor is plausibly down:
 * a sensor clock that restarted at 1970 (a Raspberry Pi without a real-time clock, before NTP), a
 * stamp a year ahead, or logs months apart read as one. drill and eval warn of it; the typed
 * watches' baselines move their clock across it only once the next event steps as far too, and
 * count it as no time seen; window features start again after two events that far behind.
 */
export const IMPLAUSIBLE_CLOCK_JUMP_MS = 30 * 86_400_000;

/**
 * No session lasts longer than the event times clean accepts span. A longer one (1e200 s) is no
 * duration, and averaged into session_duration it is past what pca takes, which throws.
 */
export const LONGEST_DURATION_MS = EVENT_TIME_RANGE_MS.before - EVENT_TIME_RANGE_MS.from;

export interface CanonicalEvent {
  /** Event time, epoch milliseconds UTC (fractional: Cowrie writes microseconds), within EVENT_TIME_RANGE_MS. */
  time_ms: number;
  /** Event time as ISO-8601 UTC, e.g. 2026-03-18T10:26:59.715Z. */
  time: string;
  eventid: string;
  category: EventCategory;
  sensor: string;
  session: string;
  src_ip: string;
  /** RFC 1918, loopback, link-local, CGNAT 100.64/10, IPv6 ULA or link-local. */
  is_internal_ip: boolean;
  protocol: string;
  uuid?: string;
  src_port?: number;
  dst_ip?: string;
  dst_port?: number;
  username?: string;
  password?: string;
  /** SSH public-key fingerprint of a key-based login attempt. */
  key_fingerprint?: string;
  /** command.input / command.failed */
  input?: string;
  /** session.file_download(.failed) / file_upload */
  url?: string;
  shasum?: string;
  client_version?: string;
  hassh?: string;
  /** session.closed, from float `duration` (seconds), string `duration` (2.x SSH) or `duration_ms` (3.0.4+); at most LONGEST_DURATION_MS. */
  duration_ms?: number;
}
