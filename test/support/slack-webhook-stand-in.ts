/**
 * A real HTTP server on 127.0.0.1 standing in for a Slack incoming webhook: it keeps every POST's
 * body and answers each with the next scripted answer (200 "ok" when the script runs out).
 *
 *     const slack = new SlackWebhookStandIn();
 *     const url = await slack.listen();
 *     slack.answer({ status: 429, headers: { "Retry-After": "1" }, body: "rate_limited" });
 *     // ... later: slack.bodies (as sent), slack.received (parsed)
 *     await slack.close();
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";

export interface SlackAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export class SlackWebhookStandIn {
  /** Each POST's body, as sent. */
  readonly bodies: string[] = [];
  private readonly script: SlackAnswer[] = [];
  private readonly server = http.createServer((request, response) => {
    let body = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => (body += chunk));
    request.on("end", () => {
      this.bodies.push(body);
      const answer = this.script.shift() ?? { status: 200, body: "ok" };
      response.writeHead(answer.status, { "Content-Type": "text/plain", ...answer.headers });
      response.end(answer.body ?? "");
    });
  });

  /** Each POST's body, parsed. */
  get received(): unknown[] {
    return this.bodies.map((body) => JSON.parse(body) as unknown);
  }

  /** Listens (on a free port unless given one) and answers the webhook's URL. */
  async listen(port = 0): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(port, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/services/T000/B000/XXXX`;
  }

  answer(...answers: SlackAnswer[]): void {
    this.script.push(...answers);
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
