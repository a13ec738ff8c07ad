/**
 * `mqtt broker` (config node honeyflow-mqtt-broker): one MQTT connection shared by the nodes that
 * use it, as Node-RED's own 10-mqtt.js does. A node registers to get the client and deregisters
 * on close; the connection opens with the first user and ends with the last. Like 10-mqtt.js, the
 * config node tells its users when the connection comes and goes, so that none has to poll it.
 *
 * The connection's state is kept retained on `<status prefix>/status`: `online` on every connect,
 * `offline` before a clean stop, and `offline` as the last will, which the broker publishes when
 * the connection dies without a goodbye (crash, network loss).
 */
import { randomBytes } from "node:crypto";
import { connect, type MqttClient } from "mqtt";
import type { Node, NodeAPI, NodeDef } from "node-red";
import { DEFAULT_TOPIC_PREFIX, statusTopic, topicPrefixProblem } from "../../src/delivery/mqtt/mqtt-topic";
import { settingOrDefault } from "../kit/environment-setting";

interface MqttBrokerConfig extends NodeDef {
  url: string;
  verifyServerCert: boolean;
  clientId: string;
  protocolVersion: string;
  statusPrefix: string;
}

interface MqttBrokerCredentials {
  username?: string;
  password?: string;
}

/** How long a stop waits for the broker to acknowledge the `offline` status. */
const GOODBYE_TIMEOUT_MS = 2000;
/** How long a stopping config node waits for its users to stop; they wait 2 s for acknowledgements. */
const USERS_GRACE_MS = 5000;
const URL_SCHEMES = /^(mqtts?|wss?):\/\//i;

