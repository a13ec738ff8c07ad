import assert from "node:assert/strict";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { SlackWebhookDelivery } from "../../../src/delivery/slack/slack-webhook-delivery";
import { SlackWebhookStandIn } from "../../support/slack-webhook-stand-in";

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("SlackWebhookDelivery (against a local HTTP server)", () => {
  let slack: SlackWebhookStandIn;
  let url: string;
  let delivery: SlackWebhookDelivery | undefined;
  beforeEach(async () => {
    slack = new SlackWebhookStandIn();
    url = await slack.listen();
  });
  afterEach(async () => {
    delivery?.close();
    await slack.close();
  });

  it("waits Retry-After on 429 and posts the same message again", async () => {
    slack.answer({ status: 429, headers: { "Retry-After": "1" }, body: "rate_limited" });
    delivery = new SlackWebhookDelivery({ url, backoffBaseMs: 10 });
    delivery.send({ text: "first" });
    delivery.send({ text: "second" });
    await until(() => delivery?.delivered === 2, "both delivered");
    assert.deepEqual(slack.received, [{ text: "first" }, { text: "first" }, { text: "second" }]);
    assert.equal(delivery.retries, 1);
  });

  it("backs off between 429s whose Retry-After says now: a date in the past (a skewed clock), a negative or fractional number", async () => {
    for (const retryAfter of ["Wed, 21 Oct 2015 07:28:00 GMT", "-1", "1.5", "0"]) {
      const limited = new SlackWebhookStandIn();
      limited.answer(...Array.from({ length: 10_000 }, () => ({ status: 429, headers: { "Retry-After": retryAfter }, body: "rate_limited" })));
      delivery = new SlackWebhookDelivery({ url: await limited.listen(), backoffBaseMs: 100, backoffMaxMs: 1000 });
      delivery.send({ text: "alert" });
      await new Promise((resolve) => setTimeout(resolve, 500));
      delivery.close();
      await limited.close();
      // Backing off from 100 ms, the posts fall at 0, 100 and 300 ms; without a pause, hundreds.
      assert.ok(limited.received.length <= 5, `${limited.received.length} posts in half a second after Retry-After: ${retryAfter}`);
    }
  });

  it("retries 5xx answers with backoff until Slack takes the message", async () => {
    slack.answer({ status: 500 }, { status: 503 });
    delivery = new SlackWebhookDelivery({ url, backoffBaseMs: 10 });
    delivery.send({ text: "alert" });
    await until(() => delivery?.delivered === 1, "the delivery");
    assert.deepEqual(slack.received, [{ text: "alert" }, { text: "alert" }, { text: "alert" }]);
    assert.equal(delivery.retries, 2);
    assert.equal(delivery.queued, 0);
  });

  it("retries when nothing answers, and delivers once the server is back", async () => {
    const port = Number(new URL(url).port);
    await slack.close();
    delivery = new SlackWebhookDelivery({ url, backoffBaseMs: 10, backoffMaxMs: 50 });
    delivery.send({ text: "during the outage" });
    await until(() => (delivery?.retries ?? 0) >= 3, "retries against a closed port");
    slack = new SlackWebhookStandIn();
    await slack.listen(port);
    await until(() => delivery?.delivered === 1, "the delivery after the outage");
    assert.deepEqual(slack.received, [{ text: "during the outage" }]);
  });

  it("keeps the order of messages through retries", async () => {
    slack.answer({ status: 500 }, { status: 200 }, { status: 429, headers: { "Retry-After": "0" } }, { status: 502 });
    delivery = new SlackWebhookDelivery({ url, backoffBaseMs: 10 });
    for (let i = 1; i <= 6; i++) delivery.send({ n: i });
    await until(() => delivery?.delivered === 6, "six deliveries");
    const accepted = slack.received.filter((_, i) => ![0, 2, 3].includes(i));
    assert.deepEqual(accepted, [1, 2, 3, 4, 5, 6].map((n) => ({ n })));
    assert.deepEqual(slack.received.slice(0, 5), [{ n: 1 }, { n: 1 }, { n: 2 }, { n: 2 }, { n: 2 }], "each retry repeats the same message");
  });

  it("drops a message Slack refuses for good (4xx), says why, and goes on", async () => {
    slack.answer({ status: 400, body: "invalid_blocks" });
    const reasons: string[] = [];
    delivery = new SlackWebhookDelivery({ url, onDropped: (reason) => reasons.push(reason) });
    delivery.send({ text: "bad" });
    delivery.send({ text: "good" });
    await until(() => delivery?.delivered === 1, "the good one");
    assert.deepEqual(slack.received, [{ text: "bad" }, { text: "good" }]);
    assert.equal(delivery.refused, 1);
    assert.deepEqual(reasons, ["Slack answered 400: invalid_blocks"]);
  });

  it("counts a redirected post as refused, not delivered, and follows it nowhere", async () => {
    // A captive portal or a proxy's login page: the POST is sent on as a GET, which answers 200.
    const followed: string[] = [];
    const portal = http.createServer((request, response) => {
      request.resume();
      if (request.url === "/login") {
        followed.push(`${request.method} ${request.url}`);
        return void response.writeHead(200).end("welcome");
      }
      response.writeHead(302, { Location: "/login" }).end();
    });
    await new Promise<void>((resolve) => portal.listen(0, "127.0.0.1", resolve));
    const reasons: string[] = [];
    try {
      delivery = new SlackWebhookDelivery({ url: `http://127.0.0.1:${(portal.address() as AddressInfo).port}/services/T0/B0/X`, onDropped: (reason) => reasons.push(reason) });
      delivery.send({ text: "alert" });
      await until(() => delivery?.queued === 0, "the post to be settled");
      assert.deepEqual({ delivered: delivery.delivered, refused: delivery.refused, followed }, { delivered: 0, refused: 1, followed: [] });
      assert.match(reasons[0], /^Slack answered 302/);
    } finally {
      portal.closeAllConnections();
      await new Promise((resolve) => portal.close(resolve));
    }
  });

  it("holds at most its capacity while Slack fails, dropping the oldest waiting messages", async () => {
    slack.answer(...Array.from({ length: 3 }, () => ({ status: 500 })));
    delivery = new SlackWebhookDelivery({ url, capacity: 3, backoffBaseMs: 200 });
    for (let i = 1; i <= 10; i++) delivery.send({ n: i });
    assert.equal(delivery.queued, 4, "the message being retried plus 3 waiting");
    assert.equal(delivery.dropped, 6);
    await until(() => delivery?.delivered === 4, "the four kept");
    const delivered = slack.received.slice(-4);
    assert.deepEqual(delivered, [{ n: 1 }, { n: 8 }, { n: 9 }, { n: 10 }], "the one in progress and the newest three, in order");
  });

  it("reports what it could not deliver when closed", async () => {
    slack.answer({ status: 500 });
    delivery = new SlackWebhookDelivery({ url, backoffBaseMs: 60_000 });
    delivery.send({ n: 1 });
    delivery.send({ n: 2 });
    await until(() => slack.received.length === 1, "the first attempt");
    assert.equal(delivery.close(), 2);
    assert.equal(delivery.queued, 0);
  });

  it("refuses a webhook URL that is not http(s)", () => {
    assert.throws(() => new SlackWebhookDelivery({ url: "file:///etc/passwd" }), RangeError);
  });

  it("refuses at once a webhook URL that no post could ever reach, rather than retrying it for good", () => {
    // Each makes fetch throw before a request is sent: an error the retries cannot cure.
    for (const bad of ["https://", "https://hooks.slack .com/services/T0/B0/X", "https://hooks.slack.com:99999/services/T0/B0/X", "https://user:secret@hooks.slack.com/services/T0/B0/X"]) {
      assert.throws(() => new SlackWebhookDelivery({ url: bad }), RangeError, bad);
    }
  });
});
