/**
 * The Node-RED the node and end-to-end tests run: this project's devDependency (4.1.x), or the
 * one installed at HONEYFLOW_NODE_RED_DIR, which .ci/run points at Node-RED 5.x and runs on
 * Node 22, so the package is proven on both majors it claims.
 *
 *     helper.init(nodeRedRuntimeModule);
 */
import * as fs from "node:fs";
import * as path from "node:path";

/** The node-red package directory. */
export const nodeRedPackageDir = process.env.HONEYFLOW_NODE_RED_DIR
  ? path.resolve(process.env.HONEYFLOW_NODE_RED_DIR)
  : path.dirname(require.resolve("node-red/package.json"));

/** Its runtime module, what node-red-node-test-helper's `init` takes. */
export const nodeRedRuntimeModule = require.resolve(nodeRedPackageDir);

/** Its command line, what `node-red` runs. */
export const nodeRedMain = path.join(nodeRedPackageDir, "red.js");

export const nodeRedVersion = (JSON.parse(fs.readFileSync(path.join(nodeRedPackageDir, "package.json"), "utf8")) as { version: string }).version;
