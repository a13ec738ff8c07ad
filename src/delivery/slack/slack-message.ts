/**
 * A Slack Block Kit message for an alert, safe against whatever the attacker wrote.
 *
 * Every text that can hold attacker-controlled characters (source, sensor, feature names, the
 * summary) goes into `plain_text` objects, which Slack renders literally: no mrkdwn, so `*bold*`,
 * `_x_`, `~x~`, backticks and `>` quotes stay characters. Inside any text object Slack still
 * treats `&`, `<` and `>` as control characters (`<!channel>`, `<@U123>`, `<http://x|label>`),
 * so these are escaped as `&amp;`, `&lt;`, `&gt;`, as Slack's "Formatting text for app surfaces"
 * asks. The notification `text`, which Slack reads as mrkdwn, holds only closed-set words and a
 * source that parses as an IP address. Newlines and control characters collapse to one space,
 * invisible and bidirectional-override characters are removed (they could make a line read
 * differently from what it says), and each text is cut to Slack's limit with an ellipsis.
 * An alert that `enrich` has seen also shows its country and network, and the threat-intel
 * verdicts it carries: an organisation name and a verdict's text come from registries and
 * services anyone can write to, and are treated exactly like attacker text.
 *
 *     const body = JSON.stringify(slackMessage(alert));  // POST to an incoming webhook
 */
import { isIP } from "node:net";
import type { Alert } from "../../alerting/alert-policy";
import { ALERT_TYPES } from "../../domain/alert-types";
import type { SourceGeo } from "../../domain/source-geo";
import type { IntelVerdicts } from "../../enrich/intel/intel-verdicts";
import { SEVERITIES } from "../../domain/severities";
import { UNKNOWN_LEVEL } from "../mqtt/mqtt-topic";

/**
 * The fields of an alert the message shows; `type` may be `sensor-silence` as well as an attack
 * type; `src_geo` and `intel` are there when `enrich` has seen the alert.
 */
export type SlackAlert = Pick<Alert, "schema" | "id" | "src_ip" | "severity" | "score" | "count" | "first_seen" | "last_seen" | "top_features" | "sensor" | "summary" | "dropped_payload" | "held_back"> & {
  type: string;
  src_geo?: SourceGeo | null;
  intel?: IntelVerdicts;
};

interface PlainText {
  type: "plain_text";
  text: string;
  emoji: false;
}

type Block =
  | { type: "header"; text: PlainText }
  | { type: "section"; text: PlainText }
  | { type: "section"; fields: PlainText[] }
  | { type: "context"; elements: PlainText[] };

export interface SlackMessage {
  text: string;
  blocks: Block[];
  /** Slack would otherwise fetch and preview any URL in the message, an attacker's included. */
  unfurl_links: false;
  unfurl_media: false;
}

/** Slack's Block Kit limits, in characters: header text, section text, each section field. */
export const SLACK_LIMITS = { header: 150, section: 3000, field: 2000 } as const;

// Only so much of a text can ever be shown. Neutralising it can shorten it (whitespace runs
// collapse, invisible characters go), so eight times the limit is read; a 10 MB string then
// costs a few kilobytes of work, not 10 MB per field.
const READ_FACTOR = 8;
// Ten lines of at most 290 characters fit in one section (3,000).
const MAX_FEATURES = 10;
const FEATURE_LINE = 290;

export function slackMessage(alert: SlackAlert): SlackMessage {
  const type = ALERT_TYPES.includes(alert.type) ? alert.type : UNKNOWN_LEVEL;
  const severity = (SEVERITIES as readonly string[]).includes(alert.severity) ? alert.severity : UNKNOWN_LEVEL;
  // A message of alerts the rate limit held back is named by the first of them, but is not its alert: it says so.
  const held = Number.isSafeInteger(alert.held_back) && (alert.held_back as number) > 0 ? (alert.held_back as number) : undefined;
  const heldBack = held === undefined ? undefined : `${held} alert${held === 1 ? "" : "s"}`;
  const where = heldBack ? `: ${heldBack} held back by the rate limit` : alert.src_ip ? ` from ${alert.src_ip}` : alert.sensor ? ` on ${alert.sensor}` : "";
  const fields = [
    ...(alert.src_ip ? [`${heldBack ? "First held back" : "Source"}: ${alert.src_ip}`] : []),
    `Type: ${alert.type}`, `Severity: ${alert.severity}`, `Score: ${number(alert.score, 4)}`, heldBack ? `Held back: ${heldBack}` : `Events: ${alert.count}`,
    `First seen: ${alert.first_seen}`, `Last seen: ${alert.last_seen}`, `Sensor: ${alert.sensor || "-"}`,
    ...sourceGeoFields(alert.src_geo),
  ];
  const intel = intelSummary(alert.intel);
  const features = alert.top_features.slice(0, MAX_FEATURES).map((f) =>
    slackLine(`${f.name} = ${number(f.value, 2)}${f.usual ? ` (usual ${number(f.usual[0], 2)}-${number(f.usual[1], 2)})` : ""}`, FEATURE_LINE));
  const blocks: Block[] = [
    { type: "header", text: plainText(`${severity.toUpperCase()} ${type}${where}`, SLACK_LIMITS.header) },
    { type: "section", text: plainText(alert.summary, SLACK_LIMITS.section) },
    // Its own section: the fields' section holds ten at most, and a fetch can be long attacker text.
    ...(typeof alert.dropped_payload === "string" ? [{ type: "section" as const, text: plainText(`Dropped: ${alert.dropped_payload}`, SLACK_LIMITS.section) }] : []),
    { type: "section", fields: fields.map((field) => plainText(field, SLACK_LIMITS.field)) },
    ...(features.length > 0 ? [{ type: "section" as const, text: { type: "plain_text" as const, text: features.join("\n"), emoji: false as const } }] : []),
    // Lines made one by one by slackLine, each within FEATURE_LINE: three fit in a section.
    ...(intel ? [{ type: "section" as const, text: { type: "plain_text" as const, text: intel, emoji: false as const } }] : []),
    { type: "context", elements: [plainText(`alert ${alert.id} · schema ${alert.schema}`, SLACK_LIMITS.field)] },
  ];
  const ip = isIP(alert.src_ip) ? ` from ${alert.src_ip}` : "";
  const text = held !== undefined ? `Honeyflow ${severity}: ${held} ${type} alert${held === 1 ? "" : "s"} held back by the rate limit` : `Honeyflow ${severity} alert: ${type}${ip}`;
  return { text: slackLine(text, SLACK_LIMITS.section), blocks, unfurl_links: false, unfurl_media: false };
}

