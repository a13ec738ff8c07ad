/**
 * Posts messages to a Slack incoming webhook one at a time, in order, through outages and rate
 * limits, holding at most `capacity` messages meanwhile.
 *
 * - 2xx: delivered.
 * - 429: Slack's rate limit (about one message per second per webhook); wait `Retry-After`
 *   seconds (1 when absent), and at least the backoff below, and post the same message again.
 * - 5xx, a timeout or a network error: Slack or the way to it is down; retry the same message
 *   after an exponential backoff (1 s doubling to 60 s by default).
 * - 3xx: not Slack answering (a proxy or captive portal); not followed, dropped and reported.
 * - other 4xx: the message or the webhook is wrong (400 invalid_payload, 403, 404 no_service,
 *   410 channel_is_archived) and retrying cannot help; it is dropped and reported.
 *
 * When the queue is full the oldest waiting message is dropped and counted.
 *
 *     const slack = new SlackWebhookDelivery({ url, onDropped: (reason) => console.warn(reason) });
 *     slack.send(slackMessage(alert));
 */
import { BoundedQueue } from "../../collections/bounded-queue";
import { DrainSignal } from "../drain-signal";

export interface SlackWebhookDeliveryOptions {
  url: string;
  /** Messages held while Slack cannot take them; default 1000. */
  capacity?: number;
  /** First wait after a 5xx or network error; default 1000 ms. */
  backoffBaseMs?: number;
  /** Longest wait after repeated errors; default 60,000 ms. */
  backoffMaxMs?: number;
  /** A request that takes longer counts as a network error; default 10,000 ms. */
  requestTimeoutMs?: number;
  /** Called with the reason when Slack refuses a message for good. */
  onDropped?: (reason: string) => void;
}

type Outcome = { kind: "delivered" } | { kind: "refused"; reason: string } | { kind: "retry"; afterMs: number };

// Slack asks for seconds to minutes; an absurd Retry-After must not park alerts for days.
const MAX_RETRY_AFTER_MS = 3_600_000;

export class SlackWebhookDelivery {
  delivered = 0;
  /** Messages refused for good: a 4xx other than 429, or a redirect. */
  refused = 0;
  /** Retries after a 429, a 5xx or a network error. */
  retries = 0;
  private readonly waiting: BoundedQueue<string>;
  /** The message being posted or waiting for its retry; it is never dropped for a newer one. */
  private current: string | undefined;
  private readonly backoffBaseMs: number;
  private readonly backoffMaxMs: number;
  private readonly requestTimeoutMs: number;
  private failures = 0;
  private closed = false;
  private running = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private wakeRetry: (() => void) | undefined;
  private readonly abort = new AbortController();
  private readonly drained = new DrainSignal();

  constructor(private readonly options: SlackWebhookDeliveryOptions) {
    if (!/^https?:\/\//i.test(options.url)) throw new RangeError("a Slack webhook URL starts with https://");
    // fetch refuses such a URL before sending anything, every time: retried, it would hold
    // every alert behind it while the node looked merely busy.
    if (!URL.canParse(options.url)) throw new RangeError("the Slack webhook URL is not a valid URL");
    const { username, password } = new URL(options.url);
    if (username || password) throw new RangeError("the Slack webhook URL must not carry a user name or password");
    this.waiting = new BoundedQueue(options.capacity ?? 1000);
    this.backoffBaseMs = options.backoffBaseMs ?? 1000;
    this.backoffMaxMs = options.backoffMaxMs ?? 60_000;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
  }

  /** Messages not yet delivered, the one in progress included. */
  get queued(): number {
    return this.waiting.length + (this.current === undefined ? 0 : 1);
  }

  /** Messages pushed out of a full queue. */
  get dropped(): number {
    return this.waiting.dropped;
  }

  send(message: unknown): void {
    if (this.closed) return;
    this.waiting.push(JSON.stringify(message));
    void this.run();
  }

  /** Resolves once nothing is queued, or after `timeoutMs`, whichever comes first. */
  whenIdle(timeoutMs: number): Promise<void> {
    return this.drained.wait(this.queued === 0, timeoutMs);
  }

  /** Stops at once: cancels the request and any wait. Returns how many messages were not delivered. */
  close(): number {
    const undelivered = this.queued;
    this.closed = true;
    this.abort.abort();
    clearTimeout(this.retryTimer);
    this.wakeRetry?.();
    this.waiting.clear();
    this.current = undefined;
    this.drained.notify();
    return undelivered;
  }

  private async run(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (!this.closed && (this.current ??= this.waiting.shift()) !== undefined) {
        const outcome = await this.post(this.current);
        if (this.closed) return;
        if (outcome.kind === "retry") {
          this.retries += 1;
          await this.sleep(outcome.afterMs);
          continue;
        }
        this.current = undefined;
        if (outcome.kind === "delivered") {
          this.delivered += 1;
        } else {
          this.refused += 1;
          this.options.onDropped?.(outcome.reason);
        }
      }
    } finally {
      this.running = false;
      if (this.queued === 0) this.drained.notify();
    }
  }

  private async post(body: string): Promise<Outcome> {
    let response: Response;
    try {
      response = await fetch(this.options.url, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body,
        // Slack's webhooks never redirect. A proxy's or captive portal's redirect turns the POST
        // into a GET whose 200 would count as delivered, or carries the alert to another host.
        redirect: "manual",
        signal: AbortSignal.any([this.abort.signal, AbortSignal.timeout(this.requestTimeoutMs)]),
      });
      // Read the body: Slack explains a refusal in it, and an unread body holds the connection.
      const text = await response.text();
      if (response.ok) {
        this.failures = 0;
        return { kind: "delivered" };
      }
      // A Retry-After that says "now" (a date in the past from a skewed clock, 0, junk) would
      // otherwise post again at once, and again, for as long as the limit lasts.
      if (response.status === 429) return { kind: "retry", afterMs: Math.max(retryAfterMs(response.headers.get("retry-after")), this.backoff()) };
      if (response.status < 500) return { kind: "refused", reason: `Slack answered ${response.status}: ${text.slice(0, 200)}` };
    } catch {
      // A network error or timeout: retried below like a 5xx.
    }
    return { kind: "retry", afterMs: this.backoff() };
  }

  /** The next wait of the exponential backoff after one more failure in a row. */
  private backoff(): number {
    const afterMs = Math.min(this.backoffMaxMs, this.backoffBaseMs * 2 ** this.failures);
    this.failures += 1;
    return afterMs;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.wakeRetry = resolve;
      this.retryTimer = setTimeout(resolve, ms);
    });
  }
}

/** Retry-After is delay-seconds or an HTTP date (RFC 9110, section 10.2.3); absent or unreadable means 1 s. */
function retryAfterMs(header: string | null): number {
  const text = header?.trim() ?? "";
  const seconds = /^\d+$/.test(text) ? Number(text) * 1000 : Date.parse(text) - Date.now();
  return Math.min(MAX_RETRY_AFTER_MS, Number.isFinite(seconds) ? Math.max(0, seconds) : 1000);
}
