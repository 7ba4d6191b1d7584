import type { Browser } from '@playwright/test';
import type {} from '@hoplens/web/probe';

/** What one page load measured, in milliseconds from navigation start unless said otherwise. */
export interface PageRun {
  /** The first graph was handed to the renderer (the app's `hoplens:first-graph` mark). */
  readonly firstGraphMs: number;
  /** The frame with the graph was painted and the main thread was free for input. */
  readonly interactiveMs: number;
  /** A real click on a node until the selection (and what the click opens) is drawn. */
  readonly tapMs: number;
  /** Frame intervals while the graph is dragged across the screen with the mouse. */
  readonly frames: readonly number[];
  /** Main-thread tasks over 50 ms during that pan. */
  readonly longTasks: number;
  readonly elements: number;
}

/**
 * Records every frame interval and long task until `__stop`. A string, not a function: the test
 * runner's transpiler would wrap a named function in a helper the page does not have.
 */
const RECORD_FRAMES = `(() => {
  window.__frames = [];
  window.__long = 0;
  window.__stop = false;
  new PerformanceObserver((list) => { window.__long += list.getEntries().length; }).observe({ type: 'longtask' });
  let last = performance.now();
  function tick(t) {
    window.__frames.push(t - last);
    last = t;
    if (!window.__stop) requestAnimationFrame(tick);
  }
  requestAnimationFrame(tick);
})()`;

/** The node to click, and an element the click must bring onto the screen (an expanded group's netns). */
export interface Tap {
  readonly id: string;
  readonly opens?: string;
}

/**
 * Opens `url` in a fresh browser context (empty cache, as a first visit) at laptop size and measures
 * load, a 60-step mouse pan over empty canvas, and a click.
 */
export async function measurePage(browser: Browser, url: string, tap: Tap): Promise<PageRun> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  try {
    const page = await context.newPage();
    await page.goto(url);
    await page.waitForFunction(() => window.__hoplens?.ready === true, undefined, { timeout: 120_000 });
    const firstGraphMs = await page.evaluate(
      () => performance.getEntriesByName('hoplens:first-graph')[0]?.startTime ?? NaN,
    );
    const interactiveMs = await page.evaluate(
      () =>
        new Promise<number>((resolve) => requestAnimationFrame(() => setTimeout(() => resolve(performance.now()), 0))),
    );
    const elements = await page.evaluate(() => window.__hoplens?.count() ?? 0);
    // Panels still loading (the snapshot list, the pods) can move the graph down a row: wait for the
    // graph to stay put (the event stream keeps the network busy for good, so "network idle" never comes).
    let graph = await page.getByTestId('graph').boundingBox();
    for (let i = 0; i < 40; i++) {
      await page.waitForTimeout(250);
      const again = await page.getByTestId('graph').boundingBox();
      if (graph && again && again.x === graph.x && again.y === graph.y && again.height === graph.height) break;
      graph = again;
    }
    if (!graph) throw new Error('no graph on the page');

    await page.evaluate(RECORD_FRAMES);
    const before = await page.evaluate(() => window.__hoplens?.viewport());
    // Empty canvas: the fit leaves a margin in the top-left corner.
    const x0 = graph.x + 12;
    const y0 = graph.y + 12;
    await page.mouse.move(x0, y0);
    await page.mouse.down();
    for (let i = 1; i <= 60; i++) await page.mouse.move(x0 + i * 6, y0 + i * 4);
    await page.mouse.up();
    const { frames, longTasks } = await page.evaluate(() => {
      const w = window as unknown as { __frames: number[]; __long: number; __stop: boolean };
      w.__stop = true;
      return { frames: w.__frames.slice(1), longTasks: w.__long };
    });
    const after = await page.evaluate(() => window.__hoplens?.viewport());
    // And back the same way (not measured), so that what the click aims at is where it was.
    await page.mouse.move(x0 + 360, y0 + 240);
    await page.mouse.down();
    for (let i = 59; i >= 0; i--) await page.mouse.move(x0 + i * 6, y0 + i * 4);
    await page.mouse.up();
    if (!before || !after || (before.x === after.x && before.y === after.y))
      throw new Error(`the mouse drag did not pan the graph at ${url}: the pan figures would measure nothing`);
    // The click comes after the pan: what it opens may cover the empty corner the pan starts from.
    const at = await page.evaluate((id) => window.__hoplens?.renderedCenter(id), tap.id);
    if (!at) throw new Error(`${tap.id} is not drawn`);
    const tapStart = await page.evaluate(() => performance.now());
    await page.mouse.click(graph.x + at.x, graph.y + at.y);
    await page.waitForFunction(
      ({ id, opens }) =>
        window.__hoplens?.ready === true &&
        window.__hoplens.classesOf(id).includes('selected-el') &&
        (opens === undefined || window.__hoplens.ids().includes(opens)),
      tap,
      { timeout: 30_000 },
    );
    const tapMs = (await page.evaluate(() => performance.now())) - tapStart;

    return { firstGraphMs, interactiveMs, tapMs, frames, longTasks, elements };
  } finally {
    await context.close();
  }
}
