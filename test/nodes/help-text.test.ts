/**
 * Every setting a node's edit dialog shows is explained in its help panel, under the label the
 * dialog shows. Node-RED's own help names a setting in italics or bold (`<i>Interval</i>` in the
 * inject node's help) or as a `<dt>` of a Properties list, so a label counts as explained when
 * the help has such an element whose text is the label: "File" does not explain "Log file", and
 * the word "start" somewhere in a sentence does not explain a checkbox labelled "Start".
 *
 * The nodes are those package.json registers; a label is a `<label>`'s text or a
 * `<node>.label.*` message the dialog shows beside a field, resolved through the node's
 * locales/en-US catalog. Checkbox hints (`...Hint`) describe the box beside them and are not
 * labels of their own. The Name field is left out: Node-RED's help never explains it.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "../..");

interface RegisteredNode {
  type: string;
  /** The node's folder under nodes/, named like its files. */
  folder: string;
}

function registeredNodes(): RegisteredNode[] {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { "node-red": { nodes: Record<string, string> } };
  return Object.entries(pkg["node-red"].nodes).map(([type, runtimeFile]) => ({ type, folder: path.basename(runtimeFile, ".js") }));
}

/** The body of the `<script type="text/html">` whose attribute `attribute` names the node type. */
function scriptBody(html: string, attribute: "data-template-name" | "data-help-name", type: string): string | undefined {
  const open = new RegExp(`<script\\b[^>]*\\b${attribute}="${type}"[^>]*>`).exec(html);
  if (!open) return undefined;
  const close = html.indexOf("</script>", open.index);
  return html.slice(open.index + open[0].length, close);
}

function decodeEntities(text: string): string {
  const named: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', nbsp: " ", times: "×", ge: "≥", le: "≤", sigma: "σ" };
  return text.replace(/&(#\d+|[a-z]+);/gi, (whole, name: string) =>
    name.startsWith("#") ? String.fromCodePoint(Number(name.slice(1))) : (named[name.toLowerCase()] ?? whole));
}

/** Lower case, one space between words, no trailing colon or full stop, no trailing "(unit)". */
function normalised(text: string): string {
  return decodeEntities(text.replace(/<[^>]*>/g, ""))
    .replace(/\s+/g, " ")
    .trim()
    .replace(/\s*\([^()]*\)$/, "")
    .replace(/[:.,]+$/, "")
    .toLowerCase();
}

function catalogMessage(catalog: object, key: string): string {
  const value = key.replace(/^[^:]*:/, "").split(".").reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], catalog);
  assert.equal(typeof value, "string", `no message ${key} in the locale catalog`);
  return value as string;
}

/** The labels the edit dialog shows, once each (drift shows "Delta" for two detectors). */
function dialogLabels(template: string, catalog: object, folder: string): string[] {
  const labels = new Set<string>();
  for (const [, attributes, inner] of template.matchAll(/<label\b([^>]*)>([\s\S]*?)<\/label>/g)) {
    if (/for="node-(config-)?input-name"/.test(attributes)) continue;
    const keys = [...`${attributes} ${inner}`.matchAll(/data-i18n="([^"[]+)"/g)].map((m) => m[1]);
    labels.add(keys.length > 0 ? keys.map((key) => catalogMessage(catalog, key)).join(" ") : decodeEntities(inner.replace(/<[^>]*>/g, "")).trim());
  }
  // A message of the label group shown beside a field, outside any <label>: a second field's label in one row.
  const outsideLabels = template.replace(/<label\b[\s\S]*?<\/label>/g, "");
  for (const [, key] of outsideLabels.matchAll(new RegExp(`<span data-i18n="(${folder}\\.label\\.[^"]+)"`, "g"))) {
    if (!/Hint$/.test(key)) labels.add(catalogMessage(catalog, key));
  }
  return [...labels].filter((label) => label.trim() !== "");
}

/** The texts the help sets apart as names: italics, bold and the terms of definition lists. */
function namedInHelp(help: string): Set<string> {
  const withoutTypes = help.replace(/<span class="property-type">[\s\S]*?<\/span>/g, "");
  const names = new Set<string>();
  for (const [, , inner] of withoutTypes.matchAll(/<(i|b|em|strong|dt)\b[^>]*>([\s\S]*?)<\/\1>/g)) names.add(normalised(inner));
  return names;
}

function helpOf(node: RegisteredNode, editorHtml: string): string {
  const inEditorFile = scriptBody(editorHtml, "data-help-name", node.type);
  if (inEditorFile !== undefined) return inEditorFile;
  const localeDir = path.join(ROOT, "nodes", node.folder, "locales", "en-US");
  for (const file of fs.readdirSync(localeDir).filter((f) => f.endsWith(".html"))) {
    const inLocale = scriptBody(fs.readFileSync(path.join(localeDir, file), "utf8"), "data-help-name", node.type);
    if (inLocale !== undefined) return inLocale;
  }
  assert.fail(`${node.type} has no help`);
}

describe("help panels", () => {
  const nodes = registeredNodes();

  it("are looked for in every node package.json registers", () => {
    assert.ok(nodes.length > 0, "package.json registers no nodes");
  });

  for (const node of nodes) {
    it(`${node.type}'s help explains every setting of its edit dialog by the dialog's label`, () => {
      const editorHtml = fs.readFileSync(path.join(ROOT, "nodes", node.folder, `${node.folder}.html`), "utf8");
      const catalog = JSON.parse(fs.readFileSync(path.join(ROOT, "nodes", node.folder, "locales", "en-US", `${node.folder}.json`), "utf8")) as object;
      const template = scriptBody(editorHtml, "data-template-name", node.type);
      assert.ok(template !== undefined, `${node.type} has no edit dialog`);
      const labels = dialogLabels(template, catalog, node.folder);
      assert.ok(labels.length > 0, `${node.type}'s dialog shows no labels`);
      const named = namedInHelp(helpOf(node, editorHtml));
      const missing = labels.filter((label) => !named.has(normalised(label)));
      assert.deepEqual(missing, [], `${node.type}'s help never names these settings (in <i>, <b> or <dt>): ${missing.join(", ")}`);
    });
  }
});
