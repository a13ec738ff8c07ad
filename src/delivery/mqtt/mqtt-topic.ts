/**
 * MQTT topics for alerts: `<prefix>/alerts/<type>/<severity>` and `<prefix>/status`.
 *
 * A topic is built only from the user's validated prefix and two closed sets - the attack types
 * (plus `sensor-silence`) and the severities - so nothing an attacker wrote can reach a topic:
 * a `+`, `#` or `/` in a topic would let an attacker's text land on (or hide from) other
 * subscriptions. A type or severity outside its set becomes `unknown`.
 *
 * ```ts
 * assert.equal(alertTopic("honeyflow", "brute-force", "high"), "honeyflow/alerts/brute-force/high");
 * assert.equal(alertTopic("honeyflow", "port-scan/tunnel", "medium"), "honeyflow/alerts/port-scan-tunnel/medium");
 * ```
 */
import { ALERT_TYPES } from "../../domain/alert-types";
import { SEVERITIES } from "../../domain/severities";

export const UNKNOWN_LEVEL = "unknown";
export const DEFAULT_TOPIC_PREFIX = "honeyflow";

// MQTT 3.1.1 section 4.7.3: a topic is at most 65,535 bytes of UTF-8; the prefix is kept far
// below that so that whole topics always fit.
const MAX_PREFIX_BYTES = 1024;
// Wildcards, NUL (forbidden by the spec), other control characters ("SHOULD NOT" in the spec,
// and unreadable in a broker's ACL file) and unpaired surrogates (not encodable as UTF-8).
// eslint-disable-next-line no-control-regex
const FORBIDDEN_IN_PREFIX = /[+#\u0000-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why `prefix` cannot start a topic, or undefined when it can. */
export function topicPrefixProblem(prefix: string): string | undefined {
  if (prefix.length === 0) return "the topic prefix is empty";
  if (FORBIDDEN_IN_PREFIX.test(prefix)) return "the topic prefix must not contain +, #, NUL or control characters";
  if (prefix.split("/").some((level) => level === "")) return "the topic prefix must not have empty levels (no leading, trailing or double /)";
  if (prefix.startsWith("$")) return "topics starting with $ are reserved for the broker";
  if (Buffer.byteLength(prefix, "utf8") > MAX_PREFIX_BYTES) return `the topic prefix is longer than ${MAX_PREFIX_BYTES} bytes`;
  return undefined;
}

/** `<prefix>/alerts/<type>/<severity>`; throws a RangeError for an invalid prefix. */
export function alertTopic(prefix: string, type: unknown, severity: unknown): string {
  return `${checkedPrefix(prefix)}/alerts/${typeLevel(type)}/${closedLevel(severity, SEVERITIES)}`;
}

/** `<prefix>/status`, where the broker connection's retained online/offline state lives. */
export function statusTopic(prefix: string): string {
  return `${checkedPrefix(prefix)}/status`;
}

function checkedPrefix(prefix: string): string {
  const problem = topicPrefixProblem(prefix);
  if (problem) throw new RangeError(problem);
  return prefix;
}

/** `port-scan/tunnel` is one type but would be two topic levels; it is spelt `port-scan-tunnel`. */
function typeLevel(type: unknown): string {
  return closedLevel(type, ALERT_TYPES).replace("/", "-");
}

function closedLevel(value: unknown, allowed: readonly string[]): string {
  return typeof value === "string" && allowed.includes(value) ? value : UNKNOWN_LEVEL;
}
