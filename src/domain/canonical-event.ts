/**
 * The one shape every Cowrie version's events are normalised to by `clean`, and what every
 * later stage reads. Field names follow Cowrie's own (snake_case) so analysts recognise them.
 *
 * Fields an event's eventid does not carry are absent. A categorical field the eventid should
 * carry but the sensor did not write is "unknown"; numbers are never invented.
 */

export type EventCategory = "connect" | "auth" | "command" | "file" | "client" | "tunnel" | "session" | "other";

export interface CanonicalEvent {
  /** Event time, epoch milliseconds UTC (fractional: Cowrie writes microseconds). */
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
  /** session.closed, from float `duration` (seconds), string `duration` (2.x SSH) or `duration_ms` (3.0.4+). */
  duration_ms?: number;
}
