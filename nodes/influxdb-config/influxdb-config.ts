/**
 * `influxdb` config node: one InfluxDB 1.x database, its credentials and its HTTP connection,
 * shared by every `influx write` node that names it. As in Node-RED's 10-mqtt.js, the config
 * node owns the connection and counts its users; the last user to leave (and close) ends it.
 */
import type { Node, NodeAPI, NodeDef } from "node-red";
import { InfluxHttpClient } from "../../src/delivery/influx/influx-http-client";
import { settingOrDefault } from "../kit/environment-setting";

interface InfluxdbConfig extends NodeDef {
  url: string;
  database: string;
  retentionPolicy: string;
  createDatabase: boolean;
}

interface InfluxdbCredentials {
  username?: string;
  password?: string;
}

export = function register(RED: NodeAPI): void {
  function InfluxdbConfigNode(this: Node<InfluxdbCredentials>, config: InfluxdbConfig) {
    RED.nodes.createNode(this, config);
    const node = this;
    const users = new Set<string>();
    let client: InfluxHttpClient | undefined;
    let problem: string | undefined;
    try {
      client = new InfluxHttpClient({
        url: settingOrDefault(config.url, "http://127.0.0.1:8086"),
        database: settingOrDefault(config.database, "honeyflow"),
        retentionPolicy: settingOrDefault(config.retentionPolicy, "") || undefined,
        createDatabase: config.createDatabase !== false,
        username: settingOrDefault(node.credentials?.username, "") || undefined,
        password: settingOrDefault(node.credentials?.password, "") || undefined,
      });
    } catch (err) {
      problem = RED._("influxdb-config.error.url", { url: config.url, error: (err as Error).message });
      node.error(problem);
    }

    // What `influx write` nodes use: the shared client (or why there is none), and the user count.
    Object.assign(node, {
      client,
      problem,
      register(user: Node) {
        users.add(user.id);
      },
      deregister(user: Node) {
        users.delete(user.id);
        if (users.size === 0) client?.close();
      },
    });

    node.on("close", (done: () => void) => {
      client?.close();
      done();
    });
  }

  RED.nodes.registerType<Node<InfluxdbCredentials>, InfluxdbConfig, unknown, InfluxdbCredentials>("honeyflow-influxdb", InfluxdbConfigNode, {
    credentials: { username: { type: "text" }, password: { type: "password" } },
  });
};
