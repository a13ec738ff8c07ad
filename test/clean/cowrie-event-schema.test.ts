import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { cowrieEventSchema } from "../../src/clean/cowrie-event-schema";

describe("cowrieEventSchema", () => {
  it("keeps long forged eventids out of its cache, so they cannot crowd out Cowrie's own", () => {
    // A fresh copy of the module: its cache of schemas is the module's own.
    const load = createRequire(__filename);
    const modulePath = load.resolve("../../src/clean/cowrie-event-schema");
    delete load.cache[modulePath];
    const fresh = (load(modulePath) as { cowrieEventSchema: typeof cowrieEventSchema }).cowrieEventSchema;
    delete load.cache[modulePath];
    for (let i = 0; i < 300; i++) fresh(`cowrie.session.${String(i).padStart(1_000, "x")}`);
    assert.equal(fresh("cowrie.session.params"), fresh("cowrie.session.params"), "worked out once and shared");
  });

  it("puts every eventid Cowrie writes into its category", () => {
    const expected: Record<string, string> = {
      "cowrie.session.connect": "connect",
      "cowrie.login.success": "auth",
      "cowrie.login.failed": "auth",
      "cowrie.command.input": "command",
      "cowrie.command.failed": "command",
      "cowrie.session.file_download": "file",
      "cowrie.session.file_download.failed": "file",
      "cowrie.session.file_upload": "file",
      "cowrie.client.version": "client",
      "cowrie.client.kex": "client",
      "cowrie.client.fingerprint": "client",
      "cowrie.client.size": "client",
      "cowrie.telnet.option": "client",
      "cowrie.direct-tcpip.request": "tunnel",
      "cowrie.direct-tcpip.data": "tunnel",
      "cowrie.session.closed": "session",
      "cowrie.session.params": "session",
      "cowrie.log.open": "session",
      "cowrie.log.closed": "session",
      "cowrie.proxy.backend_connected": "session",
      "cowrie.virustotal.scanfile": "other",
      "cowrie.something.new.in.2027": "other",
      "not-cowrie-at-all": "other",
    };
    for (const [eventid, category] of Object.entries(expected)) assert.equal(cowrieEventSchema(eventid).category, category, eventid);
  });

  it("expects the shared fields everywhere and each eventid's own fields", () => {
    assert.deepEqual(cowrieEventSchema("cowrie.login.failed").text, ["sensor", "session", "protocol", "username", "password"]);
    assert.deepEqual(cowrieEventSchema("cowrie.session.connect").values, ["src_port", "dst_ip", "dst_port"]);
    assert.deepEqual(cowrieEventSchema("cowrie.session.closed").values, ["duration_ms"]);
    assert.deepEqual(cowrieEventSchema("cowrie.session.file_download").text.slice(3), ["url", "shasum"]);
    assert.deepEqual(cowrieEventSchema("cowrie.client.version").text.slice(3), ["client_version"]);
    assert.deepEqual(cowrieEventSchema("cowrie.unknown.event"), { category: "other", text: ["sensor", "session", "protocol"], values: [] });
  });

  it("does not take inherited object keys for eventids", () => {
    assert.deepEqual(cowrieEventSchema("constructor").text, ["sensor", "session", "protocol"]);
    assert.deepEqual(cowrieEventSchema("__proto__").values, []);
  });

  it("hands every caller the same schema, which none of them can change for the next", () => {
    const schema = cowrieEventSchema("cowrie.session.connect");
    assert.throws(() => (schema.text as string[]).push("username"), TypeError);
    assert.throws(() => (schema.values as string[]).pop(), TypeError);
    assert.deepEqual(cowrieEventSchema("cowrie.session.connect"), { category: "connect", text: ["sensor", "session", "protocol"], values: ["src_port", "dst_ip", "dst_port"] });
  });
});