/** `text` as one line Slack shows literally, at most `max` characters long. */
export function slackLine(text: string, max: number): string {
  const read = text.length > max * READ_FACTOR ? text.slice(0, max * READ_FACTOR) : text;
  const escaped = escapeControlCharacters(oneLine(read));
  if (read.length === text.length && escaped.length <= max) return escaped;
  // Cut without leaving half an entity ("&am") or half a surrogate pair behind.
  const kept = escaped.slice(0, max - 1).replace(/&[a-z]*$/, "").replace(/[\ud800-\udbff]$/, "");
  return `${kept}…`;
}

/** Country and network, at most two fields (a section holds ten); wrong types read as absent. */
function sourceGeoFields(geo: SourceGeo | null | undefined): string[] {
  if (typeof geo !== "object" || geo === null) return [];
  if (typeof geo.special_use === "string") return [`Address: ${geo.special_use}`];
  const country = typeof geo.country === "string" ? [geo.country, typeof geo.country_name === "string" ? `(${geo.country_name})` : ""].join(" ").trim() : "";
  const asn = typeof geo.asn === "number" ? `AS${geo.asn}` : "";
  const network = [asn, typeof geo.as_org === "string" ? geo.as_org : ""].join(" ").trim();
  return [...(country ? [`Country: ${country}`] : []), ...(network ? [`Network: ${network}`] : [])];
}

/** One line per service that has a verdict; wrong types read as absent. */
function intelSummary(intel: IntelVerdicts | undefined): string {
  if (typeof intel !== "object" || intel === null) return "";
  const lines: string[] = [];
  const { abuseipdb, greynoise, otx } = intel;
  if (typeof abuseipdb === "object" && abuseipdb !== null) {
    const parts = [known(abuseipdb.abuse_confidence, (v) => `confidence ${v}%`), known(abuseipdb.total_reports, (v) => `${v} reports`),
      known(abuseipdb.isp, String), known(abuseipdb.usage_type, String)];
    lines.push(`AbuseIPDB: ${parts.filter(Boolean).join(", ") || "no data"}`);
  }
  if (typeof greynoise === "object" && greynoise !== null) {
    const parts = [known(greynoise.classification, String), greynoise.noise === true ? "scanning the Internet" : "", greynoise.riot === true ? "known business service" : "",
      known(greynoise.name, String)];
    lines.push(`GreyNoise: ${parts.filter(Boolean).join(", ") || "not seen"}`);
  }
  if (typeof otx === "object" && otx !== null) {
    const first = Array.isArray(otx.pulses) && typeof otx.pulses[0] === "string" ? `, e.g. ${otx.pulses[0]}` : "";
    lines.push(`OTX: ${known(otx.pulse_count, (v) => `${v} pulses`) || "no pulses"}${first}`);
  }
  return lines.map((line) => slackLine(line, FEATURE_LINE)).join("\n");
}

function known(value: unknown, show: (value: string | number) => string): string {
  return typeof value === "number" && Number.isFinite(value) ? show(value) : typeof value === "string" && value !== "" ? show(value) : "";
}

function plainText(text: string, max: number): PlainText {
  return { type: "plain_text", text: slackLine(text, max), emoji: false };
}

function oneLine(text: string): string {
  return text
    // Invisible characters and bidirectional overrides ("Trojan Source", CVE-2021-42574).
    .replace(/[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g, "")
    // Unpaired surrogates are not text; Slack would show them as garbage or reject the JSON.
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd")
    // eslint-disable-next-line no-control-regex
    .replace(/[\s\u0000-\u001f\u007f-\u009f]+/g, " ");
}

function escapeControlCharacters(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function number(value: number, digits: number): string {
  return Number.isInteger(value) ? String(value) : Number(value).toFixed(digits);
}
