import assert from "node:assert/strict";
import { protocolFromSystem } from "../../src/ingest/cowrie-system-protocol";

describe("protocolFromSystem", () => {
  it("reads the transport from the Twisted prefixes Cowrie 1.x logged its events under", () => {
    assert.equal(protocolFromSystem("cowrie.ssh.factory.CowrieSSHFactory"), "ssh");
    assert.equal(protocolFromSystem("SSHService 'ssh-userauth' on HoneyPotSSHTransport,19,52.88.114.5"), "ssh");
    assert.equal(protocolFromSystem("cowrie.telnet.transport.HoneyPotTelnetFactory"), "telnet");
    assert.equal(protocolFromSystem("CowrieTelnetTransport,5,203.0.113.7"), "telnet");
  });

  it("tells nothing from Twisted's default prefix, or from a system that is not text", () => {
    assert.equal(protocolFromSystem("-"), undefined);
    assert.equal(protocolFromSystem(undefined), undefined);
    assert.equal(protocolFromSystem(7), undefined);
  });
});
