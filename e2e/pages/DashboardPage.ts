import { expect, type Locator, type Page } from '@playwright/test';
import type {} from '@hoplens/web/probe';

/** The dashboard as a user drives it; graph state comes from the read-only window.__hoplens probe. */
export class DashboardPage {
  readonly findings: Locator;
  readonly pathPanel: Locator;
  readonly pathVerdict: Locator;
  readonly hops: Locator;
  /** The path panel's account of where the packet stopped: the hop, its reason and its fix. */
  readonly pathStop: Locator;
  readonly graph: Locator;

  constructor(readonly page: Page) {
    this.findings = page.getByTestId('finding');
    this.pathPanel = page.getByTestId('path-panel');
    this.pathVerdict = page.getByTestId('path-verdict');
    this.hops = page.getByTestId('hop');
    this.pathStop = page.getByTestId('path-stop');
    this.graph = page.getByTestId('graph');
  }

  async goto(url: string): Promise<void> {
    await this.page.goto(url);
  }

  /** Clicks "Collect now" and waits for the new snapshot's graph. */
  async collectNow(): Promise<string> {
    // The path, not the whole URL: the camera rewrites the query while the collection runs.
    const before = new URL(this.page.url()).pathname;
    await this.page.getByTestId('collect').click();
    await this.page.waitForURL((u) => u.pathname.startsWith('/s/') && u.pathname !== before);
    await this.waitForGraph();
    return this.snapshotId();
  }

  async waitForGraph(): Promise<void> {
    await this.page.waitForFunction(() => window.__hoplens?.ready === true);
  }

  snapshotId(): string {
    const m = /\/s\/([^/?]+)/.exec(this.page.url());
    if (!m?.[1]) throw new Error(`not on a snapshot page: ${this.page.url()}`);
    return m[1];
  }

  finding(rule: string): Locator {
    return this.page.locator(`[data-testid="finding"][data-rule="${rule}"]`);
  }

  classesOf(id: string): Promise<string[]> {
    return this.page.evaluate((i) => window.__hoplens?.classesOf(i) ?? [], id);
  }

  /** Where on the page Cytoscape drew a node's centre, for the real mouse. */
  private async onScreen(id: string): Promise<{ x: number; y: number }> {
    const box = await this.graph.boundingBox();
    const at = await this.page.evaluate((i) => window.__hoplens?.renderedCenter(i), id);
    if (!box || !at) throw new Error(`node ${id} is not drawn`);
    return { x: box.x + at.x, y: box.y + at.y };
  }

  /** A real mouse click on the canvas, where Cytoscape drew the node. */
  async clickGraphNode(id: string): Promise<void> {
    const { x, y } = await this.onScreen(id);
    await this.page.mouse.click(x, y);
  }

  /** The real mouse over a node, where Cytoscape drew it. */
  async hoverGraphNode(id: string): Promise<void> {
    const { x, y } = await this.onScreen(id);
    await this.page.mouse.move(x, y);
  }

  /** Ids of those elements not drawn whole inside the graph's visible area (missing ones included). */
  async outsideGraph(ids: readonly string[]): Promise<string[]> {
    const box = await this.graph.boundingBox();
    if (!box) throw new Error('no graph');
    const drawn = await this.page.evaluate((all) => all.map((i) => window.__hoplens?.renderedBox(i)), [...ids]);
    return ids.filter((_, k) => {
      const b = drawn[k];
      return !b || b.x1 < 0 || b.y1 < 0 || b.x2 > box.width || b.y2 > box.height;
    });
  }

  /** Distance in CSS pixels from a node's drawn centre to the middle of the graph. */
  async offCentre(id: string): Promise<number> {
    const box = await this.graph.boundingBox();
    const at = await this.page.evaluate((i) => window.__hoplens?.renderedCenter(i), id);
    if (!box || !at) throw new Error(`node ${id} is not drawn`);
    return Math.hypot(at.x - box.width / 2, at.y - box.height / 2);
  }

  /** Picks a pod in the side panel's pod list, filtering the list first when it has a filter. */
  async pickPod(name: string): Promise<void> {
    const filter = this.page.getByRole('searchbox', { name: 'filter pods' });
    // The filter appears with the list's first page: asked while the list still loads, it is not
    // there yet, and a pod past the first page is then never shown (failed once in a full check).
    await this.page.getByTestId('pod-button').first().waitFor();
    if (await filter.isVisible()) await filter.fill(name);
    await this.page.getByTestId('pod-button').filter({ hasText: name }).first().click();
  }

