/**
 * `alert`: turns the online detector's anomalies into alerts a SOC can live with (AlertPolicy:
 * one per incident, cooldown aggregation, severity, rate limit), watches for a silent sensor, and
 * delivers each alert to MQTT (through a `honeyflow-mqtt-broker` config node), to a Slack
 * incoming webhook, and to its output for dashboards.
 */
import type { Node, NodeAPI, NodeDef, NodeMessage } from "node-red";
import { Alert, AlertPolicy } from "../../src/alerting/alert-policy";
import { LruMap } from "../../src/collections/lru-map";
import { SEVERITIES, Severity } from "../../src/domain/severities";
import { alertInputFromPayload } from "../../src/alerting/anomaly-from-detection";
import { ATTACK_TYPES, AttackType } from "../../src/domain/attack-types";
import { FalsePositiveList, type FalsePositiveMark } from "../../src/alerting/false-positive-list";
import { MqttAlertDelivery } from "../../src/delivery/mqtt/mqtt-alert-delivery";
import { alertTopic, DEFAULT_TOPIC_PREFIX, topicPrefixProblem } from "../../src/delivery/mqtt/mqtt-topic";
import { SensorSilenceAlert, SensorSilenceWatch } from "../../src/alerting/sensor-silence";
import { slackMessage } from "../../src/delivery/slack/slack-message";
import { SlackWebhookDelivery } from "../../src/delivery/slack/slack-webhook-delivery";
import { settingOrDefault } from "../kit/environment-setting";
import type { MqttBrokerNode } from "../mqtt-broker-config/mqtt-broker-config";
import { nonNegativeNumber, positiveNumber } from "../kit/editor-number";
import { ThrottledStatus } from "../kit/throttled-status";
import { statusCounts } from "../kit/status-counts";

interface AlertConfig extends NodeDef {
  cooldown: string;
  maxPerMinute: string;
  escalateScore: string;
  severities?: Record<string, string>;
  broker?: string;
  topicPrefix: string;
  silence: string;
}

interface AlertCredentials {
  slackWebhook?: string;
}

const TICK_MS = 1000;
/** Sensors whose clocks the node follows (see sensorClocks); an alert node rarely hears of more than a few. */
const MAX_SENSOR_CLOCKS = 1000;

/** A sensor's latest event time, and when (wall clock) it arrived. */
interface SensorClock {
  timeMs: number;
  arrivedMs: number;
}
/** How long a stop waits for queued alerts to be acknowledged before it reports them as undelivered. */
const CLOSE_WAIT_MS = 2000;

