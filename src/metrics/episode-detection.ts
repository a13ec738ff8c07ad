/**
 * How well alerts caught labelled attack episodes: for each episode, whether an alert on one of
 * its source IPs went out between the episode's start and `graceMs` after its end, and how long
 * after the start (event time: when the alert was sent, which for a wave held while it is named is
 * later than its first anomaly); and how many alerts hit sources outside every episode - the
 * false alarms an analyst would have had to read.
 *
 * A traffic spike or a credential-stuffing campaign is the sensor's, not one source's: hundreds of
 * addresses arrive at once, mixed with the usual traffic, and the alert policy raises one alert of
 * the type per sensor naming whichever source came first (for a campaign, a background bot that
 * tried the campaign's credential pair or used its client in the same minute shares its count).
 * So such an alert that starts within an episode of its type detects it whatever source it names,
 * and is not a false alarm. A message telling of alerts the rate limit held back detects nothing:
 * it names its first source, but the analyst learns that some were held back, not this attack.
 *
 * ```ts
 * import type { Alert } from "../alerting/alert-policy";
 * const episode = { type: "brute-force", src_ips: ["203.0.113.7"], start: "2026-03-18T10:00:00Z",
 *   end: "2026-03-18T10:02:00Z", first_line: 100, last_line: 160 } as const;
 * const alertOn = (src_ip: string, time: string) => ({ id: src_ip, src_ip, type: "brute-force", time, first_seen: time }) as Alert;
 * const alerts = [alertOn("203.0.113.7", "2026-03-18T10:00:30Z"), alertOn("198.51.100.4", "2026-03-18T11:00:00Z")];
 * const report = evaluateEpisodes([episode], alerts, 2);
 * assert.equal(report.episodes[0].delay_s, 30);          // alerted 30 s into the episode
 * assert.equal(report.background_alerts_per_hour, 0.5);  // one alert outside every episode, in 2 hours
 * ```
 */
import { isSensorWide, type Alert } from "../alerting/alert-policy";
import type { AttackEpisodeLabel } from "../domain/attack-types";
import { cowrieTimestampToEpochMs } from "../ingest/cowrie-timestamp";

export interface EpisodeOutcome {
  type: string;
  start: string;
  detected: boolean;
  /** Seconds from the episode's first event to when its first alert went out. */
  delay_s?: number;
  /** The attack type the first alert named. */
  alerted_as?: string;
}

export interface EpisodeDetectionReport {
  episodes: EpisodeOutcome[];
  recall: number;
  /** Alerts (first alerts of incidents) on sources outside every episode. */
  background_alerts: number;
  background_alerts_per_hour: number;
}

export function evaluateEpisodes(labels: readonly AttackEpisodeLabel[], alerts: readonly Alert[], logHours: number, graceMs = 60_000): EpisodeDetectionReport {
  // An incident's updates repeat its id; its first alert is the one an analyst would see first.
  const firstAlerts = new Map<string, Alert>();
  for (const alert of alerts) if (!firstAlerts.has(alert.id)) firstAlerts.set(alert.id, alert);
  const episodeIps = new Set(labels.flatMap((l) => l.src_ips));
  const episodes = labels.map((label) => {
    const start = cowrieTimestampToEpochMs(label.start) ?? 0;
    const end = (cowrieTimestampToEpochMs(label.end) ?? start) + graceMs;
    const ips = new Set(label.src_ips);
    // A message of alerts the rate limit held back names its first source only to say where they began.
    const names = (alert: Alert) => alert.held_back === undefined && (ips.has(alert.src_ip) || (isSensorWide(label.type) && alert.type === label.type));
    let first: Alert | undefined;
    for (const alert of firstAlerts.values()) {
      const sent = Date.parse(alert.time);
      if (names(alert) && sent >= start && sent <= end && (!first || sent < Date.parse(first.time))) first = alert;
    }
    return first
      ? { type: label.type, start: label.start, detected: true, delay_s: (Date.parse(first.time) - start) / 1000, alerted_as: first.type }
      : { type: label.type, start: label.start, detected: false };
  });
  const sensorWide = labels.filter((l) => isSensorWide(l.type))
    .map((l) => ({ type: l.type, start: cowrieTimestampToEpochMs(l.start) ?? 0, end: (cowrieTimestampToEpochMs(l.end) ?? 0) + graceMs }));
  const duringItsEpisode = (a: Alert) => sensorWide.some(({ type, start, end }) => a.type === type && Date.parse(a.first_seen) >= start && Date.parse(a.first_seen) <= end);
  const background = [...firstAlerts.values()].filter((a) => !episodeIps.has(a.src_ip) && !duringItsEpisode(a)).length;
  return {
    episodes,
    recall: episodes.length === 0 ? NaN : episodes.filter((e) => e.detected).length / episodes.length,
    background_alerts: background,
    background_alerts_per_hour: logHours > 0 ? background / logHours : NaN,
  };
}
