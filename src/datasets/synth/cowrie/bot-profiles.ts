/**
 * Who visits the synthetic sensor: the kinds of bot behind background traffic (a Go
 * credential sprayer, a banner scanner, a scripted client), which clients they run and which
 * sessions they play, and the clients attack episodes pick from.
 */
import {
  GO_CURVE25519, GO_GROUP_EXCHANGE, GO_LEGACY_CIPHERS, GO_MLKEM, LIBSSH, LIBSSH2, OPENSSH_10, OPENSSH_8,
  OPENSSH_9_UBUNTU, OPENSSH_KEYSCAN, PARAMIKO, ZGRAB, type ClientFingerprint,
} from "./client-fingerprints";

export type SessionKind =
  | "tcp-probe"
  | "banner-probe"
  | "kex-probe"
  | "login-failed"
  | "login-recon"
  | "sftp-upload"
  | "pubkey-attempt"
  | "tunnel-probe"
  | "interactive";

/** A kind of visitor: which client it runs and what its sessions do. */
export interface BotProfile {
  readonly sessionsPerVisit: number;
  /** Seconds between the starts of a visit's sessions: a fixed part plus an exponential mean. */
  readonly sessionGap: readonly [number, number];
  readonly clients: readonly (readonly [ClientFingerprint, number])[];
  readonly sessions: readonly (readonly [SessionKind, number])[];
}

// Weights reproduce the reference sensor's session patterns: 46% connect-version-kex-failed-
// closed, 27% a login with one command, 9% bare TCP connects, 15% banner or kex grabs, and a
// tail of uploads, key attempts, tunnels and interactive shells. The Go sprayer revisits
// every ~6.5 s, as the busiest sources there did.
export const GO_SPRAYER: BotProfile = {
  sessionsPerVisit: 8,
  sessionGap: [5.8, 0.8],
  clients: [[GO_CURVE25519, 491], [GO_LEGACY_CIPHERS, 97], [GO_GROUP_EXCHANGE, 34], [GO_MLKEM, 34]],
  sessions: [["login-failed", 58], ["login-recon", 35], ["kex-probe", 5], ["tcp-probe", 2]],
};

export const SCANNER: BotProfile = {
  sessionsPerVisit: 1.6,
  sessionGap: [0.5, 3],
  clients: [[ZGRAB, 5], [OPENSSH_KEYSCAN, 6], [OPENSSH_10, 10]],
  sessions: [["tcp-probe", 45], ["banner-probe", 33], ["kex-probe", 22]],
};

export const SCRIPTED_CLIENT: BotProfile = {
  sessionsPerVisit: 2,
  sessionGap: [1, 4],
  clients: [[PARAMIKO, 2], [LIBSSH2, 4], [LIBSSH, 2], [OPENSSH_8, 1], [OPENSSH_9_UBUNTU, 3]],
  sessions: [
    ["login-failed", 42], ["login-recon", 36], ["sftp-upload", 8], ["pubkey-attempt", 5],
    ["tunnel-probe", 4], ["interactive", 5],
  ],
};

export const BOTS: readonly (readonly [BotProfile, number])[] = [[GO_SPRAYER, 41], [SCANNER, 48], [SCRIPTED_CLIENT, 11]];

export const BRUTE_FORCE_CLIENTS: readonly (readonly [ClientFingerprint, number])[] = [[LIBSSH, 4], [PARAMIKO, 2], [GO_CURVE25519, 3], [LIBSSH2, 2]];
export const HUMAN_CLIENTS: readonly (readonly [ClientFingerprint, number])[] = [[OPENSSH_8, 2], [OPENSSH_9_UBUNTU, 3], [OPENSSH_10, 2]];
