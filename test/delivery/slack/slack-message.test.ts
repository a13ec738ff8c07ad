import assert from "node:assert/strict";
import { SLACK_LIMITS, slackLine, slackMessage, type SlackAlert } from "../../../src/delivery/slack/slack-message";

const alert = (overrides: Partial<SlackAlert> = {}): SlackAlert => ({
  schema: 2, id: "0123456789abcdef0123", src_ip: "203.0.113.7", type: "brute-force", severity: "high", score: 0.9991,
  count: 540, first_seen: "2026-03-18T10:00:00.000Z", last_seen: "2026-03-18T10:00:30.000Z", sensor: "sensor-1",
  top_features: [{ name: "failed_logins_30s", value: 540, usual: [0, 3], outlyingness: 9 }, { name: "unique_usernames_30s", value: 212, outlyingness: 7 }],
  summary: "203.0.113.7: brute-force, 540 anomalous events in 30 s; failed_logins_30s=540 (usual 0-3)", ...overrides,
});

const TEN_MB = "<!channel> *x* ".repeat(Math.ceil((10 * 1024 * 1024) / 15));
const HOSTILE = [
  "<!channel>", "<!here>", "<!everyone>", "<!subteam^S123>", "<@U123ABC>", "<#C0123|general>", "<http://evil.example|click me>",
  "<https://evil.example>", "<mailto:a@evil.example|mail>", "*bold* _italic_ ~strike~ `code` ```block```", "> quoted\n> more",
  "line1\nline2\r\n<!channel>\u2028x\u2029y", "&lt;!channel&gt; already escaped", "a\u0000b\u0007c\u001bd\u007fe\u0085f",
  "\u202eevil\u202c \u2066isolate\u2069 zero\u200bwidth", "lone \ud800 surrogate \udc00", ":skull: :rotating_light:",
  "<".repeat(5000), "&".repeat(5000), "😀".repeat(3000), TEN_MB,
];

/** Every text object in the message, with where it sits. */
function textObjects(message: ReturnType<typeof slackMessage>): Array<{ where: string; type: string; text: string }> {
  const found: Array<{ where: string; type: string; text: string }> = [];
  for (const block of message.blocks) {
    if ("text" in block) found.push({ where: block.type, ...block.text });
    if ("fields" in block) for (const field of block.fields) found.push({ where: "field", ...field });
    if ("elements" in block) for (const element of block.elements) found.push({ where: "context", ...element });
  }
  return found;
}

