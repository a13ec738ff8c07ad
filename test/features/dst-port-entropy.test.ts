import assert from "node:assert/strict";
import { DstPortEntropy } from "../../src/features/dst-port-entropy";
import { SeededRandom } from "../../src/stats/seeded-random";

/** Shannon entropy in bits of a list of ports, straight from the definition. */
function entropyOf(ports: number[]): number {
  const counts = new Map<number, number>();
  for (const p of ports) counts.set(p, (counts.get(p) ?? 0) + 1);
  let h = 0;
  for (const c of counts.values()) h -= (c / ports.length) * Math.log2(c / ports.length);
  return h;
}

describe("DstPortEntropy", () => {
  it("is 0 for one port or none, 1 bit for two ports hit evenly, log2(n) for n", () => {
    const ports = new DstPortEntropy();
    assert.equal(ports.entropy(0), 0);
    ports.add(22, 100);
    ports.add(22, 100);
    assert.equal(ports.entropy(0), 0);
    ports.add(23, 101);
    ports.add(23, 101);
    assert.equal(ports.entropy(0), 1);
    for (const p of [80, 443, 8080, 3389]) ports.add(p, 102);
    // 22, 22, 23, 23, 80, 443, 8080, 3389: two ports twice, four once.
    assert.ok(Math.abs(ports.entropy(0) - (2 * 0.25 * 2 + 4 * 0.125 * 3)) < 1e-12);
    assert.equal(ports.entropy(102), 2, "four ports since second 102");
  });

  it("matches the definition on random windows while it holds every observation (property)", () => {
    const random = new SeededRandom("entropy");
    for (let trial = 0; trial < 200; trial++) {
      const ports = new DstPortEntropy(128);
      const seen: Array<[number, number]> = [];
      const n = random.integer(1, 128);
      for (let i = 0; i < n; i++) {
        const observation: [number, number] = [random.integer(0, 60), random.pick([22, 23, 80, 443, 2222, random.integer(1, 65535)])];
        seen.push(observation);
        ports.add(observation[1], observation[0]);
      }
      const since = random.integer(0, 60);
      const expected = entropyOf(seen.filter(([second]) => second >= since).map(([, port]) => port));
      assert.ok(Math.abs(ports.entropy(since) - expected) < 1e-9, `trial ${trial}`);
    }
  });

  it("answers every window as it would if asked once, however often it is asked between additions (property)", () => {
    const random = new SeededRandom("entropy-asked-again");
    const ports = new DstPortEntropy(16);
    const added: Array<[number, number]> = [];
    let second = 0;
    for (let i = 0; i < 3_000; i++) {
      if (random.chance(0.3)) {
        second += random.integer(0, 3);
        const port = random.pick([22, 23, 80, random.integer(1, 65535)]);
        ports.add(port, second);
        added.push([port, second]);
      }
      const since = second - random.integer(0, 40);
      const fresh = new DstPortEntropy(16);
      for (const [port, at] of added) fresh.add(port, at);
      assert.equal(ports.entropy(since), fresh.entropy(since), `step ${i}, since ${since}`);
    }
  });

  it("over capacity, is the entropy of the latest observations: a scan saturates at log2(capacity)", () => {
    const ports = new DstPortEntropy(4);
    for (let port = 1; port <= 1000; port++) ports.add(port, 7);
    assert.equal(ports.entropy(0), 2);
    for (let i = 0; i < 4; i++) ports.add(22, 8);
    assert.equal(ports.entropy(0), 0, "the four latest are all port 22");
  });
});
