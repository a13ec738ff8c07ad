/**
 * What the alert stage takes in: the online detector's verdict on one event turned into the
 * AlertPolicy's `Anomaly`. The headless pipeline and the `alert` node both go through
 * `anomalyFromDetection`, so a back-test and the live flow alert on the same events.
 *
 * `alertInputFromPayload` reads a Node-RED message's payload, which can be anything: a scored
 * event from the detector (an anomaly, or a normal event that only proves the sensor is alive),
 * or an already-shaped Anomaly from a custom flow. Either may carry `src_geo` from `enrich`: it is
 * read field by field, because an organisation's name is whatever its owner registered (anyone
 * can register one, an attacker included) and a custom flow can put anything there; a field of
 * the wrong kind is null, and a `src_geo` that is not an object is left out rather than costing
 * the alert. Either may carry `intel` too, the threat-intel verdicts enrich had cached; and a
 * payload of `{src_ip, intel}` alone is a verdict enrich had not yet had when the anomaly went by
 * (its second output): its alert is updated with it.
 *
 *     const anomaly = anomalyFromDetection({ time_ms, src_ip, sensor }, detection);  // undefined unless anomalous
 */
import type { Anomaly } from "./alert-policy";
import type { FeatureContribution } from "../scoring/anomaly-explanation";
import { ATTACK_TYPES, type AttackType } from "../domain/attack-types";
import { SPECIAL_USES, type SourceGeo, type SpecialUse } from "../domain/source-geo";
import type { Detection } from "../scoring/online-anomaly-scorer";
import { heldCopy } from "../features/held-text";
import { intelVerdictsOf, type IntelVerdicts } from "../enrich/intel/intel-verdicts";

export interface DetectedEvent {
  time_ms: number;
  src_ip: string;
  sensor: string;
  line?: number;
  /** What the source's last malware drop ran (window features' dropped_payload). */
  dropped_payload?: string;
  /** The detection that scored it (`default`, `rules`, ...), where known. */
  detector?: string;
}

export interface AlertInput {
  /** The sensor the event came from ("" when the payload does not say): any valid input proves it alive. */
  sensor: string;
  anomaly?: Anomaly;
  /** Verdicts that arrived after the source's anomaly (enrich's second output), for its open alerts. */
  lateIntel?: { src_ip: string; intel: IntelVerdicts };
}

// Alerts carry these strings to MQTT payloads and Slack. Attackers and broken upstream flows
// can make them megabytes long; no IP address, sensor name or feature name needs more.
const MAX_TEXT = 256;
const MAX_TOP_FEATURES = 10;
// The longest registered AS organisation and city names are well under this.
const MAX_GEO_NAME = 128;
const COUNTRY_CODE = /^[A-Z]{2}$/;
/** AS numbers are unsigned 32-bit (RFC 6793). */
const MAX_ASN = 0xffff_ffff;

/** The anomaly to alert on, or undefined when the event is normal or the detector could not explain it. */
export function anomalyFromDetection(event: DetectedEvent, detection: Pick<Detection, "anomaly" | "score" | "explanation">): Anomaly | undefined {
  if (!detection.anomaly || !detection.explanation) return undefined;
  return {
    time_ms: event.time_ms, src_ip: event.src_ip, sensor: event.sensor, score: detection.score,
    attack_type: detection.explanation.attack_type, top_features: detection.explanation.top_features,
    ...(event.line !== undefined ? { line: event.line } : {}),
    ...(event.dropped_payload !== undefined && detection.explanation.attack_type === "malware-drop" ? { dropped_payload: event.dropped_payload } : {}),
    ...(event.detector !== undefined ? { detector: event.detector } : {}),
  };
}

/** Reads an untrusted message payload; throws a TypeError that says what is wrong with it. */
export function alertInputFromPayload(payload: unknown): AlertInput {
  if (!isRecord(payload)) throw new TypeError("it is not an object");
  const sensor = payload.sensor === undefined ? "" : capped(text(payload.sensor, "sensor"));
  if (payload.detection !== undefined) {
    const detection = payload.detection;
    if (!isRecord(detection) || typeof detection.anomaly !== "boolean" || !isFiniteNumber(detection.score)) {
      throw new TypeError("payload.detection must be the online detector's {score, anomaly, explanation}");
    }
    if (!detection.anomaly) return { sensor };
    const explanation = isRecord(detection.explanation) ? detection.explanation : undefined;
    const detector = typeof detection.detector === "string" ? capped(detection.detector) : undefined;
    const event = { time_ms: timeOf(payload), src_ip: sourceOf(payload), sensor, dropped_payload: droppedPayloadOf(payload.dropped_payload), detector };
    return {
      sensor,
      anomaly: withEnrichment(anomalyFromDetection(event, {
        anomaly: true, score: detection.score,
        explanation: explanation && { attack_type: attackType(explanation.attack_type), top_features: topFeatures(explanation.top_features) },
      }), payload),
    };
  }
  if (payload.attack_type !== undefined) {
    if (!isFiniteNumber(payload.score)) throw new TypeError("payload.score must be a number");
    const anomaly: Anomaly = {
      time_ms: timeOf(payload), src_ip: sourceOf(payload), sensor, score: payload.score,
      attack_type: attackType(payload.attack_type), top_features: topFeatures(payload.top_features ?? []),
    };
    const dropped = droppedPayloadOf(payload.dropped_payload);
    if (dropped !== undefined && anomaly.attack_type === "malware-drop") anomaly.dropped_payload = dropped;
    return { sensor, anomaly: withEnrichment(anomaly, payload) };
  }
  if (payload.intel !== undefined) {
    const intel = intelVerdictsOf(payload.intel);
    if (!intel) throw new TypeError("payload.intel holds no verdict of abuseipdb, greynoise or otx");
    return { sensor, lateIntel: { src_ip: sourceOf(payload), intel } };
  }
  throw new TypeError("it has neither payload.detection (a scored event from the online detector), payload.attack_type (an anomaly) nor payload.intel (enrich's late threat intel)");
}

