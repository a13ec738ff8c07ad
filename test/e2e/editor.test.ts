import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { CowrieLogGenerator } from "../../src/datasets/synth/cowrie/cowrie-log-generator";
import { InfluxdProcess } from "../support/influxd-process";
import { MosquittoProcess } from "../support/mosquitto-process";
import { startNodeRed, type NodeRedRuntime } from "../support/node-red-runtime";
import { requireExecutable } from "../support/service-requirement";

/** The bundled flow a new user imports first from Import > Examples, and deploys. */
const FIRST_EXAMPLE = "full-pipeline";

const projectRoot = path.join(__dirname, "..", "..");
const manifest = JSON.parse(fs.readFileSync(path.join(projectRoot, "package.json"), "utf8")) as {
  name: string;
  "node-red": { nodes: Record<string, string> };
};
const declaredTypes = Object.keys(manifest["node-red"].nodes);

/** The editor's own globals, as page.evaluate sees them. */
declare const RED: {
  nodes: {
    getType(type: string): { category: string } | undefined;
    eachNode(callback: (node: { id: string; type: string; z: string }) => void): void;
    dirty(): boolean;
    getWorkspaceOrder(): string[];
  };
  workspaces: { active(): string };
};

/**
 * The edit tray is open and still: built (the shades it raises are up), slid in to its place, no
 * transition running. A click on a tray still on its way can miss its button; in a full run on a
 * busy machine a tray stayed open after Cancel, and its shade then took the next click.
 */
function trayAtRest(): boolean {
  const trays = document.querySelectorAll<HTMLElement>(".red-ui-tray");
  const shade = document.querySelector<HTMLElement>("#red-ui-header-shade");
  if (trays.length !== 1 || !shade || getComputedStyle(shade).display === "none") return false;
  const tray = trays[0];
  const box = tray.getBoundingClientRect();
  return getComputedStyle(tray).right === "0px" && tray.getAnimations().length === 0 && box.right <= window.innerWidth + 1 && box.left >= 0;
}

