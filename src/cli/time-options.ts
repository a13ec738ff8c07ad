/**
 * Times and durations as a user types them on the command line: `--start 2026-03-18` or
 * `--start 2026-03-18T06:00:00+0200`, `--every 90m`.
 *
 * ```ts
 * assert.equal(parseTimeOption("--start", "2026-03-18"), Date.UTC(2026, 2, 18));
 * assert.equal(parseDurationOption("--every", "2h"), 7_200_000);
 * ```
 */
import { cowrieTimestampToEpochMs } from "../ingest/cowrie-timestamp";
import { UsageError } from "./usage-error";

/** Epoch ms of an ISO 8601 time; a bare date is midnight UTC. Throws a UsageError saying what is wrong. */
export function parseTimeOption(option: string, text: string): number {
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(text) ? cowrieTimestampToEpochMs(`${text}T00:00:00Z`) : cowrieTimestampToEpochMs(text);
  if (ms === undefined) throw new UsageError(`${option} must be an ISO 8601 time such as 2026-03-18T00:00:00Z, not '${text}'`);
  return ms;
}

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Milliseconds of a positive duration such as 90s, 30m, 2h or 1.5d. Throws a UsageError saying what is wrong. */
export function parseDurationOption(option: string, text: string): number {
  const parts = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(text.trim());
  const ms = parts ? Number(parts[1]) * UNIT_MS[parts[2]] : NaN;
  if (!(ms > 0)) throw new UsageError(`${option} must be a positive duration such as 90s, 30m, 2h or 1d, not '${text}'`);
  return ms;
}
