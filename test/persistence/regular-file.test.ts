import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { openRegularFile } from "../../src/persistence/regular-file";

describe("openRegularFile", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "honeyflow-regular-file-"));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("opens a regular file", async () => {
    const file = path.join(dir, "GeoLite2-ASN.mmdb");
    fs.writeFileSync(file, "bytes");
    const handle = await openRegularFile(file);
    try {
      assert.equal(String(await handle.readFile()), "bytes");
    } finally {
      await handle.close();
    }
  });

  it("refuses a FIFO at once, without waiting for a writer, and a directory or a device, naming the path and what it is", async function () {
    if (process.platform === "win32") this.skip();
    const fifo = path.join(dir, "GeoLite2-City.mmdb");
    execFileSync("mkfifo", [fifo]);
    // An open that waits for a writer fails the test rather than hanging it.
    const within = (opening: Promise<unknown>) => Promise.race([opening,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error("still opening after 5 s")), 5_000).unref())]);
    try {
      await assert.rejects(within(openRegularFile(fifo)), { message: `${fifo} is not a regular file but a FIFO` });
      await assert.rejects(within(openRegularFile(dir)), { message: `${dir} is not a regular file but a directory` });
      await assert.rejects(within(openRegularFile("/dev/null")), { message: "/dev/null is not a regular file but a character device" });
      await assert.rejects(openRegularFile(path.join(dir, "missing")), { code: "ENOENT" });
    } finally {
      try {
        fs.closeSync(fs.openSync(fifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK)); // ends an open still waiting
      } catch {
        // ENXIO: none waits
      }
    }
  });
});
