import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as http from "node:http";
import * as os from "node:os";
import * as path from "node:path";
import { InfluxHttpClient } from "../../../src/delivery/influx/influx-http-client";
import { SpooledInfluxWriter } from "../../../src/delivery/influx/spooled-influx-writer";

describe("InfluxHttpClient", () => {
  let server: http.Server;
  let dir: string;
  const requests: string[] = [];
  beforeEach(async () => {
    requests.length = 0;
    server = http.createServer((request) => requests.push(`${request.method} ${request.url}`)); // answers nothing
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "honeyflow-influx-client-"));
  });
  afterEach(() => {
    server.closeAllConnections();
    server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("stops at once while CREATE DATABASE is unanswered, and the point waits in the spool for the next writer", async () => {
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const client = new InfluxHttpClient({ url, database: "honeyflow", createDatabase: true, timeoutMs: 60_000 });
    const writer = new SpooledInfluxWriter({ dir, target: client, flushIntervalMs: 1 });
    writer.accept({ measurement: "m", fields: { v: 1 }, timestamp: 1_700_000_000_000 });
    while (!requests.some((r) => r.startsWith("POST /query"))) await new Promise((resolve) => setTimeout(resolve, 10));

    const stopped = await Promise.race([
      writer.close().then(() => "stopped"),
      new Promise((resolve) => setTimeout(resolve, 2000, "still waiting for CREATE DATABASE")),
    ]);
    client.close();
    assert.equal(stopped, "stopped");
    const next = new SpooledInfluxWriter({ dir, target: { write: async () => ({ kind: "unavailable", reason: "down" }) } });
    assert.equal(next.stats.queued, 1);
    await next.close();
  });

  it("answers unavailable when a server streams an answer without end, or a byte at a time, holding little of it", async () => {
    const answerWithoutEnd = (bytes: number) => {
      server.removeAllListeners("request");
      server.on("request", (_request, response: http.ServerResponse) => {
        response.writeHead(502);
        const stream = setInterval(() => response.write(Buffer.alloc(bytes, "x")), 5);
        response.on("close", () => clearInterval(stream));
      });
    };
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const client = new InfluxHttpClient({ url, database: "honeyflow", createDatabase: false, timeoutMs: 500 });
    for (const bytes of [64 * 1024, 1]) {
      answerWithoutEnd(bytes);
      const outcome = await Promise.race([
        client.write("m v=1 1700000000000"),
        new Promise<{ kind: string }>((resolve) => setTimeout(resolve, 2000, { kind: `still reading ${bytes} bytes at a time` })),
      ]);
      assert.equal(outcome.kind, "unavailable");
    }
    client.close();
  });
});