describe("Slack Block Kit message", () => {
  it("shows the alert: header, summary, fields, top features, id", () => {
    const message = slackMessage(alert());
    const texts = textObjects(message).map((t) => t.text);
    assert.equal(texts[0], "HIGH brute-force from 203.0.113.7");
    assert.ok(texts.includes("Events: 540"));
    assert.ok(texts.includes("Score: 0.9991"));
    assert.ok(texts.some((t) => t.includes("failed_logins_30s = 540 (usual 0-3)\nunique_usernames_30s = 212")));
    assert.ok(texts.includes("alert 0123456789abcdef0123 · schema 2"));
    assert.equal(message.text, "Honeyflow high alert: brute-force from 203.0.113.7");
    assert.equal(message.unfurl_links, false, "Slack does not fetch attacker URLs");
  });

  it("renders hostile text literally: no mention, link or mrkdwn survives, in any field", () => {
    for (const hostile of HOSTILE) {
      const message = slackMessage(alert({
        src_ip: hostile, sensor: hostile, summary: hostile, type: hostile, severity: hostile as SlackAlert["severity"],
        first_seen: hostile, top_features: [{ name: hostile, value: 1, outlyingness: 1 }], dropped_payload: hostile,
      }));
      const json = JSON.stringify(message);
      const label = JSON.stringify(hostile.slice(0, 40));
      // Slack's special parsing starts with "<" (<!channel>, <@U..>, <#C..>, <http..|..>): none is left.
      assert.ok(!json.includes("<"), `no "<" for ${label}`);
      assert.ok(!/&(?!amp;|lt;|gt;)/.test(json.replace(/\\u[0-9a-f]{4}/g, "")), `every & starts an entity for ${label}`);
      for (const { where, type, text } of textObjects(message)) {
        assert.equal(type, "plain_text", `${where} is plain text (no mrkdwn) for ${label}`);
        // eslint-disable-next-line no-control-regex
        assert.ok(!/[\n\r\u2028\u2029\u0000-\u0008\u202e]/.test(where === "section" ? text.replace(/\n/g, "") : text), `${where} has no line breaks or controls for ${label}`);
        const limit = where === "header" ? SLACK_LIMITS.header : where === "field" || where === "context" ? SLACK_LIMITS.field : SLACK_LIMITS.section;
        assert.ok(text.length <= limit, `${where} within ${limit} for ${label}: ${text.length}`);
        assert.ok(!/[\ud800-\udbff]$/.test(text), `${where} does not end in half a surrogate pair`);
      }
      assert.ok(json.length < 40_000, `the whole message stays small for ${label}: ${json.length}`);
      assert.equal(message.text, "Honeyflow unknown alert: unknown", "the mrkdwn notification text holds no attacker text");
    }
  });

  it("says a message of alerts the rate limit held back is one, not a new alert from the first source held back", () => {
    const message = slackMessage(alert({ count: 42, held_back: 42, summary: "rate limit: 42 brute-force alerts held back in 25 s from 42 sources; the first: 203.0.113.7: brute-force" }));
    const texts = textObjects(message).map((t) => t.text);
    assert.equal(texts[0], "HIGH brute-force: 42 alerts held back by the rate limit");
    assert.equal(message.text, "Honeyflow high: 42 brute-force alerts held back by the rate limit", "the notification too");
    assert.ok(texts.includes("Held back: 42 alerts") && !texts.some((t) => t.startsWith("Events:")), texts.join(" | "));
    assert.ok(texts.includes("First held back: 203.0.113.7"));
    for (const wrong of [Number.NaN, -1, 0, 1.5, "42<!channel>" as unknown as number]) {
      assert.equal(slackMessage(alert({ held_back: wrong })).text, "Honeyflow high alert: brute-force from 203.0.113.7", `held_back ${String(wrong)} reads as absent`);
    }
  });

  it("shows what a malware drop ran", () => {
    const texts = textObjects(slackMessage(alert({ type: "malware-drop", dropped_payload: "wget http://*/i" }))).map((t) => t.text);
    assert.equal(texts[2], "Dropped: wget http://*/i");
    assert.ok(!textObjects(slackMessage(alert())).some((t) => t.text.startsWith("Dropped:")));
  });

  it("shows the country, network and threat intel of an enriched alert", () => {
    const texts = textObjects(slackMessage(alert({
      src_geo: { country: "NL", country_name: "Netherlands", asn: 14061, as_org: "DigitalOcean, LLC" },
      intel: {
        abuseipdb: { abuse_confidence: 100, total_reports: 312, distinct_reporters: 87, last_reported: null, usage_type: "Data Center/Web Hosting/Transit",
          isp: "DigitalOcean LLC", domain: null, is_tor: false, is_whitelisted: false },
        greynoise: { noise: true, riot: false, classification: "malicious", name: null, last_seen: "2026-06-16" },
        otx: { pulse_count: 7, pulses: ["SSH brute force - Cowrie"], reputation: 0 },
      },
    }))).map((t) => t.text);
    assert.ok(texts.includes("Country: NL (Netherlands)"), texts.join(" | "));
    assert.ok(texts.includes("Network: AS14061 DigitalOcean, LLC"));
    assert.ok(texts.includes("AbuseIPDB: confidence 100%, 312 reports, DigitalOcean LLC, Data Center/Web Hosting/Transit\n" +
      "GreyNoise: malicious, scanning the Internet\nOTX: 7 pulses, e.g. SSH brute force - Cowrie"));
    const reserved = textObjects(slackMessage(alert({ src_geo: { country: null, country_name: null, asn: null, as_org: null, special_use: "private" } })));
    assert.ok(reserved.some((t) => t.text === "Address: private"));
    assert.ok(!reserved.some((t) => /Country|Network/.test(t.text)));
  });

  it("renders hostile organisation names and intel verdicts literally, and ignores wrong types", () => {
    for (const hostile of HOSTILE) {
      const message = slackMessage(alert({
        src_geo: { country: hostile, country_name: hostile, asn: 1, as_org: hostile },
        intel: {
          abuseipdb: { abuse_confidence: 1, total_reports: 1, distinct_reporters: 1, last_reported: hostile, usage_type: hostile, isp: hostile, domain: hostile, is_tor: null, is_whitelisted: null },
          greynoise: { noise: null, riot: null, classification: hostile as "malicious", name: hostile, last_seen: hostile },
          otx: { pulse_count: 1, pulses: [hostile], reputation: null },
        },
      }));
      const json = JSON.stringify(message);
      const label = JSON.stringify(hostile.slice(0, 40));
      assert.ok(!json.includes("<"), `no "<" for ${label}`);
      for (const { where, text } of textObjects(message)) {
        // eslint-disable-next-line no-control-regex
        assert.ok(!/[\r\u2028\u2029\u0000-\u0008\u202e]/.test(text), `${where} has no controls for ${label}`);
        assert.ok(text.length <= SLACK_LIMITS.section);
      }
      const intel = textObjects(message).find((t) => t.text.startsWith("AbuseIPDB:"));
      assert.deepEqual(intel?.text.split("\n").map((line) => line.split(":")[0]), ["AbuseIPDB", "GreyNoise", "OTX"], `one line per service for ${label}`);
      assert.ok(intel.text.split("\n").every((line) => line.length <= 290), `intel lines are cut for ${label}`);
      assert.equal(message.blocks.filter((b) => "fields" in b).every((b) => "fields" in b && b.fields.length <= 10), true, "a section holds at most ten fields");
      assert.ok(json.length < 40_000, `the whole message stays small for ${label}: ${json.length}`);
    }
    const wrongTypes = slackMessage(alert({ src_geo: { country: 7, asn: "AS1", as_org: { x: 1 } } as never, intel: { abuseipdb: "100%", otx: { pulses: "x" } } as never }));
    assert.ok(!textObjects(wrongTypes).some((t) => /Country|Network/.test(t.text)));
    assert.ok(textObjects(wrongTypes).some((t) => t.text === "OTX: no pulses"));
  });

  it("escapes &, < and > so Slack shows exactly what was typed", () => {
    assert.equal(slackLine("<!channel> *bold* <@U123> <http://evil|click>", 1000), "&lt;!channel&gt; *bold* &lt;@U123&gt; &lt;http://evil|click&gt;");
    assert.equal(slackLine("&lt;!here&gt;", 1000), "&amp;lt;!here&amp;gt;", "a pre-escaped mention shows as its entity text");
    assert.equal(slackLine("a\n> b\r\n\tc", 1000), "a &gt; b c", "one line, so no quote at a line start");
  });

  it("cuts long text to its limit with an ellipsis, never through an entity", () => {
    const cut = slackLine("<".repeat(1000), 150);
    assert.ok(cut.length <= 150);
    assert.match(cut, /^(&lt;)+…$/);
    assert.equal(slackLine("x".repeat(150), 150), "x".repeat(150), "text at the limit is kept whole");
    assert.equal(slackLine("x".repeat(151), 150), `${"x".repeat(149)}…`);
    assert.equal(slackLine(TEN_MB, SLACK_LIMITS.section).length, SLACK_LIMITS.section);
  });
});
