/**
 * Who visits the synthetic sensor: the kinds of bot behind background traffic (a Go
 * credential sprayer, a banner scanner, a scripted client), which clients they run and which
 * sessions they play, and the clients attack episodes pick from. A population is the mix of
 * bots of one regime; a planted regime change swaps the reference sensor's for another.
 */
import {
  ASYNCSSH, GO_CURVE25519, GO_GROUP_EXCHANGE, GO_LEGACY_CIPHERS, GO_MLKEM, LIBSSH, LIBSSH_0_9, LIBSSH2, OPENSSH_10, OPENSSH_8,
  OPENSSH_9_UBUNTU, OPENSSH_KEYSCAN, PARAMIKO, PUTTY, ZGRAB, type ClientFingerprint,
} from "./client-fingerprints";
import { BOT_COMMAND_SCRIPTS, BUSYBOX_COMMAND_SCRIPTS } from "./vocabulary";

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
  /** The command scripts its logins run; without them, a few of the commands a person types. */
  readonly commandScripts?: readonly (readonly [readonly string[], number])[];
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
  commandScripts: BOT_COMMAND_SCRIPTS,
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

/** The bots behind one regime of background traffic, and its rate against the generator's. */
export interface BotPopulation {
  readonly name: string;
  readonly bots: readonly (readonly [BotProfile, number])[];
  readonly rateFactor: number;
}

/** The reference sensor's visitors: Go credential sprayers, scanners and scripted clients. */
export const GO_SPRAYERS: BotPopulation = { name: "go-sprayers", bots: BOTS, rateFactor: 1 };

// A scanning botnet: libssh and PuTTY clients that mostly grab banners and key exchanges and
// try a few passwords now and then; the internet's usual scanners stay, the sprayers are gone.
const LIBSSH_SCANNER: BotProfile = {
  sessionsPerVisit: 3,
  sessionGap: [2, 4],
  clients: [[LIBSSH_0_9, 7], [PUTTY, 3]],
  sessions: [["kex-probe", 45], ["banner-probe", 10], ["login-failed", 35], ["tcp-probe", 10]],
};
export const LIBSSH_SCANNERS: BotPopulation = { name: "libssh-scanners", bots: [[LIBSSH_SCANNER, 70], [SCANNER, 30]], rateFactor: 0.6 };

// A Mirai-style brute-forcer: several passwords a session, and busybox shell escapes once in.
const BUSYBOX_BRUTE_FORCER: BotProfile = {
  sessionsPerVisit: 5,
  sessionGap: [3, 3],
  clients: [[ASYNCSSH, 5], [PUTTY, 2]],
  sessions: [["login-failed", 60], ["login-recon", 35], ["pubkey-attempt", 5]],
  commandScripts: BUSYBOX_COMMAND_SCRIPTS,
};
export const BUSYBOX_BRUTE_FORCERS: BotPopulation = {
  name: "busybox-brute-forcers",
  bots: [[BUSYBOX_BRUTE_FORCER, 75], [SCANNER, 25]],
  rateFactor: 1.5,
};

/** The regimes a log goes through, one planted change after another, round and round. */
export const POPULATIONS: readonly BotPopulation[] = [GO_SPRAYERS, LIBSSH_SCANNERS, BUSYBOX_BRUTE_FORCERS];

export const BRUTE_FORCE_CLIENTS: readonly (readonly [ClientFingerprint, number])[] = [[LIBSSH, 4], [PARAMIKO, 2], [GO_CURVE25519, 3], [LIBSSH2, 2]];
export const HUMAN_CLIENTS: readonly (readonly [ClientFingerprint, number])[] = [[OPENSSH_8, 2], [OPENSSH_9_UBUNTU, 3], [OPENSSH_10, 2]];