/** A malware drop's name (attacker text when it is a fetch), capped; anything but a string is left out. */
function droppedPayloadOf(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? capped(value) : undefined;
}

/** The anomaly with what enrich added to its payload: `src_geo`, and `intel` when a service had answered. */
function withEnrichment(anomaly: Anomaly | undefined, payload: Record<string, unknown>): Anomaly | undefined {
  if (!anomaly) return anomaly;
  const geo = sourceGeoOf(payload.src_geo);
  const intel = intelVerdictsOf(payload.intel);
  return geo || intel ? { ...anomaly, ...(geo ? { src_geo: geo } : {}), ...(intel ? { intel } : {}) } : anomaly;
}

/** `enrich`'s `src_geo`, rebuilt from the fields it documents, each checked and capped. */
function sourceGeoOf(value: unknown): SourceGeo | undefined {
  if (!isRecord(value)) return undefined;
  const country = typeof value.country === "string" && COUNTRY_CODE.test(value.country) ? value.country : null;
  const asn = Number.isInteger(value.asn) && (value.asn as number) >= 0 && (value.asn as number) <= MAX_ASN ? (value.asn as number) : null;
  const geo: SourceGeo = { country, country_name: geoName(value.country_name), asn, as_org: geoName(value.as_org) };
  const city = geoName(value.city);
  if (city !== null) geo.city = city;
  if (SPECIAL_USES.includes(value.special_use as SpecialUse)) geo.special_use = value.special_use as SpecialUse;
  return geo;
}

function geoName(value: unknown): string | null {
  if (typeof value !== "string" || value === "") return null;
  return value.length > MAX_GEO_NAME ? heldCopy(`${value.slice(0, MAX_GEO_NAME - 1)}…`) : value;
}

// Alerts stamp times as ISO strings, and toISOString throws past ECMAScript's range of dates,
// from the alert node's timer as much as from its input. The node's clock runs on from the last
// event's time and its close adds a cooldown, so times stop at the end of year 9999, the last
// ISO-8601 four-digit year, far inside that range.
const MAX_TIME_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

function timeOf(payload: Record<string, unknown>): number {
  const time = isFiniteNumber(payload.time_ms) ? payload.time_ms : typeof payload.time === "string" ? Date.parse(payload.time) : NaN;
  if (!Number.isFinite(time)) throw new TypeError("payload.time_ms (epoch ms) or payload.time (ISO-8601) must give the event's time");
  if (time < 0 || time > MAX_TIME_MS) throw new TypeError("the event's time must lie between 1970 and the end of the year 9999");
  return time;
}

function sourceOf(payload: Record<string, unknown>): string {
  const ip = text(payload.src_ip, "src_ip");
  if (ip === "") throw new TypeError("payload.src_ip is empty");
  return capped(ip);
}

function attackType(value: unknown): AttackType {
  if (ATTACK_TYPES.includes(value as AttackType)) return value as AttackType;
  throw new TypeError(`the attack type must be one of ${ATTACK_TYPES.join(", ")}`);
}

function topFeatures(value: unknown): FeatureContribution[] {
  if (!Array.isArray(value)) throw new TypeError("top_features must be a list of {name, value}");
  return value.slice(0, MAX_TOP_FEATURES).map((feature: unknown) => {
    if (!isRecord(feature) || typeof feature.name !== "string" || !isFiniteNumber(feature.value)) {
      throw new TypeError("each of top_features must be {name: string, value: number}");
    }
    const usual = feature.usual;
    const hasUsual = Array.isArray(usual) && usual.length === 2 && usual.every(isFiniteNumber);
    return {
      name: capped(feature.name), value: feature.value, outlyingness: isFiniteNumber(feature.outlyingness) ? feature.outlyingness : 0,
      ...(hasUsual ? { usual: [usual[0], usual[1]] as [number, number] } : {}),
    };
  });
}

function text(value: unknown, field: string): string {
  if (typeof value !== "string") throw new TypeError(`payload.${field} must be a string`);
  return value;
}

/** Its own copy too: a cut of the message's string would keep all of it alive while an incident holds the alert. */
function capped(value: string): string {
  return value.length > MAX_TEXT ? heldCopy(`${value.slice(0, MAX_TEXT - 1)}…`) : value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value);
}
