/**
 * Every bundled flow as the Node-RED editor draws it, in headless Chromium: laid out as Node-RED's
 * own examples are. Each flow is deployed through the admin API (a per-node example in a tab of its
 * own), opened in the editor, and saved as a picture to docs/flows/<flow>.png; then, from the drawn
 * SVG: every node on the grid and in a named group with a description, no node over another, no
 * group over another or over a node it does not hold, no wire through a group or a node it does not
 * connect, and nothing at negative canvas coordinates (cut off at the canvas's left or top edge).
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { bundledFlowNames, bundledFlowTab, importedBundledFlow } from "../support/bundled-flows";
import { freePorts } from "../support/free-port";
import { startNodeRed, type NodeRedRuntime } from "../support/node-red-runtime";
import { nodeRedVersion } from "../support/node-red-under-test";
import { requireExecutable } from "../support/service-requirement";

const projectRoot = path.join(__dirname, "..", "..");
/** docs/flows shows the devDependency's editor; another Node-RED's pictures (HONEYFLOW_NODE_RED_DIR) go to .tmp. */
const screenshotDir = process.env.HONEYFLOW_NODE_RED_DIR
  ? path.join(projectRoot, ".tmp", `flows-node-red-${nodeRedVersion}`)
  : path.join(projectRoot, "docs", "flows");
/** Blank canvas kept around a flow in its picture, in pixels. */
const pictureMargin = 20;

interface Box { x: number; y: number; w: number; h: number }
interface DrawnNode extends Box { id: string; label: string; group?: string; offGrid: boolean }
interface DrawnGroup extends Box { id: string; name: string; info: string }
interface DrawnWire { from: string; to: string; points: Array<[number, number]> }
interface DrawnFlow { nodes: DrawnNode[]; groups: DrawnGroup[]; wires: DrawnWire[] }

/** The editor's own globals, as page.evaluate sees them. */
interface EditorNode { id: string; type: string; z: string; g?: string; name?: string; x: number; y: number; w: number; h: number }
declare const RED: {
  nodes: {
    eachNode(callback: (node: EditorNode) => void): void;
    groups(tab: string): Array<{ id: string; name?: string; info?: string; dirty?: boolean }>;
  };
  workspaces: { active(): string; show(id: string): void };
  view: { scale(): number; tools: { calculateGridSnapOffsets(node: EditorNode): { x: number; y: number } } };
  actions: { invoke(name: string, ...args: unknown[]): void };
  menu: { setSelected(id: string, state: boolean): void };
};

const overlaps = (a: Box, b: Box) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
const inside = ([x, y]: [number, number], box: Box) => x > box.x && x < box.x + box.w && y > box.y && y < box.y + box.h;
const round = (box: Box) => `(${Math.round(box.x)},${Math.round(box.y)} ${Math.round(box.w)}x${Math.round(box.h)})`;

