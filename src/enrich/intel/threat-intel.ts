/**
 * The threat-intel services a user has keyed, asked together without ever holding a message
 * back: `enrich` adds what the caches already know, starts lookups for what they do not, and
 * is called back when a verdict arrives, with the ids of the alerts that were waiting for it (an
 * alert goes out at once; the dashboard and Slack update it when its intel arrives).
 *
 *     const intel = new ThreatIntel({ abuseipdb: { apiKey } }, (late) => send(late));
 *     intel.known("203.0.113.7", "alert-id");  // {} now; later `late` = { src_ip, ids: ["alert-id"], intel: { abuseipdb: {...} } }
 */
import { canonicalIpAddress } from "../../clean/canonical-ip-address";
import { LruMap } from "../../collections/lru-map";
import { IntelSourceClient, type IntelSourceOptions } from "./intel-source-client";
import { abuseIpdb, alienVaultOtx, greyNoise, type IntelService } from "./intel-services";
import type { IntelSourceName, IntelVerdicts } from "./intel-verdicts";

export type ThreatIntelOptions = Partial<Record<IntelSourceName, IntelSourceOptions>>;

export interface LateIntel {
  src_ip: string;
  /** The ids of the messages (alerts) that went on without this verdict. */
  ids: string[];
  intel: IntelVerdicts;
}

const SERVICES: Record<IntelSourceName, IntelService<unknown>> = { abuseipdb: abuseIpdb, greynoise: greyNoise, otx: alienVaultOtx };
// An address that many alerts wait on is a campaign; the first few ids are enough to update them.
const MAX_WAITING_IDS = 16;

export class ThreatIntel {
  readonly clients: Array<IntelSourceClient<unknown>> = [];
  /** Per address with lookups in flight: the ids waiting for them and how many lookups are left. */
  private readonly waiting = new LruMap<string, { ids: string[]; lookups: number }>(4096);

  constructor(options: ThreatIntelOptions, private readonly onLateIntel: (late: LateIntel) => void) {
    for (const name of Object.keys(SERVICES) as IntelSourceName[]) {
      const sourceOptions = options[name];
      if (sourceOptions?.apiKey) this.clients.push(new IntelSourceClient(SERVICES[name], sourceOptions));
    }
  }

  get enabled(): boolean {
    return this.clients.length > 0;
  }

  /** Abandons every lookup in flight; nothing is reported late after this. */
  close(): void {
    for (const client of this.clients) client.close();
  }

  /**
   * What the caches know about `address` now; lookups start for the rest, reported later for
   * `id`. The address is taken in its canonical form, so that each spelling of one address
   * (IPv4-mapped IPv6, upper-case IPv6) is one cache entry and one request of the quota.
   */
  known(address: string, id?: string): IntelVerdicts {
    const intel: Record<string, unknown> = {};
    const ip = canonicalIpAddress(address);
    if (ip === undefined) return intel as IntelVerdicts;
    for (const client of this.clients) {
      const verdict = client.cached(ip);
      if (verdict !== undefined) {
        intel[client.name] = verdict;
      } else if (client.accepts(ip)) {
        const waiting = this.waiting.get(ip) ?? { ids: [], lookups: 0 };
        this.waiting.set(ip, waiting);
        if (id !== undefined && !waiting.ids.includes(id) && waiting.ids.length < MAX_WAITING_IDS) waiting.ids.push(id);
        if (client.asking(ip)) continue; // its answer will name this id too
        waiting.lookups += 1;
        void client.lookUp(ip).then((late) => {
          waiting.lookups -= 1;
          if (waiting.lookups === 0 && this.waiting.get(ip) === waiting) this.waiting.delete(ip);
          if (late !== undefined) this.onLateIntel({ src_ip: ip, ids: [...waiting.ids], intel: { [client.name]: late } });
        });
      }
    }
    return intel as IntelVerdicts;
  }
}
