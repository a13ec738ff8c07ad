/**
 * The kinds of attack Honeyflow names, in the words an analyst uses, and the label of one
 * attack episode injected into a log (`FILE.labels.json`, written by `honeyflow generate`,
 * read by `honeyflow eval`). Every stage that types an anomaly, alerts on it or scores
 * detection speaks this vocabulary; the log generator imports it like every other stage.
 */

export const ATTACK_TYPES = [
  "brute-force",
  "credential-stuffing",
  "port-scan/tunnel",
  "traffic-spike",
  "malware-drop",
  "unusual-behaviour",
] as const;

export type AttackType = (typeof ATTACK_TYPES)[number];

export function isAttackType(value: string): value is AttackType {
  return (ATTACK_TYPES as readonly string[]).includes(value);
}

/** One injected attack, as written to `FILE.labels.json`. */
export interface AttackEpisodeLabel {
  type: AttackType;
  /** Every line of the episode comes from one of these addresses. */
  src_ips: string[];
  /** Cowrie timestamps of the episode's first and last event. */
  start: string;
  end: string;
  /** 1-based line numbers of the episode's first and last event. */
  first_line: number;
  last_line: number;
}
