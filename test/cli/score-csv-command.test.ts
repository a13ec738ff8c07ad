import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { SeededRandom } from "../../src/stats/seeded-random";
import { runHoneyflow as honeyflow } from "../support/honeyflow-cli";


describe("honeyflow score-csv", function () {
  this.timeout(60_000);
  let dir: string;
  let csv: string[];
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "honeyflow-score-csv-"));
    const random = new SeededRandom("csv");
    csv = ["a,b,label,c"];
    for (let i = 0; i < 600; i++) {
      const anomaly = i % 50 === 49;
      csv.push([random.next() * 10 + (anomaly ? 80 : 0), random.exponential(2), anomaly ? 1 : 0, random.integer(0, 5)].join(","));
    }
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, lines: string[]) => {
    fs.writeFileSync(path.join(dir, name), `${lines.join("\n")}\n`);
    return path.join(dir, name);
  };
  const scores = (file: string) => fs.readFileSync(file, "utf8").trim().split("\n").map(Number);

  for (const detector of ["default", "ecod", "z-score", "half-space-trees"]) {
    it(`${detector}: one score per row, and the first N rows alone give the same first N scores`, () => {
      const all = honeyflow("score-csv", "--input", write("all.csv", csv), "--label", "label", "--detector", detector, "--out", path.join(dir, "all.scores"));
      assert.equal(all.status, 0, all.stderr);
      const head = honeyflow("score-csv", "--input", write("head.csv", csv.slice(0, 301)), "--label", "label", "--detector", detector, "--out", path.join(dir, "head.scores"));
      assert.equal(head.status, 0, head.stderr);
      const allScores = scores(path.join(dir, "all.scores"));
      assert.equal(allScores.length, 600);
      assert.deepEqual(scores(path.join(dir, "head.scores")), allScores.slice(0, 300));
      assert.ok(allScores.every((s) => s >= 0 && s <= 1));
    });
  }

  it("ignores the label column for learning", () => {
    const flipped = csv.map((line, i) => (i === 0 ? line : line.replace(/,([01]),/, (_, l: string) => `,${1 - Number(l)},`)));
    honeyflow("score-csv", "--input", write("a.csv", csv), "--label", "label", "--out", path.join(dir, "a.scores"));
    honeyflow("score-csv", "--input", write("b.csv", flipped), "--label", "label", "--out", path.join(dir, "b.scores"));
    assert.deepEqual(scores(path.join(dir, "a.scores")), scores(path.join(dir, "b.scores")));
  });

  it("explains bad usage and bad data", () => {
    assert.equal(honeyflow("score-csv", "--input", write("x.csv", csv), "--out", "-", "--detector", "magic").status, 2);
    assert.equal(honeyflow("score-csv", "--input", write("y.csv", csv), "--out", "-", "--label", "nope").status, 2);
    const bad = honeyflow("score-csv", "--input", write("z.csv", ["a,b", "1,2", "3,x"]), "--out", "-");
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /z\.csv: row 2, column 'b': not a number: 'x'\n$/);
  });

  it("leaves an earlier scores file alone when the --label column is not in the header: nothing was scored", () => {
    const earlier = write("earlier.scores", ["0.1", "0.2"]);
    const outcome = honeyflow("score-csv", "--input", write("w.csv", csv), "--out", earlier, "--label", "lable");
    assert.equal(outcome.status, 2);
    assert.equal(fs.readFileSync(earlier, "utf8"), "0.1\n0.2\n");
  });

  it("refuses an empty cell and a row with a cell too few or too many, as eval does, rather than score a value nobody measured", () => {
    for (const [row, message] of [["3,", /row 2, column 'b': not a number: ''\n$/], ["3", /row 2 has 1 cells, the header 2\n$/], ["3,4,5", /row 2 has 3 cells, the header 2\n$/]] as const) {
      const bad = honeyflow("score-csv", "--input", write("ragged.csv", ["a,b", "1,2", row, "5,6"]), "--out", "-");
      assert.equal(bad.status, 1, row);
      assert.match(bad.stderr, message);
    }
  });
});
