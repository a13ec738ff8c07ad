/**
 * Names the kind of attack from the features that made an event anomalous, so an analyst
 * reads "brute-force" rather than a list of numbers. The rules follow what each attack does
 * to Honeyflow's window features; when none applies the anomaly is "unusual-behaviour".
 *
 * ```ts
 * assert.equal(attackTypeOf(["failed_logins_30s", "unique_usernames_1m"]), "brute-force");
 * ```
 */
import type { AttackType } from "../domain/attack-types";

/** Checked in order against the most outlying feature first, then the next. */
const RULES: Array<[RegExp, AttackType]> = [
  [/download|upload/, "malware-drop"],
  [/tunnel|dst_port|unique_ports|port_entropy/, "port-scan/tunnel"],
  [/events_per_min|new_ips|distinct_ips|new_source_ips|distinct_source_ips/, "traffic-spike"],
  // Leaked credentials: names no wordlist has, a few tries per address.
  [/success|rare_usernames/, "credential-stuffing"],
  [/failed|unique_usernames|unique_passwords|failed_success/, "brute-force"],
  [/command|session_duration/, "unusual-behaviour"],
];

export function attackTypeOf(topFeatureNames: readonly string[]): AttackType {
  for (const name of topFeatureNames) {
    for (const [pattern, type] of RULES) if (pattern.test(name)) return type;
  }
  return "unusual-behaviour";
}
