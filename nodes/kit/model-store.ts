/**
 * Where a node keeps a model that must survive a redeploy and a restart: one JSON file per node
 * under `<userDir>/honeyflow/<kind>/<node id>.json`, written atomically (StateFile). Node
 * context would be lost without a persistent context store configured in settings.js, which
 * a standard install does not have; a file under userDir is there on every install.
 *
 *     const store = modelStore(RED, "drift", node.id, isSavedDrift);
 *     const saved = store?.load();        // undefined: nothing saved, or not ours
 *     store?.save(detector.toJSON());     // on an interval (saveModelEvery) and in close()
 */
import * as path from "node:path";
import type { NodeAPI } from "node-red";
import { StateFile } from "../../src/persistence/state-file";

/** The store for node `id` of `kind`, or undefined when Node-RED runs without a user directory. */
export function modelStore<T>(RED: NodeAPI, kind: string, id: string, isValid: (value: unknown) => value is T): StateFile<T> | undefined {
  const userDir = RED.settings.userDir as string | undefined;
  return userDir ? new StateFile(path.join(userDir, "honeyflow", kind, `${id}.json`), isValid) : undefined;
}

/** A stopping node's last word to its store: forget the model when the node left the flow, else save it. */
export function settleModelStore(store: StateFile<unknown> | undefined, removed: boolean, save: () => void, report: (err: Error) => void): void {
  try {
    if (removed) store?.remove();
    else save();
  } catch (err) {
    report(err as Error);
  }
}

/**
 * Saves a node's model every `intervalMs` until the timer is cleared. A save that throws (the user
 * directory read-only or full) is reported and the next one tries again: thrown from the timer it
 * would be uncaught, and Node-RED exits on an uncaught exception.
 */
export function saveModelEvery(intervalMs: number, save: () => void, report: (err: Error) => void): ReturnType<typeof setInterval> {
  return setInterval(() => {
    try {
      save();
    } catch (err) {
      report(err as Error);
    }
  }, intervalMs);
}
