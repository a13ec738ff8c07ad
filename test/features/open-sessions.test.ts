import assert from "node:assert/strict";
import { OpenSessions } from "../../src/features/open-sessions";

describe("OpenSessions", () => {
  it("counts the source's other sessions open beside one, until they close", () => {
    const open = new OpenSessions();
    open.observe("s1", "cowrie.session.connect", 0);
    assert.equal(open.othersOpen("s1", 1000), 0, "alone");
    open.observe("s2", "cowrie.session.connect", 2000);
    assert.equal(open.othersOpen("s1", 3000), 1);
    assert.equal(open.othersOpen("s2", 3000), 1);
    open.observe("s1", "cowrie.session.closed", 4000);
    assert.equal(open.othersOpen("s2", 5000), 0, "s1 closed");
  });

  it("counts one after another as none open beside each other", () => {
    const open = new OpenSessions();
    for (let k = 0; k < 5; k++) {
      open.observe(`s${k}`, "cowrie.session.connect", k * 20_000);
      open.observe(`s${k}`, "cowrie.login.failed", k * 20_000 + 10_000);
      assert.equal(open.othersOpen(`s${k}`, k * 20_000 + 10_000), 0, `s${k}`);
      open.observe(`s${k}`, "cowrie.session.closed", k * 20_000 + 19_000);
    }
  });

  it("forgets a session silent past Cowrie's idle timeout whose close was lost, and one it never saw connect", () => {
    const open = new OpenSessions();
    open.observe("lost", "cowrie.session.connect", 0);
    open.observe("seen-late", "cowrie.login.failed", 1000);
    open.observe("s2", "cowrie.session.connect", 100_000);
    assert.equal(open.othersOpen("s2", 180_000), 1, "silent for 180 s: still open");
    assert.equal(open.othersOpen("s2", 181_000), 0, "silent for 181 s: Cowrie would have closed it");
  });

  it("says how long a session was silent before each event: a person's pauses, a script's none", () => {
    const open = new OpenSessions();
    assert.equal(open.observe("s1", "cowrie.session.connect", 0), undefined, "its first event");
    assert.equal(open.observe("s1", "cowrie.login.success", 3000), 3000);
    assert.equal(open.observe("s1", "cowrie.command.input", 7500), 4500);
    assert.equal(open.observe("s1", "cowrie.command.input", 7800), 300);
    assert.equal(open.observe("s9", "cowrie.command.input", 8000), undefined, "never seen to connect");
  });

  it("holds at most 64 sessions of a flood of connections", () => {
    const open = new OpenSessions();
    for (let k = 0; k < 1000; k++) open.observe(`s${k}`, "cowrie.session.connect", 0);
    assert.equal(open.size, 64);
    assert.equal(open.othersOpen("s999", 1000), 63);
  });
});
