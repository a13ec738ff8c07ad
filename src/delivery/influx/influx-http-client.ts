/**
 * Writes line protocol to one InfluxDB 1.x database over HTTP and sorts every answer into what
 * the caller must do next: nothing (written), drop the points (rejected: InfluxDB says they are
 * bad, sending them again will not help), or keep them and retry later (unavailable: InfluxDB is
 * down, overloaded, misconfigured or the database is missing).
 *
 *     const client = new InfluxHttpClient({ url: "http://127.0.0.1:8086", database: "honeyflow", createDatabase: true });
 *     await client.write("cpu value=1 1700000000000"); // { kind: "written" }
 *     client.close();
 *
 * Writes are `POST /write?db=&rp=&precision=ms` with basic auth, built here because the caller
 * encodes its own lines (line-protocol.ts); `CREATE DATABASE` goes through the `influx` package.
 * One keep-alive agent per client: the `influxdb` config node owns the client and shares it.
 */
import * as http from "node:http";
import * as https from "node:https";
import { InfluxDB } from "influx";

export interface InfluxConnection {
  /** e.g. http://127.0.0.1:8086, or https://host/influx behind a reverse proxy. */
  url: string;
  database: string;
  retentionPolicy?: string;
  username?: string;
  password?: string;
  /** Run CREATE DATABASE before the first write and after InfluxDB says the database is missing. */
  createDatabase: boolean;
  /** Per request; a hung server counts as unavailable. Default 10 s. */
  timeoutMs?: number;
}

/** The most of an answer's body read; InfluxDB's errors are a line of JSON. */
const MAX_ANSWER_BYTES = 64 * 1024;

export type WriteOutcome =
  | { kind: "written" }
  | { kind: "rejected"; reason: string }
  | { kind: "unavailable"; reason: string };

export class InfluxHttpClient {
  private readonly base: URL;
  private readonly timeoutMs: number;
  private agent: http.Agent | undefined;
  private databaseReady: boolean;

  constructor(private readonly connection: InfluxConnection) {
    this.base = new URL(connection.url);
    if (this.base.protocol !== "http:" && this.base.protocol !== "https:") {
      throw new Error(`the InfluxDB URL must start with http:// or https://, not ${this.base.protocol}`);
    }
    this.timeoutMs = connection.timeoutMs ?? 10_000;
    this.databaseReady = !connection.createDatabase;
  }

  /** Where points go, for status and log lines: `<url> db=<database>[ rp=<policy>]`. */
  get target(): string {
    const rp = this.connection.retentionPolicy ? ` rp=${this.connection.retentionPolicy}` : "";
    return `${this.base.origin}${this.basePath} db=${this.connection.database}${rp}`;
  }

  async write(lines: string, signal?: AbortSignal): Promise<WriteOutcome> {
    // The `influx` package takes no signal: a stop must not wait out an unanswered CREATE DATABASE.
    const createFailure = this.databaseReady ? undefined : await untilAborted(this.createDatabase(), signal);
    if (signal?.aborted) return { kind: "unavailable", reason: "stopped" };
    const query = new URLSearchParams({ db: this.connection.database, precision: "ms" });
    if (this.connection.retentionPolicy) query.set("rp", this.connection.retentionPolicy);
    let response: { status: number; body: string; fromInfluxdb: boolean };
    try {
      response = await this.post(`${this.basePath}/write?${query}`, lines, signal);
    } catch (err) {
      return { kind: "unavailable", reason: (err as Error).message };
    }
    const { status, body, fromInfluxdb } = response;
    // InfluxDB answers a write with 204 and nothing else; a 200 is some other server (a web page at
    // a wrong URL) that stored nothing, and the points must wait until the URL is put right.
    if (status === 204) return { kind: "written" };
    const reason = status === 200 ? `200 (not InfluxDB, which answers 204): ${errorText(body)}` : `${status}: ${errorText(body)}`;
    // 400 from InfluxDB itself: a point that does not parse, a field type conflict, a point outside
    // the retention policy; 413: the request is over a body size limit. Either way it is the
    // points, not the server. A 400 from something else (a proxy) says nothing about the points.
    if ((status === 400 && fromInfluxdb) || status === 413) return { kind: "rejected", reason };
    if (status === 404 && /database not found/.test(body)) {
      this.databaseReady = !this.connection.createDatabase;
      return { kind: "unavailable", reason: createFailure ? `${reason} (CREATE DATABASE failed: ${createFailure})` : reason };
    }
    return { kind: "unavailable", reason };
  }

