/**
 * A node's register function with its own en-US message catalog behind `RED._`, through
 * Node-RED's i18n, for tests that read what a warning says. The test helper's `RED._` returns
 * the bare key, so a value substituted into a message (attacker text, a count) never shows.
 *
 *     await helper.load(await withMessageCatalog(enrichNode, "enrich"), flow);
 */
import * as path from "node:path";
import type { NodeAPI } from "node-red";
import { nodeRedPackageDir } from "./node-red-under-test";

interface NodeRedI18n {
  init(settings: object): void;
  registerMessageCatalog(namespace: string, dir: string, file: string): Promise<void>;
  _(key: string, substitutions?: object): string;
}

export async function withMessageCatalog(register: (RED: NodeAPI) => void, nodeName: string): Promise<(RED: NodeAPI) => void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { i18n } = require(require.resolve("@node-red/util", { paths: [nodeRedPackageDir] })) as { i18n: NodeRedI18n };
  i18n.init({ lang: "en-US" }); // once per process: a second call keeps the first
  const namespace = `honeyflow-test-${nodeName}`;
  await i18n.registerMessageCatalog(namespace, path.join(__dirname, "../../nodes", nodeName, "locales"), `${nodeName}.json`);
  return (RED) => {
    (RED as { _: (key: string, substitutions?: object) => string })._ = (key, substitutions) => i18n._(`${namespace}:${key}`, substitutions);
    register(RED);
  };
}
