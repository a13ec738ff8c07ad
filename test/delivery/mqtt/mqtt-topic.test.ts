import assert from "node:assert/strict";
import { SEVERITIES } from "../../../src/domain/severities";
import { ALERT_TYPES } from "../../../src/domain/alert-types";
import { ATTACK_TYPES } from "../../../src/domain/attack-types";
import { alertTopic, statusTopic, topicPrefixProblem, UNKNOWN_LEVEL } from "../../../src/delivery/mqtt/mqtt-topic";
import { SeededRandom } from "../../../src/stats/seeded-random";

const TYPE_LEVELS = new Set([...ALERT_TYPES.map((t) => t.replace("/", "-")), UNKNOWN_LEVEL]);
const SEVERITY_LEVELS = new Set<string>([...SEVERITIES, UNKNOWN_LEVEL]);

/** Strings an attacker could write: wildcards, separators, NUL, newlines, `$`, RTL overrides, surrogates, and near-misses of real types. */
function hostileString(random: SeededRandom): string {
  const pieces = ["+", "#", "/", "\u0000", "\n", "\r", "$SYS", " ", "\u202e", "\ud83d\ude00", "\ud800", "%2F", "..", "'", "\"", "<!channel>", "a", "Z", "9", "é"];
  const near = [...ALERT_TYPES, ...SEVERITIES];
  let text = random.chance(0.3) ? random.pick(near) : "";
  const length = random.integer(0, 12);
  for (let i = 0; i < length; i++) text = random.chance(0.5) ? text + random.pick(pieces) : random.pick(pieces) + text;
  return text;
}

function assertWellFormed(topic: string, prefix: string): string[] {
  assert.ok(!["+", "#", "\u0000"].some((c) => topic.includes(c)), `no wildcard or NUL in ${JSON.stringify(topic)}`);
  const levels = topic.split("/");
  assert.equal(levels.length, prefix.split("/").length + 3, `levels of ${JSON.stringify(topic)}`);
  assert.equal(levels.slice(0, -3).join("/"), prefix);
  assert.equal(levels[levels.length - 3], "alerts");
  return levels.slice(-2);
}

describe("MQTT alert topics", () => {
  it("builds <prefix>/alerts/<type>/<severity> for every type and severity", () => {
    assert.equal(alertTopic("honeyflow", "brute-force", "high"), "honeyflow/alerts/brute-force/high");
    assert.equal(alertTopic("site-1/honeyflow", "sensor-silence", "high"), "site-1/honeyflow/alerts/sensor-silence/high");
    assert.equal(alertTopic("honeyflow", "port-scan/tunnel", "medium"), "honeyflow/alerts/port-scan-tunnel/medium", "one type, one level");
    for (const type of ATTACK_TYPES) {
      for (const severity of SEVERITIES) assertWellFormed(alertTopic("honeyflow", type, severity), "honeyflow");
    }
    assert.equal(statusTopic("honeyflow"), "honeyflow/status");
  });

  it("maps anything outside the closed sets to unknown, whatever it holds (property)", () => {
    const random = new SeededRandom("mqtt-topic-hostile");
    const prefixes = ["honeyflow", "site-1/honeyflow", "ünïcödé/😀"];
    for (let i = 0; i < 5000; i++) {
      const type = hostileString(random);
      const severity = hostileString(random);
      const prefix = random.pick(prefixes);
      const topic = alertTopic(prefix, type, severity);
      const [typeLevel, severityLevel] = assertWellFormed(topic, prefix);
      assert.ok(TYPE_LEVELS.has(typeLevel), typeLevel);
      assert.ok(SEVERITY_LEVELS.has(severityLevel), severityLevel);
      const expectedType = ALERT_TYPES.includes(type) ? type.replace("/", "-") : UNKNOWN_LEVEL;
      const expectedSeverity = (SEVERITIES as readonly string[]).includes(severity) ? severity : UNKNOWN_LEVEL;
      assert.equal(topic, `${prefix}/alerts/${expectedType}/${expectedSeverity}`, JSON.stringify([type, severity]));
      // Text with any character that no valid level has never appears after the prefix.
      const levels = topic.slice(prefix.length);
      for (const text of [type, severity]) if (/[^a-z/-]/.test(text)) assert.ok(!levels.includes(text), JSON.stringify(text));
    }
    for (const notAString of [undefined, null, 42, { toString: () => "#" }, ["brute-force"]]) {
      assert.equal(alertTopic("honeyflow", notAString, notAString), "honeyflow/alerts/unknown/unknown");
    }
  });

  it("refuses prefixes with wildcards, NUL, control characters, empty levels or a leading $", () => {
    for (const bad of ["", "a/+", "#", "a/#", "+/x", "a//b", "/a", "a/", "/", "a\u0000b", "a\nb", "\u0085", "$SYS", "$share/x", "x\ud800", "x".repeat(1025)]) {
      assert.ok(topicPrefixProblem(bad), `refused: ${JSON.stringify(bad)}`);
      assert.throws(() => alertTopic(bad, "brute-force", "high"), RangeError);
    }
    for (const good of ["honeyflow", "site-1/honeyflow", "a b", "ünïcödé/😀", "x$"]) assert.equal(topicPrefixProblem(good), undefined, good);
  });

  it("gives a well-formed topic for every prefix it accepts (property)", () => {
    const random = new SeededRandom("mqtt-topic-prefix");
    let accepted = 0;
    for (let i = 0; i < 5000; i++) {
      const prefix = hostileString(random);
      if (topicPrefixProblem(prefix)) continue;
      accepted += 1;
      assertWellFormed(alertTopic(prefix, random.pick(ATTACK_TYPES), random.pick(SEVERITIES)), prefix);
    }
    assert.ok(accepted > 100, `enough accepted prefixes to mean something: ${accepted}`);
  });
});
