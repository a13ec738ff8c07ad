/**
 * Publishes alerts over MQTT with QoS 1 and loses none while the broker is away, within a
 * bounded memory.
 *
 * An alert waits in a bounded queue until the client is connected, is then handed to the client
 * (at most `maxInFlight` at a time), and leaves only when the broker's PUBACK arrives. An alert
 * in flight when the connection drops is sent again after the reconnect by mqtt.js itself (from
 * its outgoing store, flagged DUP), so a subscriber can receive it twice: that is QoS 1's "at
 * least once", and the payload's (id, count) lets it drop the copy.
 *
 * Why not simply hand every alert to mqtt.js, which also queues while offline? Its offline
 * queue has no bound: a week-long broker outage on a busy sensor would grow without limit.
 *
 *     const delivery = new MqttAlertDelivery(client);  // an mqtt.js MqttClient
 *     delivery.deliver("honeyflow/alerts/brute-force/high", JSON.stringify(alert));
 */
import { BoundedQueue } from "../../collections/bounded-queue";
import { DrainSignal } from "../drain-signal";

/** What is used of an mqtt.js client. */
export interface MqttPublisher {
  readonly connected: boolean;
  publish(topic: string, message: string, options: { qos: 1; retain: false }, callback: (error?: Error) => void): unknown;
  on(event: "connect", listener: (connack: Connack) => void): unknown;
  removeListener(event: "connect", listener: (connack: Connack) => void): unknown;
}

/** Over MQTT 5 the broker's CONNACK may say the largest packet it takes. */
interface Connack {
  properties?: { maximumPacketSize?: number };
}

export interface MqttAlertDeliveryOptions {
  /** Alerts held while the broker is away; default 1000. */
  capacity?: number;
  /** Alerts handed to the client and not yet acknowledged; default 100. */
  maxInFlight?: number;
  /** Called with the reason when the client refuses an alert while connected (e.g. too large for the broker). */
  onFailed?: (reason: string) => void;
}

interface Outgoing {
  topic: string;
  payload: string;
}

export class MqttAlertDelivery {
  /** Alerts the broker acknowledged. */
  acknowledged = 0;
  /** Alerts refused while connected: retrying them would block every alert behind them. */
  failed = 0;
  private readonly waiting: BoundedQueue<Outgoing>;
  private readonly inFlight = new Set<Outgoing>();
  private readonly maxInFlight: number;
  private readonly drained = new DrainSignal();
  private closed = false;
  private maximumPacketSize: number | undefined;
  private readonly onConnect = (connack: Connack) => {
    this.maximumPacketSize = connack.properties?.maximumPacketSize;
    this.pump();
  };

  constructor(private readonly client: MqttPublisher, private readonly options: MqttAlertDeliveryOptions = {}) {
    // A client shared with an earlier user may be connected already; mqtt.js keeps the last
    // CONNACK (a field its typings call private).
    this.maximumPacketSize = (client as { connackPacket?: Connack }).connackPacket?.properties?.maximumPacketSize;
    this.waiting = new BoundedQueue(options.capacity ?? 1000);
    this.maxInFlight = options.maxInFlight ?? 100;
    client.on("connect", this.onConnect);
  }

  /** Alerts not yet acknowledged: waiting and in flight. */
  get queued(): number {
    return this.waiting.length + this.inFlight.size;
  }

  /** Alerts pushed out of a full queue during a long outage. */
  get dropped(): number {
    return this.waiting.dropped;
  }

  deliver(topic: string, payload: string): void {
    if (this.closed) return;
    this.waiting.push({ topic, payload });
    this.pump();
  }

  /** Resolves once every alert is acknowledged, or after `timeoutMs`, whichever comes first. */
  whenIdle(timeoutMs: number): Promise<void> {
    return this.drained.wait(this.queued === 0, timeoutMs);
  }

  /** Stops delivering; returns how many alerts were not acknowledged. */
  close(): number {
    const unacknowledged = this.queued;
    this.closed = true;
    this.client.removeListener("connect", this.onConnect);
    this.waiting.clear();
    this.inFlight.clear();
    this.drained.notify();
    return unacknowledged;
  }

  private pump(): void {
    while (!this.closed && this.client.connected && this.inFlight.size < this.maxInFlight) {
      const outgoing = this.waiting.shift();
      if (!outgoing) break;
      if (this.tooLarge(outgoing)) {
        this.failed += 1;
        this.options.onFailed?.(`${Buffer.byteLength(outgoing.payload)} bytes is more than the broker takes`);
        continue;
      }
      this.inFlight.add(outgoing);
      this.client.publish(outgoing.topic, outgoing.payload, { qos: 1, retain: false }, (error) => this.settled(outgoing, error));
    }
    if (this.queued === 0) this.drained.notify();
  }

  /**
   * Whether the PUBLISH packet is larger than the broker said it takes. mqtt.js sends it anyway;
   * the broker then drops the connection, and mqtt.js sends it again after every reconnect, with
   * every alert behind it waiting for good.
   */
  private tooLarge(outgoing: Outgoing): boolean {
    const maximum = this.maximumPacketSize;
    if (maximum === undefined) return false;
    // Topic (length-prefixed), packet id, an empty property list, the payload (MQTT 5, 3.3).
    const remaining = 2 + Buffer.byteLength(outgoing.topic) + 2 + 1 + Buffer.byteLength(outgoing.payload);
    const lengthBytes = remaining < 128 ? 1 : remaining < 16_384 ? 2 : remaining < 2_097_152 ? 3 : 4;
    return 1 + lengthBytes + remaining > maximum;
  }

  private settled(outgoing: Outgoing, error: Error | undefined): void {
    if (this.closed || !this.inFlight.delete(outgoing)) return;
    if (!error) {
      this.acknowledged += 1;
    } else if (this.client.connected) {
      this.failed += 1;
      this.options.onFailed?.(error.message);
    } else {
      // The connection went away under it (the client gave up on its in-flight messages):
      // it keeps its turn and goes out again after the reconnect.
      this.waiting.unshift(outgoing);
    }
    this.pump();
  }
}
