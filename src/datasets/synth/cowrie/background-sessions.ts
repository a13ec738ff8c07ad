/**
 * Background traffic: a visit is one source running one bot for a few sessions, and each
 * session follows one of the event sequences seen on the reference sensor.
 */
import type { SeededRandom } from "../../../stats/seeded-random";
import { GO_SPRAYER, type BotProfile, type SessionKind } from "./bot-profiles";
import type { ClientFingerprint } from "./client-fingerprints";
import { acceptedCredentials, backgroundCredentials } from "./credentials";
import { seconds, type ScriptWriter, type SessionScript } from "./session-script";
import type { Visitor } from "./source-addresses";
import {
  HOSTILE_COMMANDS, SCANNER_BANNERS, TUNNEL_PROBE_TARGETS, TYPICAL_COMMANDS, UPLOADED_SSHD_DIGESTS, USERNAMES,
} from "./vocabulary";

const MAX_SESSIONS_PER_VISIT = 200;

export function scriptVisit(writer: ScriptWriter, visitor: Visitor, startUs: number): void {
  const r = writer.random;
  const { bot } = visitor;
  const sessions = Math.min(MAX_SESSIONS_PER_VISIT, 1 + Math.floor(r.exponential(bot.sessionsPerVisit - 1)));
  const client = r.pickWeighted(bot.clients);
  let startOfSession = startUs;
  for (let i = 0; i < sessions; i++) {
    scriptSession(writer, writer.open(visitor.ip, startOfSession), r.pickWeighted(bot.sessions), bot, client);
    startOfSession += seconds(bot.sessionGap[0] + r.exponential(bot.sessionGap[1]));
  }
}

export function scriptSession(
  writer: ScriptWriter,
  s: SessionScript,
  kind: SessionKind,
  bot: BotProfile,
  client: ClientFingerprint,
): void {
  const r = writer.random;
  s.connect();
  switch (kind) {
    case "tcp-probe":
      // Port scanners hang up at once, or when their own 10 s timeout expires.
      s.wait(r.chance(0.15) ? r.uniform(10, 10.4) : r.uniform(0, 0.3)).closed();
      return;
    case "banner-probe":
      s.wait(r.uniform(0.0005, 0.01)).clientVersion(scannerBanner(writer)).wait(hangUpDelay(r)).closed();
      return;
    case "kex-probe":
      s.handshake(client);
      if (r.chance(0.05)) s.wait(r.uniform(0.05, 0.2)).clientKex(client);
      s.wait(hangUpDelay(r)).closed();
      return;
    case "login-failed": {
      s.handshake(client);
      const attempts = bot === GO_SPRAYER ? 1 : r.pickWeighted([[1, 6], [2, 2], [3, 1]] as const);
      for (let i = 0; i < attempts; i++) s.wait(r.uniform(0.2, 2.5)).loginFailed(...backgroundCredentials(r));
      s.wait(hangUpDelay(r)).closed();
      return;
    }
    case "login-recon": {
      s.handshake(client);
      if (r.chance(0.08)) s.wait(r.uniform(0.2, 2)).loginFailed(...backgroundCredentials(r));
      s.wait(r.uniform(0.2, 2.5)).loginSucceeded(...acceptedCredentials(r));
      s.wait(r.uniform(0.1, 0.35)).sessionParams();
      const commands = bot.commandScripts ? r.pickWeighted(bot.commandScripts) : typicalCommands(r, 1, 5);
      for (const command of commands) s.wait(r.uniform(0.05, 0.6)).command(command);
      if (r.chance(0.01)) s.wait(r.uniform(0.1, 1)).command(r.pick(HOSTILE_COMMANDS));
      s.wait(r.uniform(0.05, 0.4)).ttyClosed().wait(r.uniform(0.001, 0.01)).closed();
      return;
    }
    case "sftp-upload": {
      s.handshake(client).wait(r.uniform(0.3, 2)).loginSucceeded(...acceptedCredentials(r));
      s.wait(r.uniform(0.5, 3)).fileUpload("sshd", r.pick(UPLOADED_SSHD_DIGESTS));
      if (r.chance(0.5)) {
        // The uploaded binary is started with a list of further targets, as on the reference sensor.
        const dir = `./.${r.integer(1e9, 9e9)}${r.integer(1e8, 9e8)}`;
        const targets = Array.from({ length: r.integer(20, 50) }, () => writer.sources.anyPublic()).join(" ");
        s.wait(r.uniform(0.1, 0.4)).sessionParams();
        s.wait(r.uniform(0.05, 0.3)).command(`chmod +x ${dir}/sshd;nohup ${dir}/sshd ${targets} &`);
        s.wait(r.uniform(0.05, 0.3)).ttyClosed();
      }
      s.wait(r.uniform(0.01, 0.3)).closed();
      return;
    }
    case "pubkey-attempt": {
      s.handshake(client);
      const attempts = r.integer(1, 2);
      for (let i = 0; i < attempts; i++) s.wait(r.uniform(0.05, 0.2)).publicKeyRejected(r.chance(0.8) ? "root" : r.pickWeighted(USERNAMES));
      s.wait(hangUpDelay(r)).closed();
      return;
    }
    case "tunnel-probe": {
      s.handshake(client).wait(r.uniform(0.2, 2)).loginSucceeded(...acceptedCredentials(r));
      const [host, port] = r.pick(TUNNEL_PROBE_TARGETS);
      s.wait(r.uniform(0.05, 0.3)).directTcpipRequest(host, port);
      if (port === 443 && r.chance(0.6)) s.wait(r.uniform(0.1, 0.4)).directTcpipJa4(host, port);
      s.wait(r.uniform(0.1, 2)).closed();
      return;
    }
    case "interactive": {
      // A person typing: seconds between commands, a terminal size and locale first.
      s.handshake(client).wait(r.uniform(2, 8)).loginSucceeded(...acceptedCredentials(r));
      s.wait(r.uniform(0.2, 0.5)).terminal().wait(r.uniform(0.001, 0.003)).sessionParams();
      for (const command of typicalCommands(r, 3, 8)) s.wait(r.uniform(2, 15)).command(command);
      s.wait(r.uniform(1, 5)).ttyClosed().wait(r.uniform(0.001, 0.01)).closed();
      return;
    }
  }
}

/** Most clients hang up at once; some idle until Cowrie's 120 s auth timeout or longer. */
function hangUpDelay(r: SeededRandom): number {
  if (r.chance(0.03)) return r.uniform(120, 121);
  if (r.chance(0.015)) return r.uniform(300, 304);
  return r.uniform(0.05, 0.5);
}

function scannerBanner(writer: ScriptWriter): string {
  const r = writer.random;
  // masscan-style grabbers announce the address they scanned.
  if (r.chance(0.06)) return `MGLNDD_${writer.sensor.publicIp}_22`;
  const banner = r.pickWeighted(SCANNER_BANNERS);
  if (!banner.startsWith("\u0016")) return banner;
  // A TLS ClientHello sent to the SSH port: Cowrie logs its bytes, escaped or raw.
  let hello = banner;
  for (let i = 0; i < r.integer(8, 40); i++) {
    hello += r.chance(0.5) ? `\\x${r.hex(2)}` : String.fromCharCode(r.integer(0, 126));
  }
  return hello;
}

function typicalCommands(r: SeededRandom, min: number, max: number): string[] {
  return r.shuffled(TYPICAL_COMMANDS).slice(0, r.integer(min, max));
}

