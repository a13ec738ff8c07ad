import assert from "node:assert/strict";
import { OnlineAnomalyScorer, restoredScorer } from "../../src/scoring/online-anomaly-scorer";
import { SeededRandom } from "../../src/stats/seeded-random";

describe("OnlineAnomalyScorer", () => {
  const names = ["failed_logins_1m", "hour_sin", "commands_1m"];
  /** Ordinary traffic, then one event far out on both the failed logins and the hour. */
  function explainOutlier(scorer: OnlineAnomalyScorer): string[] {
    const random = new SeededRandom("scorer");
    for (let i = 0; i < 2000; i++) scorer.process([random.integer(0, 3), 0.1 + random.next() / 100, random.integer(0, 2)], names.slice());
    const detection = scorer.process([40, 5, 1], names.slice());
    assert.equal(detection.anomaly, true);
    return (detection.explanation?.top_features ?? []).map((f) => f.name);
  }

  it("does not score the hour and weekday by default, and does when told to score everything", () => {
    const threshold = { warmUp: 200, quantile: 0.99 };
    const named = explainOutlier(new OnlineAnomalyScorer({ detector: "default", threshold }));
    assert.equal(named[0], "failed_logins_1m");
    assert.ok(!named.includes("hour_sin"), named.join());
    assert.ok(explainOutlier(new OnlineAnomalyScorer({ detector: "default", threshold, ignoreFeatures: "" })).includes("hour_sin"));
  });

  it("scores each window feature at one time scale by default, the minute, and every window when told to score everything", () => {
    const windows = ["failed_logins_30s", "failed_logins_1m", "failed_logins_5m", "events_per_min"];
    const explained = (scorer: OnlineAnomalyScorer) => {
      const random = new SeededRandom("one time scale");
      for (let i = 0; i < 2000; i++) {
        // Counts as they come: mostly none, now and then a few.
        const logins = random.chance(0.8) ? 0 : random.integer(1, 4);
        scorer.process([logins, logins + random.integer(0, 2), logins + random.integer(0, 6), 20 + random.integer(0, 5)], windows.slice());
      }
      const detection = scorer.process([40, 60, 90, 22], windows.slice());
      assert.equal(detection.anomaly, true);
      return (detection.explanation?.top_features ?? []).map((f) => f.name).filter((name) => name.startsWith("failed_logins"));
    };
    // The model alone: typed detection reads every window whatever the model scores.
    const options = { detector: "default", threshold: { warmUp: 200, fixed: 0.9 }, typed: false } as const;
    assert.deepEqual(explained(new OnlineAnomalyScorer(options)), ["failed_logins_1m"]);
    assert.deepEqual(explained(new OnlineAnomalyScorer({ ...options, ignoreFeatures: "" })).sort(), ["failed_logins_1m", "failed_logins_30s", "failed_logins_5m"]);
  });

  it("survives JSON with the same scores", () => {
    // Features no typed watch reads: the model's state is what this is about.
    const names = ["unique_usernames_1m", "hour_sin", "commands_1m"];
    const scorer = new OnlineAnomalyScorer({ detector: "default", threshold: { warmUp: 10 } });
    const random = new SeededRandom("json");
    for (let i = 0; i < 300; i++) scorer.process([random.integer(0, 5), random.next(), random.integer(0, 2)], names);
    const copy = OnlineAnomalyScorer.fromJSON(JSON.parse(JSON.stringify(scorer.toJSON())));
    assert.deepEqual(copy.process([40, 0.5, 1], names), scorer.process([40, 0.5, 1], names));
  });

  it("starts its model afresh when restored onto other features than it learned, as after an upgrade that scores fewer, and judges an event posted before then as a fresh model would", () => {
    const windows = ["failed_logins_30s", "failed_logins_1m", "failed_logins_5m", "commands_1m"];
    const random = new SeededRandom("other features");
    const event = () => {
      const logins = random.integer(0, 3);
      return [logins, logins + random.integer(0, 2), logins + random.integer(0, 5), random.integer(0, 2)];
    };
    // The model alone, over every window, as a model saved before the minute was its one time scale.
    const options = { detector: "default", threshold: { warmUp: 100 }, typed: false } as const;
    const saved = new OnlineAnomalyScorer({ ...options, ignoreFeatures: "" });
    for (let i = 0; i < 500; i++) saved.process(event(), windows);
    const state = JSON.parse(JSON.stringify(saved.toJSON())) as ReturnType<OnlineAnomalyScorer["toJSON"]>;
    const stateWithoutNames = { ...state, scored: undefined };
    // As the node restores a saved model: with the options it is deployed with now.
    const restored = [OnlineAnomalyScorer.fromJSON({ ...state, options }), OnlineAnomalyScorer.fromJSON({ ...stateWithoutNames, options })];
    const fresh = new OnlineAnomalyScorer(options);
    // A brute force posted to the REST API before the live stream resumes: it changes nothing, and the
    // saved model would read its minute's count against the 30 s window's history.
    const posted = [0, 40, 0, 0];
    const judged = fresh.process(posted, windows, {}, { learn: false });
    for (const scorer of restored) assert.deepEqual(scorer.process(posted, windows, {}, { learn: false }), judged, "posted");
    for (let i = 0; i < 300; i++) {
      const x = event();
      const expected = fresh.process(x, windows);
      for (const scorer of restored) assert.deepEqual(scorer.process(x, windows), expected, `event ${i}`);
    }
  });

  it("does not switch, on drift, to a model it put aside while its features were other ones", () => {
    const before = ["failed_logins_1m", "commands_1m"];
    const now = ["unique_usernames_1m", "downloads_1m"];
    const random = new SeededRandom("pool across features");
    const event = () => [random.integer(0, 3), random.integer(0, 2)];
    const options = { detector: "default", threshold: { warmUp: 100 }, typed: false } as const;
    const redeployed = new OnlineAnomalyScorer(options);
    for (let i = 0; i < 2000; i++) redeployed.process(event(), before);
    redeployed.switchModel();
    for (let i = 0; i < 500; i++) redeployed.process(event(), before);
    // Window features redeployed with other features, the detector left running.
    const fresh = new OnlineAnomalyScorer(options);
    for (let i = 0; i < 300; i++) {
      const x = event();
      assert.deepEqual(redeployed.process(x, now), fresh.process(x, now));
    }
    for (const scorer of [redeployed, fresh]) scorer.switchModel();
    for (let i = 0; i < 200; i++) {
      const x = event();
      assert.deepEqual(redeployed.process(x, now), fresh.process(x, now), `event ${i} after the switch`);
    }
  });

  /** The model alone after `events` ordinary events, and its state as saved. */
  function liveAndSaved(seed: string, events: number) {
    const names = ["failed_logins_1m", "commands_1m", "events_per_min"];
    const random = new SeededRandom(seed);
    const event = () => [random.integer(0, 3), random.integer(0, 2), random.integer(10, 20)];
    const live = new OnlineAnomalyScorer({ detector: "default", threshold: { warmUp: 100 }, typed: false });
    for (let i = 0; i < events; i++) live.process(event(), names);
    const state = JSON.parse(JSON.stringify(live.toJSON())) as ReturnType<OnlineAnomalyScorer["toJSON"]>;
    return { names, event, live, state };
  }

  it("keeps a model saved before the features' names were kept by the features it learned last, though its recent events span a change of features", () => {
    const { names, event, live, state } = liveAndSaved("old state across features", 1500);
    // As a scorer of an older version saved it: no names, and the oldest recent events from before
    // its window features were redeployed with one feature more (its models relearn on a new length).
    state.scored = undefined;
    for (let i = 0; i < 100; i++) state.recent[i] = [...state.recent[i], 0];
    const restored = OnlineAnomalyScorer.fromJSON(state);
    for (let i = 0; i < 200; i++) {
      const x = event();
      assert.deepEqual(restored.process(x, names), live.process(x, names), `event ${i}`);
    }
  });

  it("refuses a saved state edited by hand where a number list no longer holds numbers, rather than throw or score NaN", () => {
    const { names, event, state } = liveAndSaved("edited by hand", 500);
    const options = state.options;
    const events = Array.from({ length: 20 }, event);
    const intact = restoredScorer(JSON.parse(JSON.stringify(state)), options);
    assert.ok(intact && events.every((x) => Number.isFinite(intact.process(x, names).score)), "an intact state continues");
    // Every list of numbers in the model, the threshold and the baselines, with a NaN (JSON's null), emptied, or one short.
    const lists: Array<Array<string | number>> = [];
    const walk = (value: unknown, path: Array<string | number>) => {
      if (Array.isArray(value) && value.length > 0 && value.every((x) => typeof x === "number")) lists.push(path);
      else if (typeof value === "object" && value !== null) for (const [key, inner] of Object.entries(value)) walk(inner, [...path, Array.isArray(value) ? Number(key) : key]);
    };
    walk({ detector: state.detector, threshold: state.threshold, typed: state.typed }, []);
    assert.ok(lists.length > 10, `${lists.length} lists`);
    for (const path of lists) {
      for (const edit of [(list: unknown[]) => [null, ...list.slice(1)], () => [], (list: unknown[]) => list.slice(1)]) {
        const edited = JSON.parse(JSON.stringify(state)) as Record<string | number, unknown>;
        const parent = path.slice(0, -1).reduce<Record<string | number, unknown>>((at, key) => at[key] as Record<string | number, unknown>, edited);
        const key = path[path.length - 1];
        parent[key] = edit(parent[key] as unknown[]);
        const restored = restoredScorer(edited as unknown as typeof state, options);
        for (const x of restored ? events : []) {
          const { score, threshold } = restored!.process(x, names);
          assert.ok(Number.isFinite(score) && Number.isFinite(threshold), `${path.join(".")} edited to ${JSON.stringify(parent[key]).slice(0, 40)}: score ${score}, threshold ${threshold}`);
        }
      }
    }
  });

  it("judges a restored model by the threshold it is now set to, not the one saved with it, and keeps its evidence within its own bound", () => {
    const { names, event, state } = liveAndSaved("settings changed", 500);
    state.sustained!.source.options.maxKeys = 1e15; // edited by hand: no bound
    const restored = restoredScorer(state, { ...state.options, threshold: { fixed: 0.01, warmUp: 10 } });
    assert.equal(restored?.process(event(), names).threshold, 0.01, "the fixed threshold the node was redeployed with");
    assert.deepEqual(restored?.toJSON().threshold.options, { quantile: 0.995, warmUp: 10, halfLife: 10_000, fixed: 0.01 });
    assert.equal(restored?.toJSON().sustained?.source.options.maxKeys, 100_000);
  });

  it("restores a state whose recent events hold something that is no vector, leaving it out", () => {
    const { names, event, live, state } = liveAndSaved("recent not vectors", 500);
    const corrupt = { ...state, recent: [null, 7, ...state.recent] as unknown as number[][] };
    const restored = OnlineAnomalyScorer.fromJSON(corrupt);
    for (const scorer of [restored, live]) scorer.retrain();
    for (let i = 0; i < 100; i++) {
      const x = event();
      assert.deepEqual(restored.process(x, names), live.process(x, names), `event ${i}`);
    }
  });

  it("keeps a model of vectors that come without names, saved before names were kept, when the vectors are as long as before", () => {
    const random = new SeededRandom("no names");
    const event = () => [random.integer(0, 3), random.integer(0, 2), random.integer(10, 20)];
    const options = { detector: "default", threshold: { warmUp: 100 }, typed: false } as const;
    const live = new OnlineAnomalyScorer(options);
    for (let i = 0; i < 1500; i++) live.process(event(), []);
    // As a scorer of an older version saved it: no names of what it learned.
    const state = { ...JSON.parse(JSON.stringify(live.toJSON())), scored: undefined } as ReturnType<OnlineAnomalyScorer["toJSON"]>;
    const restored = OnlineAnomalyScorer.fromJSON(state);
    for (let i = 0; i < 200; i++) {
      const x = event();
      assert.deepEqual(restored.process(x, []), live.process(x, []), `event ${i}`);
    }
  });

  it("scores an event without learning it when told: later detections are as if it had never come", () => {
    const threshold = { warmUp: 100, quantile: 0.99 };
    const live = new OnlineAnomalyScorer({ detector: "default", threshold });
    const twin = new OnlineAnomalyScorer({ detector: "default", threshold });
    const random = new SeededRandom("score only");
    const event = () => [random.integer(0, 3), random.next(), random.integer(0, 2)];
    for (let i = 0; i < 600; i++) {
      const x = event();
      assert.deepEqual(live.process(x, names, { src_ip: `198.51.100.${i % 7}` }), twin.process(x, names, { src_ip: `198.51.100.${i % 7}` }));
      // A REST client posts the same burst again and again, from one of the live sources.
      if (i % 3 === 0) live.process([40, 0.5, 9], names, { src_ip: "198.51.100.1" }, { learn: false });
    }
    assert.deepEqual(live.toJSON(), twin.toJSON());
    assert.equal(live.events, 600);
  });

  describe("typed detection beside the model", () => {
    const layout = ["failed_logins_1m", "unique_ports_1m", "events_per_min", "new_ips_per_min", "download_execs_5m", "campaign_sources_1m", "campaign_sources_5m", "rare_commands_5m"];
    const at = (values: Record<string, number>) => layout.map((name) => values[name] ?? 0);

    it("calls a brute force on a new sensor's first events, named and explained, while the model still warms up", () => {
      const scorer = new OnlineAnomalyScorer({ detector: "default", threshold: { warmUp: 2000 } });
      const t0 = Date.UTC(2026, 2, 18);
      for (let i = 0; i < 50; i++) scorer.process(at({ failed_logins_1m: i % 3 }), layout, { src_ip: `10.0.0.${i}`, sensor: "s1", time_ms: t0 + i * 1000 });
      const detection = scorer.process(at({ failed_logins_1m: 40 }), layout, { src_ip: "203.0.113.7", sensor: "s1", time_ms: t0 + 60_000 });
      assert.equal(detection.warm, false);
      assert.equal(detection.anomaly, true);
      assert.equal(detection.typed?.type, "brute-force");
      assert.equal(detection.explanation?.attack_type, "brute-force");
      assert.deepEqual(detection.explanation?.top_features[0], { name: "failed_logins_1m", value: 40, usual: [0, 15], outlyingness: 40 / 15 });
    });

    it("runs the rules alone, with no model, when asked for `rules`", () => {
      const scorer = new OnlineAnomalyScorer({ detector: "rules", threshold: {}, rules: { failedLogins: 30 } });
      const origin = { src_ip: "203.0.113.7", sensor: "s1", time_ms: 0 };
      assert.equal(scorer.process(at({ failed_logins_1m: 29 }), layout, origin).anomaly, false);
      const fired = scorer.process(at({ failed_logins_1m: 30 }), layout, origin);
      assert.deepEqual([fired.anomaly, fired.typed?.type, fired.typed?.threshold], [true, "brute-force", 30]);
      const copy = OnlineAnomalyScorer.fromJSON(JSON.parse(JSON.stringify(scorer.toJSON())));
      assert.equal(copy.process(at({ failed_logins_1m: 30 }), layout, origin).typed?.type, "brute-force");
    });

    it("keeps the sensor's baselines across JSON, and a posted event does not teach them", () => {
      const scorer = new OnlineAnomalyScorer({ detector: "default", threshold: { warmUp: 100 } });
      const random = new SeededRandom("typed-json");
      const t0 = Date.UTC(2026, 2, 18);
      for (let i = 0; i < 3000; i++) {
        scorer.process(at({ failed_logins_1m: random.integer(0, 4) }), layout, { src_ip: `10.0.${i % 250}.1`, sensor: "s1", time_ms: t0 + i * 60_000 });
      }
      const before = JSON.stringify(scorer.toJSON());
      const posted = scorer.process(at({ failed_logins_1m: 500 }), layout, { src_ip: "198.51.100.9", sensor: "s1", time_ms: t0 + 3001 * 60_000 }, { learn: false });
      assert.equal(posted.typed?.type, "brute-force", "judged by the baselines as they stand");
      assert.equal(JSON.stringify(scorer.toJSON()), before);
      const copy = OnlineAnomalyScorer.fromJSON(JSON.parse(before));
      const event = { src_ip: "203.0.113.8", sensor: "s1", time_ms: t0 + 3002 * 60_000 };
      assert.deepEqual(copy.process(at({ failed_logins_1m: 9 }), layout, event).typed, scorer.process(at({ failed_logins_1m: 9 }), layout, event).typed);
    });
  });

  describe("evidence that adds up", () => {
    const traffic = ["failed_logins_1m", "commands_1m", "events_per_min"];
    /** A scorer whose threshold flags nothing, after 30,000 ordinary events from 200 sources of one sensor. */
    function quietScorer(sustained: boolean): { scorer: OnlineAnomalyScorer; random: SeededRandom } {
      // A fixed threshold of 1 flags no event alone: whatever is flagged, evidence flagged it.
      // The model's evidence alone: typed detection has tests of its own.
      const scorer = new OnlineAnomalyScorer({ detector: "default", threshold: { warmUp: 500, fixed: 1 }, sustained, typed: false });
      const random = new SeededRandom("evidence");
      // So many that an event beyond all of them has p = 3 / 30,002 ≈ 1e-4 (three members,
      // Bonferroni): after fewer, no single event can be that sure, and a run needs more of them.
      for (let i = 0; i < 30_000; i++) {
        scorer.process([random.integer(0, 3), random.integer(0, 2), 100 + random.integer(0, 20)], traffic, { src_ip: `10.0.${i % 200}.1`, sensor: "s1" });
      }
      return { scorer, random };
    }

    it("flags a source's run of rare events from its second one on, but not the same events from different sources", () => {
      const rareEvents = (fromSource: (i: number) => string) => {
        const { scorer, random } = quietScorer(true);
        return Array.from({ length: 4 }, (_, i) => scorer.process([5, 4, 100 + random.integer(0, 20)], traffic, { src_ip: fromSource(i), sensor: "s1" }));
      };
      const run = rareEvents(() => "203.0.113.7");
      assert.deepEqual(run.map((d) => d.anomaly), [false, true, true, true]);
      for (const detection of run.slice(1)) {
        assert.equal(detection.sustained, "source");
        const named = detection.explanation?.top_features.map((f) => f.name) ?? [];
        assert.ok(named.includes("failed_logins_1m") || named.includes("commands_1m"), `explained by ${named.join()}`);
      }
      assert.deepEqual(rareEvents((i) => `198.51.100.${i}`).map((d) => d.anomaly), [false, false, false, false]);
    });

    it("flags a sensor whose traffic stays beyond everything seen, explained by its traffic alone as a traffic spike", () => {
      const { scorer, random } = quietScorer(true);
      const spike = Array.from({ length: 100 }, (_, i) => scorer.process([random.integer(0, 3), random.integer(0, 2), 400 + i], traffic, { src_ip: `10.1.${i}.1`, sensor: "s1" }));
      const flagged = spike.filter((d) => d.anomaly);
      assert.ok(flagged.length > 0 && !spike[0].anomaly, `${flagged.length} of 100 flagged`);
      for (const detection of flagged) {
        assert.equal(detection.sustained, "sensor");
        assert.equal(detection.explanation?.attack_type, "traffic-spike");
        assert.deepEqual(detection.explanation?.top_features.map((f) => f.name), ["events_per_min"]);
      }
      // Another sensor's ordinary traffic is not part of the spike.
      assert.equal(scorer.process([1, 1, 110], traffic, { src_ip: "10.2.0.1", sensor: "s2" }).anomaly, false);
    });

    it("judges each event alone when turned off", () => {
      const { scorer, random } = quietScorer(false);
      for (let i = 0; i < 4; i++) assert.equal(scorer.process([5, 4, 110], traffic, { src_ip: "203.0.113.7", sensor: "s1" }).anomaly, false);
      for (let i = 0; i < 100; i++) assert.equal(scorer.process([random.integer(0, 3), 1, 400 + i], traffic, { src_ip: `10.1.${i}.1`, sensor: "s1" }).anomaly, false);
    });

    it("keeps the sums across JSON", () => {
      const { scorer } = quietScorer(true);
      scorer.process([5, 4, 110], traffic, { src_ip: "203.0.113.7", sensor: "s1" });
      const copy = OnlineAnomalyScorer.fromJSON(JSON.parse(JSON.stringify(scorer.toJSON())));
      const next = copy.process([5, 4, 110], traffic, { src_ip: "203.0.113.7", sensor: "s1" });
      assert.equal(next.sustained, "source", "the restored scorer remembers the first rare event");
      assert.deepEqual(next, scorer.process([5, 4, 110], traffic, { src_ip: "203.0.113.7", sensor: "s1" }));
    });
  });
});
