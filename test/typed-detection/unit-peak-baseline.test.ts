import assert from "node:assert/strict";
import { SeededRandom } from "../../src/stats/seeded-random";
import { UnitPeakBaseline } from "../../src/typed-detection/unit-peak-baseline";

const MINUTE = 60_000;
const DAY = 86_400_000;

/** `days` of sources, `perDay` a day, each a burst of 1-3 events whose peak is drawn by `peak`. */
function feed(baseline: UnitPeakBaseline, random: SeededRandom, days: number, perDay: number, peak: () => number, startMs = 0) {
  for (let k = 0; k < days * perDay; k++) {
    const timeMs = startMs + (k * DAY) / perDay;
    const value = peak();
    for (let e = 0; e < random.integer(1, 3); e++) baseline.observe(`src-${startMs}-${k}`, e === 0 ? value : random.integer(0, value), timeMs + e * 1000);
  }
}

describe("UnitPeakBaseline", () => {
  it("has no threshold until enough units have closed", () => {
    const baseline = new UnitPeakBaseline({ idleMs: 30 * MINUTE, minUnits: 20 });
    for (let k = 0; k < 20; k++) baseline.observe(`src-${k}`, 3, k * 10 * MINUTE);
    assert.equal(baseline.threshold(1), undefined, "the last units are still open");
    baseline.observe("late", 1, 20 * 10 * MINUTE + 31 * MINUTE);
    assert.ok(baseline.units >= 20);
    assert.equal(baseline.threshold(1), 3);
  });

  it("lets through about the budget: on a stationary sensor, new units above the threshold come at about `alertsPerDay` a day", () => {
    for (const budget of [0.5, 2, 5]) {
      const random = new SeededRandom(`budget-${budget}`);
      const baseline = new UnitPeakBaseline({ idleMs: 30 * MINUTE });
      const peak = () => Math.round(random.exponential(4));
      feed(baseline, random, 20, 200, peak);
      const threshold = baseline.threshold(budget) as number;
      // A rounded exponential of mean 4 passes a whole number t with probability exp(-(t + 0.5) / 4).
      const perDay = 200 * Math.exp(-(threshold + 0.5) / 4);
      // Peaks are whole numbers, so the threshold can only fall on a step: at most the budget, and not far below it.
      assert.ok(perDay <= budget * 1.3 && perDay >= budget / 4, `budget ${budget}: ${perDay.toFixed(2)} a day above ${threshold}`);
    }
  });

  it("reaches past the highest peak seen while fewer units have closed than one per alert the budget allows", () => {
    // A busy sensor's first day: 200 sources, and a watch's budget of a quarter of an alert a day
    // asks for a peak that one source in 800 passes. The highest of 200 is passed by one in about
    // 200, so stopping there raised an alert at every new record (four times the budget).
    const rates = ["first-day-1", "first-day-2", "first-day-3", "first-day-4", "first-day-5"].map((seed) => {
      const random = new SeededRandom(seed);
      const baseline = new UnitPeakBaseline({ idleMs: 30 * MINUTE });
      feed(baseline, random, 1, 200, () => Math.round(random.exponential(4)));
      baseline.observe("late", 0, DAY + 31 * MINUTE);
      const threshold = baseline.threshold(0.25) as number;
      // A rounded exponential of mean 4 passes a whole number t with probability exp(-(t + 0.5) / 4).
      return 200 * Math.exp(-(threshold + 0.5) / 4);
    });
    // Read off 20 peaks, the tail is known only roughly: the budget is kept on average over sensors.
    const mean = rates.reduce((sum, rate) => sum + rate, 0) / rates.length;
    assert.ok(mean <= 0.25 * 1.5 && mean >= 0.25 / 3, `${mean.toFixed(2)} a day on average, ${rates.map((r) => r.toFixed(2)).join(", ")}`);
  });

  it("does not learn a unit that alerted: a second attack like the first meets the same threshold", () => {
    const random = new SeededRandom("poison");
    const baseline = new UnitPeakBaseline({ idleMs: 30 * MINUTE });
    feed(baseline, random, 5, 20, () => random.integer(0, 4));
    const before = baseline.threshold(0.5) as number;
    for (let attack = 0; attack < 3; attack++) {
      const unit = `attacker-${attack}`;
      const timeMs = 5 * DAY + attack * 2 * 3_600_000;
      baseline.observe(unit, 150, timeMs);
      baseline.threshold(0.5);
      baseline.markAlerted(unit);
    }
    feed(baseline, random, 1, 20, () => random.integer(0, 4), 8 * DAY);
    assert.equal(baseline.threshold(0.5), before);
    assert.ok(before < 150);
  });

  it("keeps a sensor's first few attacks out too: a handful of alerts in its first hours is no new normal", () => {
    // A watch's share of a 2-a-day budget over the first 6 hours allows less than one alert; attacks
    // come in runs all the same (the demo drills one of each kind within minutes, then every 8).
    const baseline = new UnitPeakBaseline({ idleMs: 30 * MINUTE });
    for (let k = 0; k < 30; k++) baseline.observe(`src-${k}`, k % 4, k * MINUTE);
    for (let attack = 0; attack < 4; attack++) {
      const unit = `attacker-${attack}`;
      baseline.observe(unit, 40, (40 + attack * 45) * MINUTE);
      baseline.threshold(1 / 3);
      baseline.markAlerted(unit);
    }
    baseline.observe("later", 1, 5 * 3_600_000);
    assert.equal(baseline.threshold(1 / 3), 3, "the attacks' peaks stay out of the baseline");
  });

  it("keeps a burst of alerts out: a few sources alerting within minutes of each other are one attack, not the sensor's normal", () => {
    // One actor with seven addresses, each brute-forcing hard for a minute, five minutes apart:
    // learned, their peaks would set the threshold every later brute force below them has to pass.
    const random = new SeededRandom("burst");
    const baseline = new UnitPeakBaseline({ idleMs: 30 * MINUTE });
    feed(baseline, random, 2, 20, () => random.integer(0, 4));
    const before = baseline.threshold(0.25) as number;
    for (let attack = 0; attack < 7; attack++) {
      const unit = `attacker-${attack}`;
      baseline.observe(unit, 160, 2 * DAY + attack * 5 * MINUTE);
      baseline.threshold(0.25);
      baseline.markAlerted(unit);
    }
    feed(baseline, random, 1, 20, () => random.integer(0, 4), 2 * DAY + 3 * 3_600_000);
    assert.equal(baseline.threshold(0.25), before);
    assert.ok(before < 160);
  });

  it("learns a few spaced-out attacks past the allowance as no more than a rise of the sensor's normal: a brute force far under their peaks still alerts", () => {
    // One actor with seven addresses, each brute-forcing hard for a minute, 32 minutes apart: further
    // apart than a unit's idle time, each counts against the allowance, and past it what alerted is
    // learned. Learned as they were, their peaks set the threshold every later brute force below them
    // has to pass.
    const random = new SeededRandom("spaced");
    const baseline = new UnitPeakBaseline({ idleMs: 30 * MINUTE });
    feed(baseline, random, 1, 20, () => random.integer(0, 4));
    for (let attack = 0; attack < 7; attack++) {
      const unit = `attacker-${attack}`;
      baseline.observe(unit, 160, DAY + attack * 32 * MINUTE);
      baseline.threshold(0.25);
      baseline.markAlerted(unit);
    }
    feed(baseline, random, 1, 20, () => random.integer(0, 4), DAY + 5 * 3_600_000);
    const threshold = baseline.threshold(0.25) as number;
    assert.ok(threshold < 40, `a brute force of 40 a minute passes ${threshold}`);
  });

  it("learns what alerts when alerts are the sensor's normal rather than rare", () => {
    const baseline = new UnitPeakBaseline({ idleMs: 30 * MINUTE });
    // A busy sensor met with a quiet sensor's prior: every source alerts at first.
    for (let k = 0; k < 100; k++) {
      baseline.observe(`busy-${k}`, 40, k * 40 * MINUTE);
      baseline.threshold(1);
      baseline.markAlerted(`busy-${k}`);
    }
    baseline.observe("later", 40, 100 * 40 * MINUTE + DAY);
    assert.ok(baseline.units >= 60, `${baseline.units} of 100 learned`);
    assert.equal(baseline.threshold(1), 40);
  });

  it("counts an alert learned as the sensor's margin against the allowance too, so that alerts on a prior soon become the sensor's normal", () => {
    const baseline = new UnitPeakBaseline({ idleMs: 30 * MINUTE });
    baseline.threshold(1 / 3);
    // A new sensor's first hours: five worm bots alert on a quiet sensor's prior and stay out.
    for (let k = 0; k < 5; k++) {
      baseline.observe(`bot-${k}`, 80, k * 40 * MINUTE);
      baseline.markAlerted(`bot-${k}`);
    }
    // Quieter sources warm the baseline up; the next bot passes the threshold they leave only just.
    for (let k = 0; k < 25; k++) baseline.observe(`src-${k}`, k, (200 + k * 40) * MINUTE);
    baseline.observe("bot-5", 30, 1_200 * MINUTE);
    baseline.markMargin("bot-5");
    baseline.observe("later", 1, 1_300 * MINUTE);
    assert.equal(baseline.threshold(1 / 3), 80, "six alerts in a day are this sensor's normal: the bots' peaks are learned");
  });

  it("spreads the budget over the days the sensor was seen, not back to 1970: one event a clock restarted at the epoch stamped leaves the threshold as it was", () => {
    const start = Date.UTC(2026, 2, 18);
    const thresholdAfter = (stray: boolean) => {
      const random = new SeededRandom("clock-restart");
      const baseline = new UnitPeakBaseline({ idleMs: 30 * MINUTE });
      if (stray) baseline.observe("booting", 0, 5000);
      feed(baseline, random, 3, 100, () => Math.round(random.exponential(4)), start);
      return baseline.threshold(0.5);
    };
    // Taken as time, 56 years made every unit rarer than the budget's share: the threshold was the lowest peak.
    assert.equal(thresholdAfter(true), thresholdAfter(false));
  });

  it("keeps its units open past one event stamped a year ahead: units and threshold as with the event stamped right", () => {
    const start = Date.UTC(2026, 2, 18);
    const run = (stray: boolean) => {
      const random = new SeededRandom("clock-ahead");
      const baseline = new UnitPeakBaseline({ idleMs: 30 * MINUTE });
      feed(baseline, random, 1, 100, () => Math.round(random.exponential(4)), start);
      baseline.observe("src-ahead", 1, start + DAY + (stray ? 365 * DAY : 0));
      // A brute force of one source, an event a minute: one unit whose peak is its highest.
      for (let m = 0; m < 20; m++) baseline.observe("brute", m, start + DAY + m * MINUTE);
      baseline.observe("late", 0, start + DAY + 60 * MINUTE);
      return { units: baseline.units, threshold: baseline.threshold(0.5) };
    };
    // Followed to a year ahead, the clock closed every unit at its next event: the brute force was 20 units of one event.
    assert.deepEqual(run(true), run(false));
  });

  it("continues from its JSON state with the same threshold", () => {
    const random = new SeededRandom("json");
    const baseline = new UnitPeakBaseline({ idleMs: 30 * MINUTE });
    feed(baseline, random, 3, 50, () => random.integer(0, 9));
    const restored = UnitPeakBaseline.fromJSON({ idleMs: 30 * MINUTE }, JSON.parse(JSON.stringify(baseline)));
    assert.equal(restored.threshold(1), baseline.threshold(1));
    assert.equal(restored.units, baseline.units);
  });

  it("counts a burst of alerts once across a restart, as an uninterrupted run does", () => {
    // One actor's addresses alerting minutes apart, the node restarted between two of them: counted
    // twice, the burst would use up the allowance and have its peaks learned as the sensor's normal.
    const options = { idleMs: 30 * MINUTE, maxOpenUnits: 2 };
    const random = new SeededRandom("burst-restart");
    const baseline = new UnitPeakBaseline(options);
    feed(baseline, random, 2, 20, () => random.integer(0, 4));
    const before = baseline.threshold(0.01) as number;
    const attack = (b: UnitPeakBaseline, unit: string, timeMs: number) => {
      b.observe(unit, 160, timeMs);
      b.threshold(0.01);
      b.markAlerted(unit);
    };
    // Four attacks hours apart, each counted: one short of the allowance.
    for (let k = 0; k < 4; k++) attack(baseline, `attacker-${k}`, 2 * DAY + k * 2 * 3_600_000);
    // The fifth attack's first address, pushed out of the full table of open units by a scan, counts too.
    const burstMs = 2 * DAY + 8 * 3_600_000;
    attack(baseline, "burst-0", burstMs);
    for (const scanner of ["scan-0", "scan-1"]) baseline.observe(scanner, 0, burstMs + MINUTE);
    const restored = UnitPeakBaseline.fromJSON(options, JSON.parse(JSON.stringify(baseline)));
    for (const b of [baseline, restored]) {
      attack(b, "burst-1", burstMs + 5 * MINUTE);
      feed(b, new SeededRandom("after"), 1, 20, () => 2, burstMs + 3_600_000);
    }
    assert.ok((baseline.threshold(0.01) as number) < 160, "uninterrupted, the burst stays out of the baseline");
    assert.equal(restored.threshold(0.01), baseline.threshold(0.01));
    assert.ok(before < 160);
    // A state saved before the time was kept, or a damaged one, restores as no alert counted yet.
    for (const saved of [undefined, "soon", Infinity, NaN]) {
      const state = { ...baseline.toJSON(), lastCountedAlertMs: saved as number };
      assert.equal(UnitPeakBaseline.fromJSON(options, state).toJSON().lastCountedAlertMs, null, String(saved));
    }
  });

  it("still judges a new unit by the others' values after a restart while cold, though the units open then are forgotten", () => {
    const baseline = new UnitPeakBaseline({ idleMs: 30 * MINUTE });
    for (let k = 0; k < 300; k++) baseline.observe(`src-${k % 9}`, k % 6, k * 1000);
    const restored = UnitPeakBaseline.fromJSON({ idleMs: 30 * MINUTE }, JSON.parse(JSON.stringify(baseline)));
    for (const b of [baseline, restored]) b.observe("203.0.113.9", 40, 301_000);
    assert.equal(baseline.coldTypical("203.0.113.9"), 5);
    assert.equal(restored.coldTypical("203.0.113.9"), 5, "not the new unit's own 40, as if it were the sensor's first");
    assert.equal(restored.units, 0);
  });

  it("restores a cold baseline whose values are many, as a statistic with a fraction in it can have", () => {
    const baseline = new UnitPeakBaseline({ idleMs: 30 * MINUTE });
    baseline.observe("src-0", 0, 0);
    const state = JSON.parse(JSON.stringify(baseline)) as ReturnType<UnitPeakBaseline["toJSON"]>;
    const many = 200_000;
    state.cold = { values: Array.from({ length: many }, (_, i) => i / 10), counts: new Array<number>(many).fill(1) };
    const restored = UnitPeakBaseline.fromJSON({ idleMs: 30 * MINUTE }, state);
    restored.observe("203.0.113.9", 1, 1000);
    // The 90th percentile (nearest rank) of the saved values: the new unit's own are left out.
    assert.equal(restored.coldTypical("203.0.113.9"), (Math.ceil(0.9 * many) - 1) / 10);
  });

  it("restores no cold values from a state whose counts are past whole numbers a double holds exactly, as only a corrupt file has", () => {
    const baseline = new UnitPeakBaseline({ idleMs: 30 * MINUTE });
    baseline.observe("src-0", 0, 0);
    const state = JSON.parse(JSON.stringify(baseline)) as ReturnType<UnitPeakBaseline["toJSON"]>;
    // Past 2^53 a count no longer grows by one, so the other units' values would seem never to change.
    state.cold = { values: [3, 7], counts: [2 ** 60, 1] };
    const restored = UnitPeakBaseline.fromJSON({ idleMs: 30 * MINUTE }, state);
    restored.observe("203.0.113.9", 40, 1000);
    assert.equal(restored.coldTypical("203.0.113.9"), 40, "judged as the sensor's first unit, as with no saved values");
  });

  it("reads a cold sensor's median unit as the median (nearest rank) of the other units' peaks, each unit once, or the unit's own while it is the only one", () => {
    const random = new SeededRandom("cold-median");
    const baseline = new UnitPeakBaseline({ idleMs: 5_000, minUnits: 1_000, keepColdPeaks: true });
    // Every unit's peak, and whether it is still open (seen within idleMs).
    const units = new Map<string, { peak: number; lastMs: number; closed: boolean }>();
    const closed: number[] = [];
    const medianOfOthers = (unit: string, now: number) => {
      for (const [, u] of units) if (!u.closed && now - u.lastMs > 5_000) {
        u.closed = true;
        closed.push(u.peak);
      }
      const others = [...closed, ...[...units].filter(([key, u]) => key !== unit && !u.closed).map(([, u]) => u.peak)];
      const own = units.get(unit);
      const pool = (others.length > 0 ? others : own && !own.closed ? [own.peak] : []).sort((a, b) => a - b);
      return pool.length === 0 ? NaN : pool[Math.ceil(0.5 * pool.length) - 1];
    };
    assert.ok(Number.isNaN(baseline.coldUnitMedian("m-0")));
    let unit = "m-0";
    let n = 0;
    for (let k = 0; k < 2_000; k++) {
      // A unit writes a run of events, some of them many, before the next one opens.
      if (random.chance(0.05)) unit = `m-${++n}`;
      const value = random.integer(0, random.chance(0.1) ? 200 : 20);
      const time = k * 1000;
      baseline.observe(unit, value, time);
      const known = units.get(unit);
      units.set(unit, { peak: Math.max(known?.peak ?? -Infinity, value), lastMs: time, closed: false });
      const judged = random.chance(0.8) ? unit : `m-${random.integer(0, n)}`;
      assert.equal(baseline.coldUnitMedian(judged), medianOfOthers(judged, time), `event ${k}, unit ${judged}`);
      assert.equal(baseline.coldUnitMedian(judged), medianOfOthers(judged, time), `event ${k}, unit ${judged} asked again`);
    }
    const restored = UnitPeakBaseline.fromJSON(baseline.options, JSON.parse(JSON.stringify(baseline)));
    restored.observe("new", 500, 2_000_000);
    const saved = [...closed].sort((a, b) => a - b);
    assert.equal(restored.coldUnitMedian("new"), saved[Math.ceil(0.5 * saved.length) - 1], "the closed units' peaks are saved; the units open then are forgotten");
    assert.ok(Number.isNaN(new UnitPeakBaseline({ idleMs: 5_000 }).coldUnitMedian("m-0")), "kept only when asked for");
  });

  it("reads a cold sensor's typical as the 90th percentile (nearest rank) of the other units' values, or the unit's own while it is the only one", () => {
    const random = new SeededRandom("cold-typical");
    // Never warm, nothing closes: every value stays in the cold counts.
    const baseline = new UnitPeakBaseline({ idleMs: DAY, minUnits: 1_000 });
    const seen = new Map<string, number[]>();
    const typicalOfOthers = (unit: string) => {
      const others = [...seen].filter(([other]) => other !== unit).flatMap(([, values]) => values);
      const pool = (others.length > 0 ? others : seen.get(unit) ?? []).sort((a, b) => a - b);
      return pool.length === 0 ? NaN : pool[Math.ceil(0.9 * pool.length) - 1];
    };
    assert.ok(Number.isNaN(baseline.coldTypical("src-0")));
    let unit = "src-0";
    for (let k = 0; k < 2_000; k++) {
      // Units come in runs, as a minute's events do, and then the same unit is judged again and again.
      if (random.chance(0.3)) unit = `src-${random.integer(0, k < 50 ? 0 : 12)}`;
      const value = random.integer(0, random.chance(0.1) ? 200 : 20);
      baseline.observe(unit, value, k * 1000);
      seen.set(unit, [...(seen.get(unit) ?? []), value]);
      const judged = random.chance(0.8) ? unit : `src-${random.integer(0, 14)}`;
      assert.equal(baseline.coldTypical(judged), typicalOfOthers(judged), `event ${k}, unit ${judged}`);
      assert.equal(baseline.coldTypical(judged), typicalOfOthers(judged), `event ${k}, unit ${judged} asked again`);
    }
  });
});
