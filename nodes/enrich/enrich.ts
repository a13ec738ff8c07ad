/**
 * `enrich`: adds `payload.src_geo` (country, city, network) to any message whose payload has a
 * `src_ip`, from offline databases, and `payload.intel` from the threat-intel services whose keys
 * are set. Nothing is held back for intel: the message goes on with what is cached, and the
 * verdicts that arrive later go out on the second output with the alert id that waited. A thin
 * adapter over src/enrich.
 */
import type { Node, NodeAPI, NodeDef, NodeMessage } from "node-red";
import { OfflineGeoLookup } from "../../src/enrich/offline-geo-lookup";
import { ThreatIntel, type LateIntel, type ThreatIntelOptions } from "../../src/enrich/intel/threat-intel";
import type { IntelSourceName } from "../../src/enrich/intel/intel-verdicts";
import { optionalNumber, positiveCount, positiveNumber, timerMs } from "../kit/editor-number";
import { settingOrDefault } from "../kit/environment-setting";
import { ThrottledStatus } from "../kit/throttled-status";
import { countText } from "../kit/status-counts";
import { logQuote } from "../kit/log-quote";
import { WarningThrottle } from "../kit/warning-throttle";

type Setting = string | undefined;
interface EnrichConfig extends NodeDef {
  geoDatabase: Setting;
  asnDatabase: Setting;
  cacheSize: Setting;
  /** Ask the intel services about alerts only (payload.id set), or about every message. */
  intelFor: "alerts" | "all";
  intelTtlHours: Setting;
  intelTimeoutSeconds: Setting;
  abuseipdbUrl: Setting; greynoiseUrl: Setting; otxUrl: Setting;
  abuseipdbLimit: Setting; greynoiseLimit: Setting; otxLimit: Setting;
}
interface EnrichCredentials {
  abuseipdbKey?: string; greynoiseKey?: string; otxKey?: string;
}
type Payload = Record<string, unknown> & { src_ip?: unknown; id?: unknown };

export = function register(RED: NodeAPI): void {
  function EnrichNode(this: Node<EnrichCredentials>, config: EnrichConfig) {
    RED.nodes.createNode(this, config);
    const node = this;
    let geo: OfflineGeoLookup | undefined;
    let geoError = "";
    let closed = false;
    const warnings = new WarningThrottle(60_000, (text) => node.warn(text));

    const intelOptions = (name: IntelSourceName, key: string | undefined, baseUrl: Setting, limit: Setting): ThreatIntelOptions => (key ? { [name]: {
      apiKey: key, baseUrl: settingOrDefault(baseUrl, "") || undefined,
      ttlMs: positiveNumber(config.intelTtlHours, 24) * 3_600_000, timeoutMs: timerMs(config.intelTimeoutSeconds, 5),
      quota: { limit: optionalNumber(limit) },
    } } : {});
    const credentials = node.credentials ?? {};
    const intel = new ThreatIntel({
      ...intelOptions("abuseipdb", credentials.abuseipdbKey, config.abuseipdbUrl, config.abuseipdbLimit),
      ...intelOptions("greynoise", credentials.greynoiseKey, config.greynoiseUrl, config.greynoiseLimit),
      ...intelOptions("otx", credentials.otxKey, config.otxUrl, config.otxLimit),
    }, (late) => sendLate(late));

    const status = new ThrottledStatus(node, () => {
      if (geoError) return { fill: "red", shape: "ring", text: RED._("enrich.status.noDatabase") };
      if (!geo) return { fill: "grey", shape: "ring", text: RED._("enrich.status.loading") };
      const left = intel.clients.map((client) => `${client.name} ${client.circuit === "open" ? RED._("enrich.status.down") : countText(client.callsLeft)}`).join(" · ");
      // Before its first lookup a hit rate says nothing: "0% cached" read as a cache that failed.
      if (geo.lookups === 0) return { fill: "green", shape: "dot", text: RED._(left ? "enrich.status.readyWithIntel" : "enrich.status.ready", { left }) };
      const hitRate = Math.round((100 * geo.cacheHits) / geo.lookups);
      return { fill: "green", shape: "dot", text: RED._(left ? "enrich.status.withIntel" : "enrich.status.offline", { lookups: countText(geo.lookups), hitRate, left }) };
    });
    status.now();

    const opening = OfflineGeoLookup.open({ geoDatabase: config.geoDatabase, asnDatabase: config.asnDatabase, cacheSize: positiveCount(config.cacheSize, 65_536) })
      .then((lookup) => {
        geo = lookup;
      }, (err: Error) => {
        geoError = err.message;
        node.error(RED._("enrich.error.database", { error: geoError }));
      })
      .finally(() => status.now());
    // A status that counts intel calls left changes by the clock too (a new day, a circuit closing).
    const redraw = setInterval(() => status.soon(), 30_000);

    function sendLate(late: LateIntel) {
      if (closed) return;
      const messages: NodeMessage[] = (late.ids.length > 0 ? late.ids : [undefined]).map((id) => ({
        topic: id ?? late.src_ip, payload: { ...(id !== undefined ? { id } : {}), src_ip: late.src_ip, intel: late.intel },
      }));
      node.send([null, messages]);
      status.soon();
    }

    /** Where `srcIp` is; null when a database could not answer (a damaged record), which a warning names. */
    function placed(srcIp: string) {
      try {
        return geo?.lookup(srcIp);
      } catch (err) {
        warnings.warn(RED._("enrich.warn.lookupFailed", { error: (err as Error).message }));
        return null;
      }
    }

    node.on("input", (msg, send, done) => {
      const enrich = () => {
        try {
          const payload = msg.payload as Payload | null;
          const srcIp = typeof payload === "object" && payload !== null ? payload.src_ip : undefined;
          if (payload && typeof srcIp === "string" && srcIp !== "") {
            const where = placed(srcIp);
            if (where) payload.src_geo = where;
            else if (where === undefined && geo) warnings.warn(RED._("enrich.warn.notAnAddress", { ip: logQuote(srcIp) }));
            if (geoError) warnings.warn(RED._("enrich.error.database", { error: geoError }));
            const id = typeof payload.id === "string" ? payload.id : undefined;
            if (where && !where.special_use && intel.enabled && (config.intelFor === "all" || id !== undefined)) {
              const known = intel.known(srcIp, id);
              if (Object.keys(known).length > 0) payload.intel = known;
            }
          }
          send([msg, null]);
          status.soon();
          done();
        } catch (err) {
          done(err as Error); // a payload that cannot take a property (frozen, a proxy...): reported, the node goes on
        }
      };
      // Only while the databases load: the messages wait in order, then go on enriched.
      if (!geo && !geoError) void opening.then(enrich);
      else enrich();
    });

    node.on("close", (_removed: boolean, done: () => void) => {
      closed = true;
      intel.close();
      clearInterval(redraw);
      status.stop();
      done();
    });
  }

  RED.nodes.registerType<Node<EnrichCredentials>, EnrichConfig, unknown, EnrichCredentials>("honeyflow-enrich", EnrichNode, {
    credentials: { abuseipdbKey: { type: "password" }, greynoiseKey: { type: "password" }, otxKey: { type: "password" } },
  });
};