describe("bundled flows in the editor: laid out as Node-RED's own examples are", function () {
  this.timeout(120_000);
  let runtime: NodeRedRuntime;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  before(async function () {
    const executablePath = requireExecutable(this, "chromium");
    // The flows run while the editor shows them, but reach nothing: no broker or database listens
    // on these ports, and the log they tail does not exist.
    const [mqttPort, influxPort] = await freePorts(2);
    runtime = await startNodeRed({
      env: {
        HONEYFLOW_COWRIE_LOG: path.join(projectRoot, ".tmp", "flow-layout-no-such-log.json"),
        HONEYFLOW_MQTT_URL: `mqtt://127.0.0.1:${mqttPort}`,
        HONEYFLOW_INFLUX_URL: `http://127.0.0.1:${influxPort}`,
      },
    });
    const services = { mqttUrl: `mqtt://127.0.0.1:${mqttPort}`, influxUrl: `http://127.0.0.1:${influxPort}` };
    await runtime.deploy(bundledFlowNames().flatMap((name) => importedBundledFlow(name, services)));
    browser = await chromium.launch({ executablePath, args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
    page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    page.setDefaultTimeout(60_000);
    page.on("pageerror", (err) => pageErrors.push(err.message));
    await page.goto(runtime.url);
    await page.locator("#red-ui-palette-container-honeyflow .red-ui-palette-node").first().waitFor();
    await page.evaluate(() => document.fonts.ready);
    // The picture is of the flow alone: no palette, no sidebar, and no node status (the examples'
    // injects keep their statuses changing, and a picture should change only with the layout).
    await page.evaluate(() => {
      RED.menu.setSelected("menu-item-palette", false);
      RED.menu.setSelected("menu-item-sidebar", false);
      RED.actions.invoke("core:toggle-status", false);
    });
    fs.mkdirSync(screenshotDir, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    await runtime?.dispose();
  });

  /** Shows the flow's tab and waits until the editor has drawn each of its nodes and groups. */
  async function open(tab: string): Promise<void> {
    await page.evaluate((id) => RED.workspaces.show(id), tab);
    await page.waitForFunction((id) => {
      if (RED.workspaces.active() !== id) return false;
      const drawn = new Set(Array.from(document.querySelectorAll("#red-ui-workspace-chart g.red-ui-flow-node-group")).map((g) => g.id));
      let all = true;
      RED.nodes.eachNode((node) => {
        if (node.z === id && !drawn.has(node.id)) all = false;
      });
      const groups = RED.nodes.groups(id);
      const drawnGroups = document.querySelectorAll("#red-ui-workspace-chart g.red-ui-flow-group > rect.red-ui-flow-group-outline").length;
      return all && drawnGroups === groups.length && groups.every((group) => !group.dirty);
    }, tab);
  }

  /** What the editor drew, in canvas coordinates: boxes from the SVG, wires sampled every 4 px along their paths. */
  function drawn(): Promise<DrawnFlow> {
    return page.evaluate(() => {
      const chart = document.querySelector("#red-ui-workspace-chart svg") as SVGSVGElement;
      const origin = chart.getBoundingClientRect();
      const scale = RED.view.scale();
      const box = (element: Element) => {
        const r = element.getBoundingClientRect();
        return { x: (r.left - origin.left) / scale, y: (r.top - origin.top) / scale, w: r.width / scale, h: r.height / scale };
      };
      type Bound<T> = Element & { __data__: T };
      const nodes = Array.from(document.querySelectorAll("#red-ui-workspace-chart g.red-ui-flow-node-group")).map((element) => {
        const node = (element as Bound<EditorNode>).__data__;
        const snap = RED.view.tools.calculateGridSnapOffsets(node);
        return { id: node.id, label: `${node.type} "${node.name ?? ""}" ${node.id}`, group: node.g, offGrid: snap.x !== 0 || snap.y !== 0, ...box(element) };
      });
      const groups = Array.from(document.querySelectorAll("#red-ui-workspace-chart g.red-ui-flow-group > rect.red-ui-flow-group-outline")).map((outline) => {
        const group = (outline.parentElement as unknown as Bound<{ id: string; name?: string; info?: string }>).__data__;
        return { id: group.id, name: group.name ?? "", info: group.info ?? "", ...box(outline) };
      });
      const wires = Array.from(document.querySelectorAll("#red-ui-workspace-chart g.red-ui-flow-link")).flatMap((element) => {
        const link = (element as Bound<{ source?: { id: string }; target?: { id: string } }>).__data__;
        const line = element.querySelector("path.red-ui-flow-link-path") as SVGPathElement | null;
        if (!link.source || !link.target || !line) return [];
        const toCanvas = line.getCTM() as DOMMatrix;
        const length = line.getTotalLength();
        const points: Array<[number, number]> = [];
        for (let at = 0; at <= length; at += 4) {
          const p = line.getPointAtLength(at).matrixTransform(toCanvas);
          points.push([p.x / scale, p.y / scale]);
        }
        return [{ from: link.source.id, to: link.target.id, points }];
      });
      return { nodes, groups, wires };
    });
  }

  /** Sizes the window to the flow, and saves the canvas from its top-left corner to the flow's far edges. */
  async function picture(flow: DrawnFlow, file: string): Promise<void> {
    const boxes: Box[] = [...flow.nodes, ...flow.groups];
    const right = Math.ceil(Math.max(...boxes.map((b) => b.x + b.w))) + pictureMargin;
    const bottom = Math.ceil(Math.max(...boxes.map((b) => b.y + b.h))) + pictureMargin;
    // Room for the editor's header, tab bar and footer, and for its palette and sidebar where an
    // editor version keeps them: only the workspace is in the picture.
    await page.setViewportSize({ width: right + 800, height: bottom + 300 });
    const chart = page.locator("#red-ui-workspace-chart");
    await page.waitForFunction(([w, h]) => {
      const element = document.querySelector("#red-ui-workspace-chart") as HTMLElement;
      return element.clientWidth >= w && element.clientHeight >= h;
    }, [right, bottom]);
    await chart.evaluate((element) => element.scrollTo(0, 0));
    const at = await chart.boundingBox();
    assert.ok(at, "the workspace is on the page");
    await page.screenshot({ path: file, clip: { x: at.x, y: at.y, width: right, height: bottom } });
  }

  for (const name of bundledFlowNames()) {
    it(`${name}: every node on the grid and in a named group; nothing overlaps, crosses or sits at negative coordinates`, async () => {
      const tab = bundledFlowTab(name);
      await open(tab);
      const flow = await drawn();
      const file = path.join(screenshotDir, `${name}.png`);
      await picture(flow, file);
      const problems: string[] = [];

      for (const node of flow.nodes) {
        if (node.x < 0 || node.y < 0) problems.push(`${node.label} at negative coordinates ${round(node)}`);
        if (node.offGrid) problems.push(`${node.label} is off the 20 px grid`);
        if (!node.group) problems.push(`${node.label} is in no group`);
      }
      for (const group of flow.groups) {
        if (group.x < 0 || group.y < 0) problems.push(`group "${group.name}" at negative coordinates ${round(group)}`);
        if (!group.name.trim() || !group.info.trim()) problems.push(`group ${group.id} "${group.name}" needs a name and a description`);
      }
      flow.nodes.forEach((a, i) => flow.nodes.slice(i + 1).forEach((b) => {
        if (overlaps(a, b)) problems.push(`${a.label} ${round(a)} overlaps ${b.label} ${round(b)}`);
      }));
      flow.groups.forEach((a, i) => flow.groups.slice(i + 1).forEach((b) => {
        if (overlaps(a, b)) problems.push(`group "${a.name}" ${round(a)} overlaps group "${b.name}" ${round(b)}`);
      }));
      for (const group of flow.groups) {
        for (const node of flow.nodes) {
          if (node.group !== group.id && overlaps(node, group)) problems.push(`${node.label} ${round(node)} lies over group "${group.name}" ${round(group)}`);
        }
      }
      const byId = new Map(flow.nodes.map((node) => [node.id, node]));
      for (const wire of flow.wires) {
        const ends = [byId.get(wire.from), byId.get(wire.to)];
        const label = `the wire ${ends[0]?.label} -> ${ends[1]?.label}`;
        const crossedGroups = flow.groups.filter((group) => !ends.some((end) => end?.group === group.id) && wire.points.some((p) => inside(p, group)));
        const crossedNodes = flow.nodes.filter((node) => !ends.includes(node) && wire.points.some((p) => inside(p, node)));
        for (const group of crossedGroups) problems.push(`${label} crosses group "${group.name}"`);
        for (const node of crossedNodes) problems.push(`${label} crosses ${node.label}`);
      }
      assert.ok(problems.length === 0, `${name} (picture: ${path.relative(projectRoot, file)}):\n  ${problems.join("\n  ")}`);
    });
  }

  /**
   * The status each node of ours shows while it runs, as read in the running demo, with its counts
   * at six digits (a day of a busy sensor's events), and a debug node's cut where Node-RED cuts it
   * (32 characters and "..."). Set, drawn and
   * measured in one go, so that no status from the runtime comes between. Returns each status that
   * runs under another node or into another status.
   */
  function hiddenStatuses(tab: string): Promise<string[]> {
    const texts: Record<string, string> = {
      "honeyflow-cowrie-in": "cowrie.json · 400,001 events · 0 rejected",
      "honeyflow-clean": "400,001 clean · 0 rejected · 0 duplicates",
      "honeyflow-window-features": "144 IPs · 400,001 events · 0 late",
      "honeyflow-pca": "k=3 · 53% variance · 400,001 vectors",
      "honeyflow-online-detector": "default · 400,001 events · 100 anomalies",
      "honeyflow-drift": "regime · 400,001 seen · no drift yet",
      "honeyflow-enrich": "400,001 lookups · 96% cached",
      "honeyflow-alert": "connected · 6 sent · 0 queued",
      "honeyflow-influx-write": "400,001 written",
      debug: `${"0123456789".repeat(4).slice(0, 32)}...`,
    };
    return page.evaluate(([id, text]) => {
      type Shown = EditorNode & { status?: object; dirty?: boolean; dirtyStatus?: boolean; tostatus?: boolean };
      const view = RED.view as unknown as { DEBUG_SYNC_REDRAW?: boolean; redraw(active?: boolean): void };
      RED.actions.invoke("core:toggle-status", true);
      RED.nodes.eachNode((node: Shown) => {
        const shown = node.type === "debug" && !node.tostatus ? "" : text[node.type] ?? "";
        if (node.z !== id || !shown) return;
        node.status = { fill: "green", shape: "dot", text: shown };
        node.dirty = node.dirtyStatus = true;
      });
      view.DEBUG_SYNC_REDRAW = true;
      view.redraw(true);
      const drawn = Array.from(document.querySelectorAll("#red-ui-workspace-chart g.red-ui-flow-node-group")).map((g) => {
        const node = (g as unknown as { __data__: EditorNode }).__data__;
        const label = g.querySelector(".red-ui-flow-node-status-label");
        const status = g.querySelector(".red-ui-flow-node-status-group");
        return {
          name: `${node.type} "${node.name ?? ""}" ${node.id}`,
          node: (g.querySelector(".red-ui-flow-node") as Element).getBoundingClientRect(),
          status: label?.textContent?.trim() && status ? status.getBoundingClientRect() : undefined,
        };
      });
      view.DEBUG_SYNC_REDRAW = false;
      RED.actions.invoke("core:toggle-status", false);
      const over = (a: DOMRect, b: DOMRect) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
      return drawn.flatMap((a, i) => drawn.flatMap((b, j) => {
        if (i === j || !a.status) return [];
        const found = over(a.status, b.node) ? [`the status of ${a.name} runs under ${b.name}`] : [];
        if (j > i && b.status && over(a.status, b.status)) found.push(`the statuses of ${a.name} and ${b.name} overlap`);
        return found;
      }));
    }, [tab, texts] as const);
  }

  for (const name of bundledFlowNames()) {
    it(`${name}: room under each node for the status it shows while it runs`, async () => {
      const tab = bundledFlowTab(name);
      await open(tab);
      const problems = await hiddenStatuses(tab);
      assert.ok(problems.length === 0, `${name}:\n  ${problems.join("\n  ")}`);
    });
  }

  it("raises no error in the editor", () => {
    assert.deepEqual(pageErrors, []);
  });
});
