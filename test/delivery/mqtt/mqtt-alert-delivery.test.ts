import assert from "node:assert/strict";
import { connect, type MqttClient } from "mqtt";
import { MqttAlertDelivery } from "../../../src/delivery/mqtt/mqtt-alert-delivery";
import { MosquittoProcess } from "../../support/mosquitto-process";
import { requireExecutable } from "../../support/service-requirement";

async function until(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * A QoS 1 subscriber with a persistent session (clean false, a fixed id) on a broker with
 * persistence: what is published while it reconnects after a broker restart waits for it.
 */
async function subscriber(url: string, topic: string): Promise<{ client: MqttClient; received: string[] }> {
  const client = connect(url, { clientId: `subscriber-${process.pid}-${Date.now()}`, clean: false, reconnectPeriod: 200 });
  const received: string[] = [];
  client.on("message", (_topic, payload) => received.push(payload.toString()));
  await client.subscribeAsync(topic, { qos: 1 });
  return { client, received };
}

describe("MqttAlertDelivery (against a real Mosquitto)", function () {
  this.timeout(60_000);
  let broker: MosquittoProcess | undefined;
  let publisher: MqttClient | undefined;
  let listener: MqttClient | undefined;

  before(async function () {
    broker = await MosquittoProcess.start(requireExecutable(this, "mosquitto"), { persistence: true });
  });
  afterEach(async () => {
    await publisher?.endAsync(true);
    await listener?.endAsync(true);
    if (broker && !broker.running) await broker.start();
  });
  after(() => broker?.dispose());

  it("publishes with QoS 1 and counts an alert sent only once the broker acknowledged it", async () => {
    const sub = await subscriber(broker!.url, "t/#");
    listener = sub.client;
    publisher = connect(broker!.url, { reconnectPeriod: 200 });
    const delivery = new MqttAlertDelivery(publisher);
    for (let i = 1; i <= 5; i++) delivery.deliver(`t/alerts/${i}`, `{"n":${i}}`);
    assert.equal(delivery.acknowledged, 0, "nothing is acknowledged before the broker says so");
    assert.equal(delivery.queued, 5);
    await until(() => delivery.acknowledged === 5, "five PUBACKs");
    await until(() => sub.received.length === 5, "five messages");
    assert.deepEqual(sub.received, [1, 2, 3, 4, 5].map((n) => `{"n":${n}}`));
    assert.equal(delivery.queued, 0);
    assert.equal(delivery.close(), 0);
  });

  it("holds alerts while the broker is down and delivers them when it returns", async () => {
    const sub = await subscriber(broker!.url, "t/#");
    listener = sub.client;
    publisher = connect(broker!.url, { reconnectPeriod: 200 });
    const delivery = new MqttAlertDelivery(publisher);
    await until(() => publisher!.connected, "the publisher's connection");
    await broker!.stop();
    await until(() => !publisher!.connected, "the publisher to notice");
    for (let i = 1; i <= 5; i++) delivery.deliver(`t/alerts/${i}`, `{"n":${i}}`);
    assert.equal(delivery.queued, 5);
    await broker!.start();
    await until(() => delivery.acknowledged === 5, "five PUBACKs after the restart");
    await until(() => sub.received.length >= 5, "five messages");
    assert.deepEqual([...new Set(sub.received)].sort(), [1, 2, 3, 4, 5].map((n) => `{"n":${n}}`));
    delivery.close();
  });

  it("holds at most its capacity during an outage, keeping the newest alerts in order", async () => {
    const sub = await subscriber(broker!.url, "t/#");
    listener = sub.client;
    publisher = connect(broker!.url, { reconnectPeriod: 200 });
    const delivery = new MqttAlertDelivery(publisher, { capacity: 3 });
    await until(() => publisher!.connected, "the publisher's connection");
    await broker!.stop();
    await until(() => !publisher!.connected, "the publisher to notice");
    for (let i = 1; i <= 10; i++) delivery.deliver(`t/alerts/${i}`, `{"n":${i}}`);
    assert.equal(delivery.queued, 3);
    assert.equal(delivery.dropped, 7);
    await broker!.start();
    await until(() => delivery.acknowledged === 3, "three PUBACKs");
    await until(() => sub.received.length >= 3, "three messages");
    assert.deepEqual(sub.received, [8, 9, 10].map((n) => `{"n":${n}}`));
    assert.equal(delivery.close(), 0);
  });

  it("reports the alerts not acknowledged when it is closed", async () => {
    publisher = connect(broker!.url, { reconnectPeriod: 200 });
    const delivery = new MqttAlertDelivery(publisher);
    await until(() => publisher!.connected, "the publisher's connection");
    await broker!.stop();
    await until(() => !publisher!.connected, "the publisher to notice");
    delivery.deliver("t/alerts/1", "{}");
    delivery.deliver("t/alerts/2", "{}");
    assert.equal(delivery.close(), 2);
  });
});

describe("MqttAlertDelivery (against a real Mosquitto with a maximum packet size)", function () {
  this.timeout(60_000);
  let broker: MosquittoProcess | undefined;
  let publisher: MqttClient | undefined;
  let listener: MqttClient | undefined;

  before(async function () {
    broker = await MosquittoProcess.start(requireExecutable(this, "mosquitto"), { settings: "max_packet_size 2000" });
  });
  afterEach(async () => {
    await publisher?.endAsync(true);
    await listener?.endAsync(true);
  });
  after(() => broker?.dispose());

  it("refuses an alert larger than the broker takes (MQTT 5 says how large) and delivers the ones behind it", async () => {
    const sub = await subscriber(broker!.url, "t/#");
    listener = sub.client;
    publisher = connect(broker!.url, { reconnectPeriod: 200, protocolVersion: 5 });
    let drops = 0;
    publisher.on("close", () => (drops += 1));
    const failures: string[] = [];
    const delivery = new MqttAlertDelivery(publisher, { onFailed: (reason) => failures.push(reason) });
    await until(() => publisher!.connected, "the publisher's connection");
    delivery.deliver("t/alerts/big", JSON.stringify({ summary: "x".repeat(3000) }));
    delivery.deliver("t/alerts/small", '{"n":1}');
    await until(() => delivery.acknowledged === 1 && sub.received.length === 1, "the small alert acknowledged and received");
    assert.deepEqual(sub.received, ['{"n":1}']);
    assert.equal(delivery.failed, 1);
    assert.equal(failures.length, 1);
    assert.equal(drops, 0, "the broker never had to drop the connection");
    delivery.close();
  });
});
