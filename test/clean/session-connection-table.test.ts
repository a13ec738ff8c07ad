import assert from "node:assert/strict";
import { SessionConnectionTable } from "../../src/clean/session-connection-table";

const connection = { src_port: 51234, dst_ip: "10.0.0.2", dst_port: 22, protocol: "ssh" };

describe("SessionConnectionTable", () => {
  it("returns a session's connection until the session is forgotten", () => {
    const table = new SessionConnectionTable(10);
    table.remember("sensor-1", "a1b2c3d4e5f6", connection);
    assert.deepEqual(table.lookup("sensor-1", "a1b2c3d4e5f6"), connection);
    table.forget("sensor-1", "a1b2c3d4e5f6");
    assert.equal(table.lookup("sensor-1", "a1b2c3d4e5f6"), undefined);
    assert.equal(table.size, 0);
  });

  it("keeps two sensors' sessions with the same id apart", () => {
    const table = new SessionConnectionTable(10);
    table.remember("sensor-1", "a1b2c3d4e5f6", connection);
    table.remember("sensor-2", "a1b2c3d4e5f6", { ...connection, dst_port: 23, protocol: "telnet" });
    assert.equal(table.lookup("sensor-1", "a1b2c3d4e5f6")?.dst_port, 22);
    assert.equal(table.lookup("sensor-2", "a1b2c3d4e5f6")?.dst_port, 23);
  });

  it("stays within capacity in a scan storm, dropping the least recently active session", () => {
    const table = new SessionConnectionTable(1000);
    table.remember("s", "busy", connection);
    for (let i = 0; i < 100_000; i++) {
      table.remember("s", `scan-${i}`, connection);
      if (i % 500 === 0) table.lookup("s", "busy"); // an attacker still typing commands
    }
    assert.equal(table.size, 1000);
    assert.equal(table.evicted, 100_001 - 1000);
    assert.deepEqual(table.lookup("s", "busy"), connection);
    assert.equal(table.lookup("s", "scan-0"), undefined);
  });
});
