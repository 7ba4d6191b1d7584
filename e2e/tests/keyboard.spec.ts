import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { startHoplens, type HoplensProcess } from '@hoplens/server/testing';
import { FindingSchema, validate } from '@hoplens/model';
import { seedBroken, SEED } from '@hoplens/model/testing';
import Type from 'typebox';
import { DashboardPage } from '../pages/DashboardPage.ts';
import { importSnapshot } from '../pages/importSnapshot.ts';

/** Presses keys and counts them; Tab is pressed until `target` holds focus (at most `limit` times). */
class Keyboard {
  presses = 0;
  constructor(readonly page: Page) {}
  async press(key: string): Promise<void> {
    this.presses += 1;
    await this.page.keyboard.press(key);
  }
  async tabTo(target: Locator, limit = 12): Promise<void> {
    for (let i = 0; i < limit && !(await target.evaluate((el) => el === document.activeElement)); i++)
      await this.press('Tab');
    await expect(target).toBeFocused();
  }
}

test.describe('keyboard only, on a server holding the broken seed', () => {
  let server: HoplensProcess;
  let dir: string;
  test.beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hoplens-keys-'));
    server = await startHoplens(['--db', join(dir, 'hoplens.db')]);
    const res = await fetch(`${server.url}/api/snapshots`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(seedBroken()),
    });
    expect(res.status).toBe(201);
  });
  test.afterAll(async () => {
    await server?.kill9();
    rmSync(dir, { recursive: true, force: true });
  });

  test('goes from the landing page to the copied fix in at most 12 key presses, focus never on <body>', async ({
    page,
    context,
  }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    const keys = new Keyboard(page);
    await page.goto(`${server.url}/`);
    await keys.tabTo(page.getByTestId('snapshot-card'));
    await keys.press('Enter');

    const dash = new DashboardPage(page);
    await dash.waitForGraph();
    // The card that opened the snapshot is gone: focus goes to the pods, not to <body>.
    await expect(page.getByRole('navigation', { name: 'pods' })).toBeFocused();
    await keys.tabTo(page.getByTestId('pod-button').first());
    await keys.press('Enter');

    await expect(dash.pathVerdict).toHaveText('dropped');
    // Focus is on the broken hop, above the fold of the panel.
    const stop = page.getByTestId('path-stop');
    await expect(stop.getByTestId('jump-to-stop')).toBeFocused();
    // Found by place, not by name: its name becomes "copied".
    const copy = stop.getByTestId('fix').getByRole('button');
    await expect(copy).toHaveText('copy fix');
    await keys.tabTo(copy);
    await keys.press('Enter');
    await expect(copy).toHaveText('copied');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toContain(
      `ip link set dev vxlan0 address ${SEED.podMac}`,
    );
    expect(keys.presses).toBeLessThanOrEqual(12);
    test.info().annotations.push({ type: 'key presses', description: String(keys.presses) });
  });
});

test('the graph takes focus and pans, zooms and fits from the keyboard, into the URL', async ({ page }) => {
  const id = await importSnapshot(page.request, seedBroken());
  const dash = new DashboardPage(page);
  await dash.goto(`/s/${id}`);
  await dash.waitForGraph();
  await dash.graph.focus();
  await expect(dash.graph).toBeFocused();
  const fitted = (await dash.viewport())!;

  await page.keyboard.press('+');
  await expect.poll(async () => (await dash.viewport())!.zoom).toBeCloseTo(fitted.zoom * 1.25, 5);
  const zoomed = (await dash.viewport())!;
  await page.keyboard.press('ArrowRight');
  await expect.poll(async () => (await dash.viewport())!.x).toBeCloseTo(zoomed.x - 60, 5);
  await page.keyboard.press('Shift+ArrowUp');
  await expect.poll(async () => (await dash.viewport())!.y).toBeCloseTo(zoomed.y + 240, 5);
  await expect.poll(() => dash.url().searchParams.get('c')).toMatch(/,1\.25$/);

  await page.keyboard.press('0');
  await expect.poll(async () => (await dash.viewport())!.zoom).toBeCloseTo(fitted.zoom, 5);
  await expect.poll(() => dash.url().searchParams.get('c')).toMatch(/,1$/);
});

test('a permalink shows the same region of the graph in a smaller window, and old links open as before', async ({
  page,
  browser,
}) => {
  const id = await importSnapshot(page.request, seedBroken());
  const findings = validate(
    Type.Array(FindingSchema),
    await (await page.request.get(`/api/snapshots/${id}/findings`)).json(),
    'findings',
  );
  const subject = findings.find((f) => f.rule === 'mac-mismatch-across-tunnel')?.subjects[0];
  if (!subject) throw new Error('the seed has no MAC mismatch finding');

  const dash = new DashboardPage(page);
  await dash.goto(`/s/${id}`);
  await dash.waitForGraph();
  await dash.finding('mac-mismatch-across-tunnel').getByRole('button', { name: 'show' }).click();
  await dash.waitForStill();
  await dash.graph.focus();
  for (let i = 0; i < 3; i++) await page.keyboard.press('+');
  // The link as it is once the URL has taken the last move (not one written on the way there).
  const link = await dash.waitForPermalink();
  expect(new URL(link).searchParams.get('c')).not.toBeNull();
  const big = (await dash.viewport())!;

  const small = await browser.newContext({ viewport: { width: 800, height: 600 } });
  const again = new DashboardPage(await small.newPage());
  await again.goto(link);
  await again.waitForElement(subject);
  const box = (await again.graph.boundingBox())!;
  const at = (await again.page.evaluate((s) => window.__hoplens?.renderedCenter(s), subject))!;
  // The element the link was centred on is in the middle of the smaller window too…
  expect(Math.abs(at.x - box.width / 2)).toBeLessThan(box.width * 0.1);
  expect(Math.abs(at.y - box.height / 2)).toBeLessThan(box.height * 0.1);
  // …at a zoom scaled to the window, not the big window's pixels.
  expect((await again.viewport())!.zoom).toBeLessThan(big.zoom);

  // A link from before, in screen pixels, opens exactly where it did.
  await again.goto(`/s/${id}?v=1.5,-100,50`);
  await again.waitForGraph();
  expect(await again.viewport()).toEqual({ zoom: 1.5, x: -100, y: 50 });
  await small.close();
});
