/**
 * One GET to a JSON API that cannot hang or flood the flow: a deadline for the whole exchange
 * (connect, headers and body, since a server can send its headers and then trickle the body), a
 * cap on the body's size (read no further, and fail), and JSON that does not parse read as absent
 * rather than thrown. Uses Node's own fetch.
 *
 *     const reply = await boundedJsonRequest("https://api.example/v1/x", { headers: { Key: key }, timeoutMs: 5000, maxBytes: 1 << 20 });
 *     reply.status; reply.body;  // 200, the parsed JSON (or undefined)
 */

export interface BoundedRequestOptions {
  headers: Record<string, string>;
  timeoutMs: number;
  maxBytes: number;
  /** Aborts the exchange before its deadline: the caller was closed. */
  signal?: AbortSignal;
}

export interface JsonReply {
  status: number;
  headers: Headers;
  /** The parsed body; undefined when it was empty or not JSON. */
  body: unknown;
}

export class RequestFailed extends Error {
  override readonly name = "RequestFailed";
}

export async function boundedJsonRequest(url: string, options: BoundedRequestOptions): Promise<JsonReply> {
  // One controller for the deadline and the caller's abort. AbortSignal.any would do, but Node 20
  // keeps each signal it makes inside its sources until they abort: a caller's long-lived signal would leak.
  const controller = new AbortController();
  const deadline = setTimeout(() => controller.abort(), options.timeoutMs);
  const abandon = () => controller.abort();
  options.signal?.addEventListener("abort", abandon);
  try {
    return await exchange(url, options, controller.signal, () => controller.signal.aborted && !options.signal?.aborted);
  } finally {
    clearTimeout(deadline);
    options.signal?.removeEventListener("abort", abandon);
  }
}

async function exchange(url: string, options: BoundedRequestOptions, signal: AbortSignal, timedOut: () => boolean): Promise<JsonReply> {
  let response: Response;
  try {
    response = await fetch(url, { headers: options.headers, signal, redirect: "error" });
  } catch (err) {
    throw new RequestFailed(timedOut() ? `no answer within ${options.timeoutMs} ms` : `request failed: ${(err as Error).message}`);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    if (response.body) {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        size += chunk.byteLength;
        if (size > options.maxBytes) {
          await response.body.cancel().catch(() => undefined);
          throw new RequestFailed(`the answer is over ${options.maxBytes} bytes`);
        }
        chunks.push(chunk);
      }
    }
  } catch (err) {
    if (err instanceof RequestFailed) throw err;
    throw new RequestFailed(timedOut() ? `no complete answer within ${options.timeoutMs} ms` : `reading the answer failed: ${(err as Error).message}`);
  }
  let body: unknown;
  try {
    body = size === 0 ? undefined : JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    body = undefined;
  }
  return { status: response.status, headers: response.headers, body };
}

/** A Retry-After header (seconds, or an HTTP date) as epoch milliseconds, or undefined. */
export function retryAfterMs(header: string | null, now: number): number | undefined {
  if (header === null || header.trim() === "") return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return now + seconds * 1000;
  const date = Date.parse(header);
  return Number.isFinite(date) ? date : undefined;
}
