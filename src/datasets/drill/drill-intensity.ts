/**
 * How strong a drilled attack is. `low` sits just above what the hand-written rules a SOC
 * starts from would catch (20 failed logins from one source in 60 s; one credential pair from
 * 5 sources in 5 minutes; 10 tunnel ports in 60 s; a minute above 10x the day's median;
 * download then chmod/sh in one session), so it tests whether a detector sees what a grep
 * sees; `high` is blatant; `mid` lies between. `mixed` cycles low, mid, high.
 *
 *     episodeSize("brute-force", "low", survey);  // { attempts: 25, spanSeconds: 60 }
 */
import type { AttackType } from "../../domain/attack-types";
import type { EpisodeSize } from "../synth/cowrie/attack-episodes";
import type { RealLogSurvey } from "./real-log-survey";

export const DRILL_INTENSITIES = ["low", "mid", "high", "mixed"] as const;
export type DrillIntensity = (typeof DRILL_INTENSITIES)[number];
export type EpisodeIntensity = Exclude<DrillIntensity, "mixed">;

const MIXED_CYCLE: readonly EpisodeIntensity[] = ["low", "mid", "high"];

export function isDrillIntensity(value: string): value is DrillIntensity {
  return (DRILL_INTENSITIES as readonly string[]).includes(value);
}

/**
 * The intensity of the `index`-th episode, the episodes coming in rounds of the six types.
 * Mixed steps one level per episode and one more per round, so that every level gets a third
 * of the episodes and a type at the same place in two rounds gets two levels.
 */
export function intensityOfEpisode(intensity: DrillIntensity, index: number, typesPerRound: number): EpisodeIntensity {
  if (intensity !== "mixed") return intensity;
  return MIXED_CYCLE[(index + Math.floor(index / typesPerRound)) % MIXED_CYCLE.length];
}

/** A traffic spike: how many times the median busy minute's events, for how long. */
interface SpikeShape {
  readonly multiple: number;
  readonly seconds: number;
}

const SPIKES: Readonly<Record<EpisodeIntensity, SpikeShape>> = {
  low: { multiple: 12, seconds: 120 },
  mid: { multiple: 30, seconds: 150 },
  high: { multiple: 100, seconds: 180 },
};

/**
 * Events a spike session writes: the spike script mixes scanner sessions (a bare connect, a
 * banner or a key exchange, then closed) with one-guess sprayer sessions; on a telnet sensor the
 * SSH handshake events are not written, and a Cowrie 1.x SSH sensor writes the banner and the key
 * exchange as one event, and nothing for a client that sends no key exchange (see
 * `SshHandshakeStyle`).
 */
const SPIKE_EVENTS_PER_SESSION: Readonly<Record<"ssh" | "ssh-kexinit" | "telnet", number>> = { ssh: 3.7, "ssh-kexinit": 3.0, telnet: 2.4 };
/** Below this a spike is a handful of connections, not a wave. */
const MIN_SPIKE_SESSIONS = 10;

/** Each type's size at each intensity, side by side so that the steps from low to high read at a glance. */
const FIXED_SIZES: Readonly<Record<Exclude<AttackType, "traffic-spike">, Readonly<Record<EpisodeIntensity, EpisodeSize>>>> = {
  "brute-force": {
    low: { attempts: 25, spanSeconds: 60 },
    mid: { attempts: 80, spanSeconds: 60 },
    high: { attempts: 300, spanSeconds: 45 },
  },
  "credential-stuffing": {
    low: { sources: 25, sharedCredentials: 4, spanSeconds: 120 },
    mid: { sources: 40, sharedCredentials: 4, spanSeconds: 90 },
    high: { sources: 60, sharedCredentials: 4, spanSeconds: 60 },
  },
  "port-scan/tunnel": { low: { ports: 12 }, mid: { ports: 40 }, high: { ports: 150 } },
  "malware-drop": { low: { payloads: 1 }, mid: { payloads: 1 }, high: { payloads: 2 } },
  "unusual-behaviour": {
    low: { commands: 5, oddInputs: 0 },
    mid: { commands: 8, oddInputs: 1 },
    high: { commands: 14, oddInputs: 2 },
  },
};

/** The size of one episode of `type` at `intensity`, set against the real log's traffic. */
export function episodeSize(type: AttackType, intensity: EpisodeIntensity, survey: RealLogSurvey): EpisodeSize {
  if (type !== "traffic-spike") return FIXED_SIZES[type][intensity];
  const { multiple, seconds } = SPIKES[intensity];
  const { protocol, sshHandshake } = survey.style;
  const eventsPerSession = SPIKE_EVENTS_PER_SESSION[protocol === "telnet" ? "telnet" : sshHandshake === "version-at-kexinit" ? "ssh-kexinit" : "ssh"];
  const busyMinute = Math.max(1, survey.medianBusyMinuteEvents);
  const sessionsPerSecond = (multiple * busyMinute) / eventsPerSession / 60;
  return { sessionsPerSecond, sessions: Math.max(MIN_SPIKE_SESSIONS, Math.ceil(sessionsPerSecond * seconds)) };
}
