import assert from "node:assert/strict";
import { OpenSessions } from "../../src/features/open-sessions";

describe("OpenSessions", () => {
  it("counts the source's other sessions open beside one, until they close", () => {
    const open = new OpenSessions();
    open.observe("s1", "cowrie.session.connect", 0);
    assert.equal(open.othersOpen("s1", 1), 0, "alone");
    open.observe("s2", "cowrie.session.connect", 2);
    assert.equal(open.othersOpen("s1", 3), 1);
    assert.equal(open.othersOpen("s2", 3), 1);
    open.observe("s1", "cowrie.session.closed", 4);
    assert.equal(open.othersOpen("s2", 5), 0, "s1 closed");
  });

  it("counts one after another as none open beside each other", () => {
    const open = new OpenSessions();
    for (let k = 0; k < 5; k++) {
      open.observe(`s${k}`, "cowrie.session.connect", k * 20);
      open.observe(`s${k}`, "cowrie.login.failed", k * 20 + 10);
      assert.equal(open.othersOpen(`s${k}`, k * 20 + 10), 0, `s${k}`);
      open.observe(`s${k}`, "cowrie.session.closed", k * 20 + 19);
    }
  });

  it("forgets a session silent past Cowrie's idle timeout whose close was lost, and one it never saw connect", () => {
    const open = new OpenSessions();
    open.observe("lost", "cowrie.session.connect", 0);
    open.observe("seen-late", "cowrie.login.failed", 1);
    open.observe("s2", "cowrie.session.connect", 100);
    assert.equal(open.othersOpen("s2", 180), 1, "silent for 180 s: still open");
    assert.equal(open.othersOpen("s2", 181), 0, "silent for 181 s: Cowrie would have closed it");
  });

  it("holds at most 64 sessions of a flood of connections", () => {
    const open = new OpenSessions();
    for (let k = 0; k < 1000; k++) open.observe(`s${k}`, "cowrie.session.connect", 0);
    assert.equal(open.size, 64);
    assert.equal(open.othersOpen("s999", 1), 63);
  });
});