  /** Closes idle keep-alive sockets; the next write opens new ones. */
  close(): void {
    this.agent?.destroy();
    this.agent = undefined;
  }

  private get basePath(): string {
    return this.base.pathname.replace(/\/+$/, "");
  }

  private get httpAgent(): http.Agent {
    this.agent ??= this.base.protocol === "https:" ? new https.Agent({ keepAlive: true }) : new http.Agent({ keepAlive: true });
    return this.agent;
  }

  /** Undefined when the database is there; otherwise why CREATE DATABASE failed (the write then says more). */
  private async createDatabase(): Promise<string | undefined> {
    const influx = new InfluxDB({
      host: this.base.hostname.replace(/^\[|\]$/g, ""),
      port: Number(this.base.port) || (this.base.protocol === "https:" ? 443 : 80),
      protocol: this.base.protocol === "https:" ? "https" : "http",
      path: this.basePath,
      username: this.connection.username ?? "",
      password: this.connection.password ?? "",
      options: { agent: this.httpAgent },
      pool: { maxRetries: 0, requestTimeout: this.timeoutMs },
    });
    try {
      await influx.createDatabase(this.connection.database);
      this.databaseReady = true;
      return undefined;
    } catch (err) {
      return (err as Error).message;
    }
  }

  private post(pathAndQuery: string, body: string, signal?: AbortSignal): Promise<{ status: number; body: string; fromInfluxdb: boolean }> {
    const transport = this.base.protocol === "https:" ? https : http;
    const headers: http.OutgoingHttpHeaders = { "Content-Type": "text/plain; charset=utf-8" };
    if (this.connection.username) {
      headers.Authorization = `Basic ${Buffer.from(`${this.connection.username}:${this.connection.password ?? ""}`).toString("base64")}`;
    }
    return new Promise((resolve, reject) => {
      const request = transport.request(
        new URL(pathAndQuery, this.base.origin),
        { method: "POST", headers, agent: this.httpAgent, timeout: this.timeoutMs, signal },
        (response) => {
          const chunks: Buffer[] = [];
          let bytes = 0;
          const answer = () => {
            clearTimeout(deadline);
            resolve({
              status: response.statusCode ?? 0,
              body: Buffer.concat(chunks).toString("utf8"),
              fromInfluxdb: response.headers["x-influxdb-version"] !== undefined,
            });
          };
          // Something else at the URL (a proxy, a file server) may answer without end, or a byte at
          // a time, never idle long enough for the timeout: InfluxDB's answers are a line of JSON.
          const cutShort = () => {
            answer();
            response.destroy();
          };
          const deadline = setTimeout(cutShort, this.timeoutMs);
          response.on("data", (chunk: Buffer) => {
            chunks.push(chunk);
            bytes += chunk.length;
            if (bytes >= MAX_ANSWER_BYTES) cutShort();
          });
          response.on("end", answer);
          response.on("error", (err) => {
            clearTimeout(deadline);
            reject(err);
          });
          response.on("close", () => clearTimeout(deadline));
        },
      );
      request.on("timeout", () => request.destroy(new Error(`no answer within ${this.timeoutMs} ms`)));
      request.on("error", reject);
      request.end(body, "utf8");
    });
  }
}

/** The promise's value, or undefined as soon as `signal` aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T | undefined> {
  if (!signal) return promise;
  return new Promise((resolve) => {
    const onAbort = () => resolve(undefined);
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    void promise.then(resolve).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

/** InfluxDB answers errors as {"error": "..."}; anything else (a proxy's HTML page) is cut short. */
function errorText(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: unknown };
    if (typeof parsed.error === "string") return parsed.error;
  } catch {
    // not JSON
  }
  return body.trim().slice(0, 200) || "(no body)";
}
