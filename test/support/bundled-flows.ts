/**
 * The bundled flows under examples/, read as Node-RED imports them: a per-node example has no tab
 * of its own (the editor drops it into the tab in view), so here it gets one, `example-<name>`.
 *
 *     await runtime.deploy(bundledFlowNames().flatMap((name) => importedBundledFlow(name)));
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { FlowNode } from "./node-red-runtime";

const examplesDir = path.join(__dirname, "..", "..", "examples");

/** Every bundled flow's name (its file name without .json), sorted. */
export function bundledFlowNames(): string[] {
  return fs.readdirSync(examplesDir).filter((file) => file.endsWith(".json")).map((file) => path.basename(file, ".json")).sort();
}

/** The bundled flow as its file holds it. */
export function bundledFlow(name: string): FlowNode[] {
  return JSON.parse(fs.readFileSync(path.join(examplesDir, `${name}.json`), "utf8")) as FlowNode[];
}

/** The id of the tab the flow lands on when imported. */
export function bundledFlowTab(name: string): string {
  return bundledFlow(name).find((node) => node.type === "tab")?.id ?? `example-${name}`;
}

/**
 * The flow as imported into a tab of its own. The per-node examples name the standard local
 * ports of Mosquitto and InfluxDB; `services` puts the test's own in their place.
 */
export function importedBundledFlow(name: string, services: { mqttUrl: string; influxUrl: string }): FlowNode[] {
  const nodes = bundledFlow(name);
  const isConfig = (node: FlowNode) => node.x === undefined && node.wires === undefined;
  const relocated = nodes.map((node) => {
    if (node.url === "mqtt://127.0.0.1:1883") return { ...node, url: services.mqttUrl };
    if (node.url === "http://127.0.0.1:8086") return { ...node, url: services.influxUrl };
    return node;
  });
  if (nodes.some((node) => node.type === "tab")) return relocated;
  const tab = bundledFlowTab(name);
  return [{ id: tab, type: "tab", label: `example: ${name}` }, ...relocated.map((node) => (isConfig(node) || node.z ? node : { ...node, z: tab }))];
}