  /**
   * True when the locator is drawn whole inside the window and inside the side panel's visible part
   * (the panel scrolls on its own).
   */
  async inSidePanel(what: Locator): Promise<boolean> {
    const box = await what.boundingBox();
    const side = await this.page.locator('aside.side').boundingBox();
    const win = this.page.viewportSize();
    if (!box || !side || !win) return false;
    const inside = (b: { x: number; y: number; width: number; height: number }) =>
      box.x >= b.x - 0.5 &&
      box.y >= b.y - 0.5 &&
      box.x + box.width <= b.x + b.width + 0.5 &&
      box.y + box.height <= b.y + b.height + 0.5;
    return inside(side) && inside({ x: 0, y: 0, width: win.width, height: win.height });
  }

  /** Types an IP into the path's destination box and takes it with Enter. */
  async traceToIp(ip: string): Promise<void> {
    const destination = this.page.getByRole('combobox', { name: /destination/ });
    await destination.fill(ip);
    await expect(this.page.getByRole('option', { name: `the IP ${ip}` })).toBeVisible();
    await destination.press('Enter');
    await expect(this.pathPanel).toContainText(`to ${ip}`);
  }

  /** Types part of a Service's name into the destination box and picks the Service it offers. */
  async traceToService(typed: string, key: string): Promise<void> {
    const destination = this.page.getByRole('combobox', { name: /destination/ });
    await destination.fill(typed);
    await this.page.getByRole('option', { name: new RegExp(`^Service ${key} `) }).click();
    await expect(this.pathPanel).toContainText(`to ${key}`);
  }

  /** Where a node sits in graph coordinates (moves only when the layout moves it). */
  position(id: string): Promise<{ x: number; y: number } | undefined> {
    return this.page.evaluate((i) => window.__hoplens?.position(i), id);
  }

  viewport(): Promise<{ zoom: number; x: number; y: number } | undefined> {
    return this.page.evaluate(() => window.__hoplens?.viewport());
  }

  /**
   * The graph point in the middle of the graph's box, read with the camera in the same task and only
   * once two frames apart agree: a box that has just changed size (a line of text appeared) is
   * followed by the app at its next frame, and read between the two the pair would not match.
   */
  settledMiddle(): Promise<{ x: number; y: number; zoom: number }> {
    return this.page.evaluate(async () => {
      const read = () => {
        const v = window.__hoplens?.viewport();
        const box = document.querySelector('[data-testid="graph"]')?.getBoundingClientRect();
        if (!v || !box) throw new Error('no graph drawn');
        return { x: (box.width / 2 - v.x) / v.zoom, y: (box.height / 2 - v.y) / v.zoom, zoom: v.zoom };
      };
      const frame = () => new Promise<void>((done) => requestAnimationFrame(() => done()));
      let last = read();
      for (let i = 0; i < 100; i++) {
        await frame();
        await frame();
        const now = read();
        if (now.x === last.x && now.y === last.y && now.zoom === last.zoom) return now;
        last = now;
      }
      throw new Error('the graph kept moving for 200 frames');
    });
  }

  /** How many elements the graph draws. */
  drawn(): Promise<number> {
    return this.page.evaluate(() => window.__hoplens?.count() ?? 0);
  }

  /** Waits until the element is drawn. */
  async waitForElement(id: string): Promise<void> {
    await this.page.waitForFunction((i) => window.__hoplens?.ready === true && window.__hoplens.ids().includes(i), id, {
      timeout: 20_000,
    });
  }

  /** Waits until the graph is drawn and the camera has stopped moving (a focus animation ended). */
  async waitForStill(): Promise<void> {
    await this.page.waitForFunction(() => window.__hoplens?.ready === true && window.__hoplens.still());
  }

  /** Waits until the camera rests and the URL names what is on screen: the permalink to copy. */
  async waitForPermalink(): Promise<string> {
    await this.page.waitForFunction(() => window.__hoplens?.ready === true && window.__hoplens.inUrl());
    return this.page.url();
  }

  /** Drags a node with the real mouse by (dx, dy) screen pixels. */
  async dragGraphNode(id: string, dx: number, dy: number): Promise<void> {
    const { x, y } = await this.onScreen(id);
    await this.page.mouse.move(x, y);
    await this.page.mouse.down();
    await this.page.mouse.move(x + dx / 2, y + dy / 2, { steps: 5 });
    await this.page.mouse.move(x + dx, y + dy, { steps: 5 });
    await this.page.mouse.up();
  }

  url(): URL {
    return new URL(this.page.url());
  }

  /** "Share": copies the permalink and pins the snapshot; returns the link. */
  async copyLink(): Promise<string> {
    await this.page.getByTestId('share').click();
    await expect(this.page.getByTestId('share')).toHaveAttribute('data-state', /^copied/);
    return this.page.evaluate(() => navigator.clipboard.readText());
  }
}
