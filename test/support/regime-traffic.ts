/**
 * Synthetic traffic for regime drift's tests: minutes of sources, each running a kind of bot
 * drawn from the population of that minute, as cleaned events in time order.
 */
import type { RegimeEvent } from "../../src/drift/regime-drift";
import { SeededRandom } from "../../src/stats/seeded-random";

const MINUTE = 60_000;
export const START = Date.UTC(2026, 2, 18);

/** What a kind of bot does in a minute: the events of its sessions and the client it announces. */
export interface Bot {
  events: string[];
  client?: string;
  hassh?: string;
}
const SPRAYER: Bot = { events: ["cowrie.session.connect", "cowrie.client.version", "cowrie.client.kex", "cowrie.login.failed", "cowrie.session.closed"], client: "SSH-2.0-Go", hassh: "0a07" };
const RECON: Bot = { ...SPRAYER, events: [...SPRAYER.events, "cowrie.login.success", "cowrie.command.input"] };
const PROBE: Bot = { events: ["cowrie.session.connect", "cowrie.session.closed"] };
const BANNER: Bot = { events: ["cowrie.session.connect", "cowrie.client.version", "cowrie.session.closed"], client: "SSH-2.0-ZGrab ZGrab SSH Survey" };
const LIBSSH: Bot = { events: ["cowrie.session.connect", "cowrie.client.version", "cowrie.client.kex", "cowrie.session.closed"], client: "SSH-2.0-libssh_0.9.6", hassh: "eb77" };
export const OLD_POPULATION: [Bot, number][] = [[SPRAYER, 45], [RECON, 15], [PROBE, 25], [BANNER, 15]];
export const NEW_POPULATION: [Bot, number][] = [[LIBSSH, 60], [PROBE, 30], [BANNER, 10]];

/**
 * Minutes of traffic: each minute `sources(minute)` sources, each running a bot drawn from the
 * population of that minute, its events spread over the minute.
 */
export function* traffic(seed: string, minutes: number, population: (minute: number) => [Bot, number][], sources: (minute: number) => number = () => 30) {
  const random = new SeededRandom(seed);
  let address = 0;
  for (let minute = 0; minute < minutes; minute++) {
    const events: RegimeEvent[] = [];
    for (let s = 0; s < sources(minute); s++) {
      const bot = random.pickWeighted(population(minute));
      address += 1;
      const src_ip = `198.18.${(address >> 8) & 255}.${address & 255}`;
      for (const eventid of bot.events) {
        events.push({
          time_ms: START + minute * MINUTE + random.uniform(0, MINUTE - 1), src_ip, eventid, protocol: "ssh",
          ...(eventid === "cowrie.client.version" ? { client_version: bot.client } : {}),
          ...(eventid === "cowrie.client.kex" ? { hassh: bot.hassh } : {}),
        });
      }
    }
    yield* events.sort((a, b) => a.time_ms - b.time_ms);
  }
}