describe("editor: a user's first steps in the Node-RED editor, in headless Chromium", function () {
  // Bounds for a machine under load: every step waits for the editor's own state, never for time.
  this.timeout(300_000);
  let runtime: NodeRedRuntime;
  let broker: MosquittoProcess | undefined;
  let influxd: InfluxdProcess | undefined;
  let browser: Browser;
  let page: Page;
  let logDir: string;
  let paletteTypes: string[];
  const pageErrors: string[] = [];

  const nodeIdsOfType = (type: string) => page.evaluate((wanted) => {
    const ids: string[] = [];
    RED.nodes.eachNode((node) => {
      if (node.type === wanted) ids.push(node.id);
    });
    return ids;
  }, type);
  const nodeOnCanvas = (id: string) => page.locator(`#red-ui-workspace-chart g.red-ui-flow-node-group[id="${id}"]`);
  /** No tray open, and the shades the tray raised over the header, palette and sidebar are down again. */
  const trayClosed = async () => {
    await page.locator(".red-ui-tray").waitFor({ state: "detached" });
    await page.locator("#red-ui-header-shade").waitFor({ state: "hidden" });
  };

  before(async function () {
    const executablePath = requireExecutable(this, "chromium");
    // The bundled flows tail the file this variable names; give them a sensor's log to read.
    logDir = fs.mkdtempSync(path.join(os.tmpdir(), "honeyflow-editor-"));
    const log = path.join(logDir, "cowrie.json");
    const generator = new CowrieLogGenerator({ events: 1000, seed: "editor", rate: 5, startMs: Date.now() - 5 * 60_000 });
    fs.writeFileSync(log, [...generator].map(({ line }) => `${line}\n`).join(""));
    // The full pipeline publishes to MQTT and writes to InfluxDB: real ones, private to this test.
    [broker, influxd] = await Promise.all([
      MosquittoProcess.start(requireExecutable(this, "mosquitto")),
      InfluxdProcess.start(requireExecutable(this, "influxd")),
    ]);
    runtime = await startNodeRed({
      env: { HONEYFLOW_COWRIE_LOG: log, HONEYFLOW_MQTT_URL: broker.url, HONEYFLOW_INFLUX_URL: `http://127.0.0.1:${influxd.port}` },
    });
    browser = await chromium.launch({ executablePath, args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
    page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    page.setDefaultTimeout(60_000);
    page.on("pageerror", (err) => pageErrors.push(err.message));
    await page.goto(runtime.url);
    // Loaded: the progress bar gone, the flows in and a workspace shown, the palette filled.
    await page.locator("#red-ui-loading-progress").waitFor({ state: "hidden" });
    await page.waitForFunction(() => RED.workspaces.active());
    await page.locator("#red-ui-workspace-chart").waitFor();
    await page.locator("#red-ui-palette-container-honeyflow .red-ui-palette-node").first().waitFor();
  });

  afterEach(async function () {
    if (this.currentTest?.state !== "failed") return;
    fs.mkdirSync(path.join(projectRoot, ".tmp"), { recursive: true });
    await page?.screenshot({ path: path.join(projectRoot, ".tmp", "editor.png") }).catch(() => undefined);
    console.log(`screenshot: .tmp/editor.png\n${runtime.logTail(60)}`);
  });

  after(async function () {
    await browser?.close();
    await runtime?.dispose();
    await Promise.all([broker?.dispose(), influxd?.dispose()]);
    if (logDir) fs.rmSync(logDir, { recursive: true, force: true });
  });

  it("lists every node of the package in the honeyflow palette category, and no config node", async function () {
    const categories = await page.evaluate((types) => types.map((type) => RED.nodes.getType(type)?.category ?? "not registered"), declaredTypes);
    const expected = declaredTypes.filter((_, i) => categories[i] !== "config");
    assert.deepEqual(expected.map((type) => categories[declaredTypes.indexOf(type)]), expected.map(() => "honeyflow"),
      `categories of ${declaredTypes.join(", ")}: ${categories.join(", ")}`);

    const category = page.locator("#red-ui-palette-container-honeyflow");
    await category.locator(".red-ui-palette-header").scrollIntoViewIfNeeded();
    assert.equal((await category.locator(".red-ui-palette-header").textContent())?.trim(), "honeyflow");
    paletteTypes = await category.locator(".red-ui-palette-node").evaluateAll((nodes) => nodes.map((node) => node.getAttribute("data-palette-type") ?? ""));
    assert.deepEqual([...paletteTypes].sort(), [...expected].sort());
  });

  it("drags each node onto the workspace, opens its edit dialog and its help", async function () {
    assert.ok(paletteTypes?.length > 0, "needs the palette found by the previous test");
    const workspace = await page.locator("#red-ui-workspace-chart").boundingBox();
    assert.ok(workspace);
    for (const type of paletteTypes) {
      const entry = page.locator(`#red-ui-palette-container-honeyflow .red-ui-palette-node[data-palette-type="${type}"]`);
      const label = (await entry.getAttribute("data-palette-label")) ?? "";
      await entry.scrollIntoViewIfNeeded();
      const from = await entry.boundingBox();
      assert.ok(from, `${type} is not visible in the palette`);
      const before = await nodeIdsOfType(type);
      await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
      await page.mouse.down();
      await page.mouse.move(workspace.x + 300, workspace.y + 200, { steps: 15 });
      await page.mouse.up();
      const id = await page.waitForFunction(([wanted, known]) => {
        let added: string | undefined;
        RED.nodes.eachNode((node) => {
          if (node.type === wanted && !known.includes(node.id)) added = node.id;
        });
        return added;
      }, [type, before] as const).then((handle) => handle.jsonValue());
      assert.ok(id, `dropping ${type} on the workspace added no node`);
      const node = nodeOnCanvas(id);
      await node.waitFor();

      // A dropped node is selected, and the help sidebar shows the selected node's help.
      // Ctrl-G H is the editor's own shortcut to the help sidebar, in Node-RED 4 and 5 alike.
      await page.keyboard.press("Control+g");
      await page.keyboard.press("h");
      const help = page.locator(".red-ui-help").filter({ visible: true });
      await help.locator(".red-ui-help-title", { hasText: new RegExp(`^${label}$`) }).waitFor();
      const sections = (await help.locator("h3").allTextContents()).filter((heading) => ["Inputs", "Outputs", "Details"].includes(heading));
      assert.deepEqual(sections, ["Inputs", "Outputs", "Details"], `${type}: the help's sections`);

      await node.locator("rect.red-ui-flow-node").dblclick();
      const tray = page.locator(".red-ui-tray");
      await tray.locator("#node-input-name").waitFor();
      await page.waitForFunction(trayAtRest);
      assert.match((await tray.locator(".red-ui-tray-titlebar").first().textContent()) ?? "", new RegExp(`${label} node`));
      const fieldLabels = await tray.locator('label[for^="node-input-"]').evaluateAll((labels) => labels.map((l) => l.textContent?.trim() ?? ""));
      assert.ok(fieldLabels.length >= 2, `${type}: ${JSON.stringify(fieldLabels)}`);
      // An empty label or a bare i18n key means the locale file was not found.
      assert.deepEqual(fieldLabels.filter((text) => text === "" || /^[\w-]+\.label\./.test(text)), [], `${type}: ${JSON.stringify(fieldLabels)}`);
      await page.locator("#node-dialog-cancel").click();
      await trayClosed();

      // The node is still selected: delete it, so the deploy below starts from an empty workspace.
      await page.keyboard.press("Delete");
      await node.waitFor({ state: "detached" });
    }
    assert.deepEqual(pageErrors, []);
  });

  it(`imports the ${FIRST_EXAMPLE} flow from Import > Examples and deploys it without errors`, async function () {
    await trayClosed();
    await page.locator("#red-ui-header-button-sidemenu").click();
    await page.locator("#menu-item-import").click();
    await page.locator("#red-ui-tab-red-ui-clipboard-dialog-import-tab-examples").click();
    const examples = page.locator("#red-ui-clipboard-dialog-import-tab-examples");
    await examples.locator(".red-ui-treeList-label", { hasText: manifest.name }).click();
    await examples.locator(".red-ui-treeList-label", { hasText: new RegExp(`^${FIRST_EXAMPLE}$`) }).click();
    const tabsBefore = await page.evaluate(() => RED.nodes.getWorkspaceOrder());
    await page.locator("#red-ui-clipboard-dialog-ok").click();

    // The example brings its own tab: open it.
    const added = (await page.waitForFunction((known) => {
      const fresh = RED.nodes.getWorkspaceOrder().filter((tab) => !known.includes(tab));
      return fresh.length > 0 ? fresh : null;
    }, tabsBefore).then((handle) => handle.jsonValue())) as string[];
    assert.equal(added.length, 1, `the import added the tabs ${added.join(", ")}`);
    await page.locator("#red-ui-clipboard-dialog").waitFor({ state: "hidden" });
    await page.locator(`#red-ui-workspace-tabs .red-ui-tab[id="red-ui-tab-${added[0].replace(".", "-")}"]`).click();
    await page.waitForFunction((tab) => RED.workspaces.active() === tab, added[0]);
    const imported = await page.evaluate(() => {
      const nodes: Array<{ id: string; type: string }> = [];
      const tab = RED.workspaces.active();
      RED.nodes.eachNode((node) => {
        if (node.z === tab) nodes.push({ id: node.id, type: node.type });
      });
      return nodes;
    });
    const ours = imported.filter((node) => node.type.startsWith("honeyflow-"));
    assert.ok(ours.length >= 3, JSON.stringify(imported));
    assert.equal(await page.locator("#red-ui-workspace-chart g.red-ui-flow-node-error:not(.hide)").count(), 0, "a node is not properly configured");

    await page.locator("#red-ui-header-button-deploy").click();
    // Deployed: the editor holds no undeployed change any more.
    await page.waitForFunction(() => !RED.nodes.dirty());

    // Each of our nodes reports a status once it runs; `clean` counts the events of the tailed log.
    for (const { id } of ours) await nodeOnCanvas(id).locator(".red-ui-flow-node-status-label").filter({ hasText: /\S/ }).waitFor();
    for (const { id } of imported.filter((node) => node.type === "honeyflow-clean")) {
      await nodeOnCanvas(id).locator(".red-ui-flow-node-status-label", { hasText: /^[1-9]\d* clean/ }).waitFor();
    }
    // Red means an error; the alert node is red for the moment before its broker connection is up.
    const redStatus = 'rect[class*="red-ui-flow-node-status-"][class$="-red"]';
    const redStatuses = async () => page.locator("#red-ui-workspace-chart g.red-ui-flow-node-group").filter({
      has: page.locator(redStatus),
    }).locator(".red-ui-flow-node-status-label").allTextContents();
    await page.waitForFunction((selector) => document.querySelectorAll(`#red-ui-workspace-chart g.red-ui-flow-node-group ${selector}`).length === 0, redStatus)
      .catch(() => undefined);
    assert.deepEqual(await redStatuses(), [], "a node shows a red (error) status");
    // Each status is read whole: none runs under another node or into another node's status.
    const hiddenStatuses = await page.evaluate(() => {
      const drawn = Array.from(document.querySelectorAll("#red-ui-workspace-chart g.red-ui-flow-node-group")).map((g) => {
        const label = g.querySelector(".red-ui-flow-node-status-label");
        const status = g.querySelector(".red-ui-flow-node-status-group");
        return {
          name: `${(g as unknown as { __data__: { type: string; name?: string } }).__data__.type} "${(g as unknown as { __data__: { name?: string } }).__data__.name ?? ""}"`,
          node: (g.querySelector("rect.red-ui-flow-node") as Element).getBoundingClientRect(),
          status: label?.textContent?.trim() && status ? status.getBoundingClientRect() : undefined,
          text: label?.textContent ?? "",
        };
      });
      const over = (a: DOMRect, b: DOMRect) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
      return drawn.flatMap((a, i) => drawn.flatMap((b, j) => {
        if (i === j || !a.status) return [];
        const found: string[] = [];
        if (over(a.status, b.node)) found.push(`the status of ${a.name} ("${a.text}") runs under ${b.name}`);
        if (j > i && b.status && over(a.status, b.status)) found.push(`the statuses of ${a.name} ("${a.text}") and ${b.name} ("${b.text}") overlap`);
        return found;
      }));
    });
    assert.deepEqual(hiddenStatuses, []);
    assert.deepEqual(runtime.log.filter((line) => /\[error\]/.test(line)), [], "the runtime logged errors");
    assert.deepEqual(pageErrors, []);
  });
});
