import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { AdaptiveThreshold } from "../../src/scoring/adaptive-threshold";
import { DEFAULT_IGNORED_FEATURES } from "../../src/scoring/online-anomaly-scorer";

const root = path.join(__dirname, "..", "..");
const flow = (name: string) => JSON.parse(fs.readFileSync(path.join(root, "examples", name), "utf8")) as Array<Record<string, unknown>>;

/**
 * The live flow runs the detector `honeyflow score` runs: a back-test flags what the deployed flow
 * would. The CLI takes its defaults from the scorer, the flows and the editor spell them out.
 */
describe("bundled flows: the online detector is the CLI's", () => {
  for (const name of ["full-pipeline.json", "rest-api.json"]) {
    it(`${name}: default detection, the CLI's threshold, and the features the CLI scores`, () => {
      const detectors = flow(name).filter((n) => n.type === "honeyflow-online-detector");
      assert.ok(detectors.length > 0);
      for (const detector of detectors) {
        assert.equal(detector.detector, "default");
        assert.equal(detector.thresholdMode, "adaptive");
        assert.equal(Number(detector.quantile), AdaptiveThreshold.DEFAULTS.quantile);
        assert.equal(detector.ignoreFeatures, DEFAULT_IGNORED_FEATURES);
      }
    });
  }

  it("full-pipeline.json warms up as the CLI does", () => {
    const detector = flow("full-pipeline.json").find((n) => n.type === "honeyflow-online-detector") as Record<string, unknown>;
    assert.equal(Number(detector.warmUp), AdaptiveThreshold.DEFAULTS.warmUp);
  });

  it("a node dragged in from the palette has the CLI's defaults", () => {
    const html = fs.readFileSync(path.join(root, "nodes", "online-detector", "online-detector.html"), "utf8");
    const defaultOf = (property: string) => new RegExp(`${property}: \\{ value: '([^']*)'`).exec(html)?.[1];
    assert.equal(defaultOf("detector"), "default");
    assert.equal(Number(defaultOf("quantile")), AdaptiveThreshold.DEFAULTS.quantile);
    assert.equal(Number(defaultOf("warmUp")), AdaptiveThreshold.DEFAULTS.warmUp);
    assert.equal(defaultOf("ignoreFeatures"), DEFAULT_IGNORED_FEATURES);
  });
});