function register(RED: NodeAPI): void {
  function MqttBrokerNode(this: Node<MqttBrokerCredentials>, config: MqttBrokerConfig) {
    RED.nodes.createNode(this, config);
    const node = this as register.MqttBrokerNode;
    const url = settingOrDefault(config.url, "mqtt://127.0.0.1:1883");
    const username = settingOrDefault(node.credentials?.username, "");
    const clientId = settingOrDefault(config.clientId, "") || `honeyflow-${randomBytes(4).toString("hex")}`;
    // Blank means the default, as the editor says.
    const prefixSetting = settingOrDefault(config.statusPrefix, DEFAULT_TOPIC_PREFIX);
    const prefixProblem = topicPrefixProblem(prefixSetting);
    if (prefixProblem) node.error(RED._("mqtt-broker-config.error.prefix", { problem: prefixProblem }));
    const topic = statusTopic(prefixProblem ? DEFAULT_TOPIC_PREFIX : prefixSetting);
    // The last will is written at connect and sent by the broker whenever it notices the loss:
    // it carries no time, which would be the connect's, not the loss's.
    const status = (state: "online" | "offline", reason?: string, timed = true) =>
      JSON.stringify({ status: state, client_id: clientId, ...(timed ? { time: new Date().toISOString() } : {}), ...(reason ? { reason } : {}) });
    /** Each user and what it is told when the connection comes up or goes down. */
    const users = new Map<Node, (connected: boolean) => void>();
    const tellUsers = (connected: boolean) => users.forEach((onConnection) => onConnection(connected));
    let lastError = "";

    node.client = undefined;
    node.register = (user, onConnection = () => undefined) => {
      if (!URL_SCHEMES.test(url)) throw new Error(RED._("mqtt-broker-config.error.url", { url }));
      users.set(user, onConnection);
      if (node.client) return node.client;
      const client = connect(url, {
        // "5" from the editor, 5 from a flow written by hand.
        clientId, protocolVersion: String(config.protocolVersion) === "5" ? 5 : 4, clean: true, reconnectPeriod: 1000,
        // mqtt.js gives up for good on a refused CONNACK (bad credentials, not authorised, server
        // unavailable): a broker fixed afterwards would never hear from this client again, and
        // its alerts would wait until a redeploy. The refusal is logged once (see 'error' below).
        reconnectOnConnackError: true,
        rejectUnauthorized: config.verifyServerCert !== false,
        ...(username ? { username, password: settingOrDefault(node.credentials?.password, "") } : {}),
        will: { topic, payload: Buffer.from(status("offline", "connection lost", false)), qos: 1, retain: true },
      });
      client.on("connect", () => {
        // An alert is one small packet: with Nagle's algorithm on it waits for the broker's
        // delayed ACK of the last one, up to 40 ms on Linux (`npm run bench`, alert latency).
        (client.stream as { setNoDelay?: (noDelay: boolean) => void }).setNoDelay?.(true);
        lastError = "";
        node.log(RED._("mqtt-broker-config.log.connected", { url }));
        client.publish(topic, status("online"), { qos: 1, retain: true });
        tellUsers(true);
      });
      // Every lost connection ends in 'close', whether or not a reconnect follows.
      client.on("close", () => tellUsers(false));
      // Without a listener an 'error' event would crash Node-RED; while the broker is away the
      // same error repeats every reconnect, so it is logged once.
      client.on("error", (err) => {
        if (err.message !== lastError) node.log(RED._("mqtt-broker-config.log.error", { url, error: err.message }));
        lastError = err.message;
      });
      node.client = client;
      return client;
    };
    /** Set while this node is closing and waits for its users to deregister first. */
    let closing: (() => void) | undefined;
    node.deregister = (user, done) => {
      users.delete(user);
      if (users.size > 0) return done();
      disconnect(() => {
        done();
        closing?.();
      });
    };

    /** Says goodbye (retained `offline`, then DISCONNECT, so the broker does not send the will). */
    function disconnect(done: () => void) {
      const client = node.client;
      node.client = undefined;
      if (!client) return done();
      let ended = false;
      const end = (force: boolean) => {
        if (ended) return;
        ended = true;
        clearTimeout(timer);
        client.end(force, {}, () => done());
      };
      const timer = setTimeout(() => end(true), GOODBYE_TIMEOUT_MS);
      if (!client.connected) return end(true);
      // What is still in flight was given up and reported by its sender when it stopped;
      // mqtt.js would otherwise wait for it before disconnecting.
      for (const id of Object.keys(client.outgoing)) client.removeOutgoingMessage(Number(id));
      client.publish(topic, status("offline", "stopped"), { qos: 1, retain: true }, () => end(false));
    }

    // Node-RED stops a config node at the same time as the nodes that use it. Their close
    // handlers still deliver what they queued, so the connection ends with the last of them
    // (or after a grace period, should one never deregister).
    node.on("close", (done: () => void) => {
      if (users.size === 0) return disconnect(done);
      const timer = setTimeout(() => {
        closing = undefined;
        users.clear();
        disconnect(done);
      }, USERS_GRACE_MS);
      closing = () => {
        closing = undefined;
        clearTimeout(timer);
        done();
      };
    });
  }

  RED.nodes.registerType<Node<MqttBrokerCredentials>, MqttBrokerConfig, unknown, MqttBrokerCredentials>("honeyflow-mqtt-broker", MqttBrokerNode, {
    credentials: { username: { type: "text" }, password: { type: "password" } },
  });
}

// eslint-disable-next-line @typescript-eslint/no-namespace
declare namespace register {
  /** The config node as its users see it. */
  interface MqttBrokerNode extends Node<MqttBrokerCredentials> {
    /** The shared client; undefined until the first user registers. */
    client: MqttClient | undefined;
    /**
     * Adds a user and returns the shared client, connecting it on the first registration.
     * `onConnection` hears of every connect and loss of the connection until `deregister`; the
     * client's `connected` says how things stand at registration.
     */
    register(user: Node, onConnection?: (connected: boolean) => void): MqttClient;
    /** Removes a user; the last one ends the connection, then `done` is called. */
    deregister(user: Node, done: () => void): void;
  }
}

export = register;
