/**
 * A real HTTP server on 127.0.0.1 standing in for AbuseIPDB, GreyNoise Community and AlienVault
 * OTX at once: it answers each service's path with that service's documented response shape, or
 * with what a test asks for next (a 429 with Retry-After, a 5xx, a hang, a trickled body, hostile
 * JSON). Every request is recorded with its path and headers.
 *
 *     const standIn = await IntelServiceStandIn.start();
 *     standIn.next(() => ({ status: 429, headers: { "Retry-After": "2" } }));
 *     new IntelSourceClient(abuseIpdb, { apiKey: "k", baseUrl: standIn.url });
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";

export interface StandInReply {
  status?: number;
  headers?: Record<string, string>;
  /** A value sent as JSON, or a string sent as it is. */
  body?: unknown;
  /** Send nothing at all: the connection stays open until the server closes. */
  hang?: boolean;
  /** Send the headers, then one byte of the body every this many ms. */
  trickleMs?: number;
}

export interface RecordedRequest {
  path: string;
  headers: http.IncomingHttpHeaders;
}

/** Documented answers, for an address each service knows. */
export function documentedReply(path: string): StandInReply {
  const ip = decodeURIComponent(/ipAddress=([^&]+)/.exec(path)?.[1] ?? /\/(?:community|IPv4)\/([^/]+)/.exec(path)?.[1] ?? "");
  if (path.startsWith("/api/v2/check")) {
    return { headers: { "X-RateLimit-Limit": "1000", "X-RateLimit-Remaining": "998" }, body: { data: {
      ipAddress: ip, isPublic: true, ipVersion: 4, isWhitelisted: false, abuseConfidenceScore: 100, countryCode: "NL",
      usageType: "Data Center/Web Hosting/Transit", isp: "DigitalOcean LLC", domain: "digitalocean.com", hostnames: [],
      isTor: false, totalReports: 312, numDistinctUsers: 87, lastReportedAt: "2026-06-17T19:51:40+00:00" } } };
  }
  if (path.startsWith("/v3/community/")) {
    if (ip.endsWith(".99")) {
      return { status: 404, body: { ip, noise: false, riot: false, message: "IP not observed scanning the internet or contained in RIOT data set." } };
    }
    return { body: { ip, noise: true, riot: false, classification: "malicious", name: "unknown", link: `https://viz.greynoise.io/ip/${ip}`,
      last_seen: "2026-06-16", message: "Success" } };
  }
  if (path.startsWith("/api/v1/indicators/IPv4/")) {
    return { body: { indicator: ip, type: "IPv4", reputation: 0, asn: "AS14061 digitalocean, llc", country_code2: "NL",
      pulse_info: { count: 7, pulses: [{ id: "a1", name: "SSH brute force - Cowrie" }, { id: "a2", name: "Mirai scanners" }], references: [], related: {} },
      sections: ["general", "geo", "reputation", "url_list", "passive_dns", "malware"] } };
  }
  return { status: 404, body: { error: "not found" } };
}

export class IntelServiceStandIn {
  readonly requests: RecordedRequest[] = [];
  private readonly queued: Array<(path: string) => StandInReply> = [];
  private always: ((path: string) => StandInReply) | undefined;
  private readonly open = new Set<http.ServerResponse>();

  private constructor(private readonly server: http.Server) {}

  static async start(): Promise<IntelServiceStandIn> {
    const server = http.createServer();
    const standIn = new IntelServiceStandIn(server);
    server.on("request", (req, res) => standIn.answer(req, res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return standIn;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Requests whose connection is still open (a hang, a trickle, or an answer not yet read). */
  get openReplies(): number {
    return this.open.size;
  }

  /** The next request gets this reply (replies queue up in order). */
  next(reply: (path: string) => StandInReply): void {
    this.queued.push(reply);
  }

  /** Every request from now on gets this reply; undefined for the documented answers again. */
  answerAlways(reply: ((path: string) => StandInReply) | undefined): void {
    this.always = reply;
  }

  async stop(): Promise<void> {
    for (const res of this.open) res.destroy();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private answer(req: http.IncomingMessage, res: http.ServerResponse): void {
    const path = req.url ?? "/";
    this.requests.push({ path, headers: req.headers });
    const reply = (this.queued.shift() ?? this.always ?? documentedReply)(path);
    this.open.add(res);
    res.on("close", () => this.open.delete(res));
    if (reply.hang) return;
    const body = typeof reply.body === "string" ? reply.body : reply.body === undefined ? "" : JSON.stringify(reply.body);
    res.writeHead(reply.status ?? 200, { "Content-Type": "application/json", ...reply.headers });
    if (reply.trickleMs === undefined) {
      res.end(body);
      return;
    }
    let at = 0;
    const timer = setInterval(() => {
      if (at >= body.length || res.destroyed) {
        clearInterval(timer);
        res.end();
        return;
      }
      res.write(body[at++]);
    }, reply.trickleMs);
    res.on("close", () => clearInterval(timer));
  }
}