export = function register(RED: NodeAPI): void {
  function AlertNode(this: Node<AlertCredentials>, config: AlertConfig) {
    RED.nodes.createNode(this, config);
    const node = this;
    const cooldownMs = nonNegativeNumber(config.cooldown, 300) * 1000;
    const policy = new AlertPolicy({
      cooldownMs, maxAlertsPerMinute: positiveNumber(config.maxPerMinute, 60),
      escalateScore: positiveNumber(config.escalateScore, 0.999), baseSeverity: severitiesFrom(config.severities),
      rateClock: Date.now,
    });
    const silence = new SensorSilenceWatch(nonNegativeNumber(config.silence, 0) * 1000, Date.now());
    const prefixSetting = settingOrDefault(config.topicPrefix, DEFAULT_TOPIC_PREFIX);
    const prefixProblem = topicPrefixProblem(prefixSetting);
    if (prefixProblem) node.error(RED._("alert.error.prefix", { problem: prefixProblem }));
    const prefix = prefixProblem ? DEFAULT_TOPIC_PREFIX : prefixSetting;
    const broker = config.broker ? (RED.nodes.getNode(config.broker) as MqttBrokerNode | null) : null;
    const orReport = <T>(make: () => T): T | undefined => {
      try {
        return make();
      } catch (err) {
        node.error((err as Error).message);
        return undefined;
      }
    };
    // The broker config node tells of each connect and disconnect (as 10-mqtt.js tells its users).
    let connected = false;
    const mqtt = orReport(() => {
      if (!broker) return undefined;
      const client = broker.register(node, (up) => {
        connected = up;
        status.now();
      });
      connected = client.connected;
      return new MqttAlertDelivery(client, { onFailed: (reason) => node.warn(RED._("alert.warn.mqttRefused", { reason })) });
    });
    // An unset ${HONEYFLOW_SLACK_WEBHOOK} in an imported flow means: no Slack.
    const url = settingOrDefault(node.credentials?.slackWebhook, "");
    const slack = url ? orReport(() => new SlackWebhookDelivery({ url, onDropped: (reason) => node.warn(RED._("alert.warn.slackRefused", { reason })) })) : undefined;
    let alerts = 0;
    // Analyst feedback (the rest-api flow's POST /honeyflow/update): patterns not to alert on.
    const falsePositives = new FalsePositiveList();
    let suppressed = 0;
    let inputError: string | undefined;
    // The policy runs on event time, each sensor's incidents on that sensor's clock. Between
    // events, a sensor's last event time plus the wall-clock time since it arrived stands in for
    // its "now", so that the update closing a burst goes out even when nothing follows the burst.
    // The clock follows the latest event, not the latest time seen: one event stamped a day ahead
    // (a sensor whose clock is wrong) would otherwise hold it there, and every incident would end
    // at the next tick, each anomaly a new alert; and a sensor's own, so that another sensor's
    // clock half an hour ahead ends none of its incidents.
    // The longest silent sensor is forgotten first when full.
    const sensorClocks = new LruMap<string, SensorClock>(MAX_SENSOR_CLOCKS);
    let lastEvent: SensorClock | undefined;
    const nowOf = (clock: SensorClock) => clock.timeMs + (Date.now() - clock.arrivedMs);
    const eventNow = () => (lastEvent ? nowOf(lastEvent) : undefined);
    const sensorNow = (sensor: string) => {
      const clock = sensorClocks.peek(sensor);
      return clock ? nowOf(clock) : Date.now();
    };

    const deliver = (due: Array<Alert | SensorSilenceAlert>, send: (msg: NodeMessage) => void) => {
      for (const alert of due) {
        const topic = alertTopic(prefix, alert.type, alert.severity);
        mqtt?.deliver(topic, JSON.stringify(alert));
        slack?.send(slackMessage(alert));
        alerts += 1;
        send({ topic, payload: alert });
      }
    };

    const status = new ThrottledStatus(node, () => {
      const counts = {
        alerts, suppressed, rateLimited: policy.suppressed, sent: mqtt?.acknowledged ?? 0,
        queued: (mqtt?.queued ?? 0) + (slack?.queued ?? 0),
        // Pushed out of a full queue, or refused for good by the broker or by Slack: lost either way.
        dropped: (mqtt?.dropped ?? 0) + (mqtt?.failed ?? 0) + (slack?.dropped ?? 0) + (slack?.refused ?? 0),
      };
      // The rate limit's count: what it held back is told a minute later, one message per attack type.
      const shown = statusCounts(counts);
      const lost = (counts.dropped > 0 ? RED._("alert.status.dropped", shown) : "") + (suppressed > 0 ? RED._("alert.status.suppressed", shown) : "")
        + (counts.rateLimited > 0 ? RED._("alert.status.rateLimited", shown) : "");
      if (inputError) return { fill: "red", shape: "ring", text: inputError };
      if (!mqtt) return { fill: "green", shape: "dot", text: RED._("alert.status.local", shown) + lost };
      if (connected) return { fill: "green", shape: "dot", text: RED._("alert.status.connected", shown) + lost };
      return { fill: "red", shape: "ring", text: RED._("alert.status.disconnected", shown) + lost };
    });
    status.now();

    const tick = setInterval(() => {
      const due: Array<Alert | SensorSilenceAlert> = [];
      for (const [sensor, clock] of sensorClocks.inRecencyOrder()) due.push(...policy.expire(nowOf(clock), sensor));
      const silent = silence.check(Date.now());
      if (silent) due.push(silent);
      deliver(due, (msg) => node.send(msg));
      // The counts of alerts acknowledged by the broker change between events; only a change goes to the editor.
      status.now();
    }, TICK_MS);

    node.on("input", (msg, send, done) => {
      try {
        const control = (msg as { control?: unknown }).control;
        if (control !== undefined) {
          try {
            if (control !== "false-positive") throw new TypeError(`unknown control '${String(control).slice(0, 64)}' (expected false-positive)`);
            falsePositives.mark(falsePositiveOf(msg.payload), eventNow() ?? Date.now());
            return done();
          } catch (err) {
            return done(new Error(RED._("alert.error.control", { reason: (err as Error).message })));
          }
        }
        const input = alertInputFromPayload(msg.payload);
        if (input.lateIntel) {
          // A verdict is enrich's word, not the sensor's: it proves nothing alive.
          const { src_ip: srcIp, intel } = input.lateIntel;
          deliver(policy.learnIntel(srcIp, intel, sensorNow), send);
          inputError = undefined;
          return done();
        }
        const arrivedMs = Date.now();
        const recovered = silence.heard(arrivedMs, input.sensor);
        const due: Array<Alert | SensorSilenceAlert> = recovered ? [recovered] : [];
        if (input.anomaly) {
          lastEvent = { timeMs: input.anomaly.time_ms, arrivedMs };
          sensorClocks.set(input.anomaly.sensor, lastEvent);
          if (falsePositives.covers(input.anomaly)) suppressed += 1;
          else due.push(...policy.observe(input.anomaly));
        }
        inputError = undefined;
        deliver(due, send);
        done();
      } catch (err) {
        inputError = RED._("alert.error.input", { reason: (err as Error).message });
        status.now();
        done(new Error(inputError));
      }
    });

    node.on("close", (_removed: boolean, done: () => void) => {
      clearInterval(tick);
      status.stop();
      // Incidents still open get their closing update now (to MQTT and Slack; a stopping node
      // sends nothing on): after a restart the policy starts afresh and would never send it.
      // closeAll, not an expiry a cooldown from now: an incident stamped ahead of the clock (a
      // sensor whose clock is wrong) is still open then.
      const now = eventNow();
      if (now !== undefined) {
        const closing = policy.closeAll().map((alert) => ({ ...alert, time: new Date(now).toISOString() }));
        deliver(closing, () => undefined);
      }
      void (async () => {
        await Promise.all([mqtt?.whenIdle(connected ? CLOSE_WAIT_MS : 0), slack?.whenIdle(CLOSE_WAIT_MS)]);
        const unsent = { mqtt: mqtt?.close() ?? 0, slack: slack?.close() ?? 0 };
        if (unsent.mqtt > 0) node.warn(RED._("alert.warn.unsentMqtt", { count: unsent.mqtt }));
        if (unsent.slack > 0) node.warn(RED._("alert.warn.unsentSlack", { count: unsent.slack }));
        if (broker) broker.deregister(node, done);
        else done();
      })();
    });
  }

  /** The pattern of a false-positive control message: `{type, src_ip?}`, src_ip left out for every source. */
  function falsePositiveOf(payload: unknown): FalsePositiveMark {
    const { type, src_ip: srcIp } = (payload ?? {}) as { type?: unknown; src_ip?: unknown };
    if (typeof type !== "string" || !(ATTACK_TYPES as readonly string[]).includes(type)) {
      throw new TypeError(`a false-positive needs payload.type, one of ${ATTACK_TYPES.join(", ")}`);
    }
    if (srcIp !== undefined && (typeof srcIp !== "string" || srcIp.length === 0 || srcIp.length > 64)) {
      throw new TypeError("payload.src_ip of a false-positive must be an IP address, or left out for every source");
    }
    return { type: type as AttackType, ...(srcIp !== undefined ? { src_ip: srcIp as string } : {}) };
  }

  /** The editor's severity per attack type, keeping only known types and severities. */
  function severitiesFrom(configured: Record<string, string> | undefined): Partial<Record<AttackType, Severity>> {
    const known = Object.entries(configured ?? {}).filter(([type, severity]) =>
      (ATTACK_TYPES as readonly string[]).includes(type) && (SEVERITIES as readonly string[]).includes(severity));
    return Object.fromEntries(known) as Partial<Record<AttackType, Severity>>;
  }

  RED.nodes.registerType<Node<AlertCredentials>, AlertConfig, unknown, AlertCredentials>("honeyflow-alert", AlertNode, {
    credentials: { slackWebhook: { type: "password" } },
  });
};
