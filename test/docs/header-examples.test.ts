/**
 * Runs the examples in the header comments of `src/` as tests, as River runs its docstrings'.
 *
 * An example is a fenced block inside the comment that opens a file:
 *
 *     ```ts
 *     const z = new OnlineZScore();
 *     for (const x of [[1, 10], [2, 11], [1, 9], [2, 10]]) z.learn(x);
 *     assert.ok(z.score([9, 10]) > z.score([1.5, 10]));
 *     ```
 *
 * It runs as a module body beside its file: `assert` (node:assert/strict) and the file's own
 * exports are in scope, anything else is imported with a path relative to the file, and what
 * a doctest would print is stated with `assert`. Indented blocks outside a fence (a formula, a
 * command line, a sketch that needs a broker or a log) are illustrations and are not run.
 * Examples are transpiled, not type-checked. Every file of the algorithm folders shows one, as
 * each of River's algorithms does.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import vm from "node:vm";
import ts from "typescript";

const ROOT = path.resolve(__dirname, "../..");
const SRC = path.join(ROOT, "src");
const ALGORITHM_FOLDERS = ["anomaly", "drift", "preprocessing", "stats", "sketch", "metrics"];

interface HeaderExample {
  /** The file, relative to the repository. */
  file: string;
  /** The line of the file where the example's code begins. */
  line: number;
  code: string;
}

/** The header comment's lines with their ` * ` margin taken off, and the line the comment starts on. */
function headerComment(text: string): { lines: string[]; firstLine: number } | undefined {
  const match = /^(#!.*\n)?(\/\*\*[\s\S]*?\*\/)/.exec(text);
  if (!match) return undefined;
  const lines = match[2].split("\n").map((line) => line.replace(/^\s*\/?\*+\/?( |$)/, ""));
  return { lines, firstLine: match[1] ? 2 : 1 };
}

function headerExamples(absolutePath: string): HeaderExample[] {
  const file = path.relative(ROOT, absolutePath);
  const header = headerComment(fs.readFileSync(absolutePath, "utf8"));
  if (!header) return [];
  const examples: HeaderExample[] = [];
  let open: { line: number; code: string[] } | undefined;
  header.lines.forEach((text, i) => {
    const line = header.firstLine + i;
    if (open === undefined && /^```ts\s*$/.test(text)) open = { line: line + 1, code: [] };
    else if (open !== undefined && /^```\s*$/.test(text)) {
      examples.push({ file, line: open.line, code: open.code.join("\n") });
      open = undefined;
    } else if (open !== undefined) open.code.push(text);
  });
  assert.equal(open, undefined, `${file}:${open?.line}: a header example's fence is never closed`);
  return examples;
}

function sourceFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((name) => name.endsWith(".ts") && !name.endsWith(".d.ts"))
    .sort()
    .map((name) => path.join(dir, name));
}

/** Runs one example as its file's neighbour would: relative imports resolve from the file. */
function runExample(example: HeaderExample): void {
  const absolutePath = path.join(ROOT, example.file);
  const { outputText } = ts.transpileModule(example.code, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    fileName: absolutePath,
  });
  const requireBesideFile = createRequire(absolutePath);
  const ownExports = requireBesideFile(absolutePath) as Record<string, unknown>;
  const names = Object.keys(ownExports).filter((name) => name !== "default");
  const filename = `${example.file} header example`;
  const body = vm.compileFunction(outputText, ["exports", "require", "module", "assert", ...names], { filename });
  const module = { exports: {} };
  try {
    body(module.exports, requireBesideFile, module, assert, ...names.map((name) => ownExports[name]));
  } catch (error) {
    // The transpiler may break a line in two, so the stack's line number is the emitted code's:
    // name the statement that failed instead.
    const at = error instanceof Error ? error.stack?.split(`${filename}:`)[1]?.match(/^\d+/) : undefined;
    if (error instanceof Error && at) error.message += `\n    in: ${outputText.split("\n")[Number(at[0]) - 1].trim()}`;
    throw error;
  }
}

describe("header examples in src/", () => {
  const examples = sourceFiles(SRC).flatMap(headerExamples);

  it(`are shown by every file of ${ALGORITHM_FOLDERS.join(", ")}`, () => {
    const algorithms = ALGORITHM_FOLDERS.flatMap((folder) => sourceFiles(path.join(SRC, folder))).map((file) => path.relative(ROOT, file));
    assert.ok(algorithms.length > 0);
    assert.deepEqual(algorithms.filter((file) => !examples.some((example) => example.file === file)), [], "files without a header example");
  });

  for (const example of examples) {
    it(`${example.file}:${example.line}`, () => runExample(example));
  }
});
