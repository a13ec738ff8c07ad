/**
 * A fresh Node-RED user directory for each test of the calling suite, for node tests that run
 * on node-red-node-test-helper: the runtime starts on it (model files and spools land there),
 * and after the test the flow is unloaded before the directory is removed, since a node may
 * still write its state on close.
 *
 *     const userDir = freshUserDirEachTest("honeyflow-pca-");
 *     it("saves its model", async () => { ...; fs.existsSync(path.join(userDir(), "honeyflow")); });
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import helper from "node-red-node-test-helper";

export function freshUserDirEachTest(prefix: string): () => string {
  let dir: string | undefined;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    helper.settings({ userDir: dir });
  });
  afterEach(async () => {
    await helper.unload();
    // The helper's settings outlive the suite: left pointing here, the next suite's nodes would
    // keep their state in this (re-created) directory and meet it again in their next test.
    helper.settings({});
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    if (dir === undefined) throw new Error("the user directory exists only inside a test");
    return dir;
  };
}
