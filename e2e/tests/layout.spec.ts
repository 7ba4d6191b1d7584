import { expect, test, type Page } from '@playwright/test';
import { linkId, SEED, seedBroken, seedFixed } from '@hoplens/model/testing';
import { DashboardPage } from '../pages/DashboardPage.ts';
import { importSnapshot } from '../pages/importSnapshot.ts';

for (const size of [
  { width: 1024, height: 700 },
  { width: 1366, height: 768 },
  { width: 2560, height: 1440 },
]) {
  test(`at ${size.width}×${size.height} the graph and panels fit without sideways scrolling`, async ({ page }) => {
    await page.setViewportSize(size);
    const id = await importSnapshot(page.request, seedBroken());
    const dash = new DashboardPage(page);
    await dash.goto(`/s/${id}`);
    await dash.waitForGraph();
    const graph = (await dash.graph.boundingBox())!;
    expect(graph.width).toBeGreaterThan(size.width * 0.5);
    expect(graph.height).toBeGreaterThan(300);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(size.width);
    await expect(page.getByTestId('findings')).toBeVisible();
  });
}

test('the legend opens from the keyboard and names host kinds, lines and colours', async ({ page }) => {
  const id = await importSnapshot(page.request, seedBroken());
  const dash = new DashboardPage(page);
  await dash.goto(`/s/${id}`);
  await dash.waitForGraph();
  const summary = page.getByText('Legend', { exact: true });
  await summary.focus();
  await page.keyboard.press('Enter');
  const legend = page.getByRole('group', { name: 'legend' });
  await expect(legend).toBeVisible();
  for (const text of ['pod VM', 'VXLAN tunnel', 'tc redirect', 'broken', 'request', 'reply', 'dropped here', 'changed'])
    await expect(legend).toContainText(text);
  // Concerned by a finding and where the packet dies are told apart.
  await expect(legend).toContainText('ring: concerned by a fatal finding');
});

for (const size of [
  { width: 1024, height: 700 },
  { width: 1366, height: 768 },
  { width: 1440, height: 900 },
  { width: 1920, height: 1080 },
]) {
  test(`at ${size.width}×${size.height} the opened legend lies wholly inside the window`, async ({ page }) => {
    await page.setViewportSize(size);
    const id = await importSnapshot(page.request, seedBroken());
    const dash = new DashboardPage(page);
    await dash.goto(`/s/${id}`);
    await dash.waitForGraph();
    await page.getByText('Legend', { exact: true }).click();
    const legend = page.getByRole('group', { name: 'legend' });
    await expect(legend).toBeVisible();
    await expect
      .poll(async () => {
        const box = (await legend.boundingBox())!;
        return box.x >= 0 && box.x + box.width <= size.width;
      })
      .toBe(true);
  });
}

test('Reset layout puts a dragged node back where hoplens placed it, and it stays there after a reload', async ({
  page,
}) => {
  const snapshot = seedBroken();
  const id = await importSnapshot(page.request, snapshot);
  const eth0 = linkId(snapshot, SEED.pod, 'eth0');
  const dash = new DashboardPage(page);
  await dash.goto(`/s/${id}`);
  await dash.waitForStill();
  const placed = (await dash.position(eth0))!;
  await dash.dragGraphNode(eth0, 90, 60);
  const moved = (await dash.position(eth0))!;
  expect(Math.hypot(moved.x - placed.x, moved.y - placed.y)).toBeGreaterThan(20);

  await page.getByRole('button', { name: 'Reset layout' }).click();
  await expect.poll(() => dash.position(eth0)).toEqual(placed);
  await page.reload();
  await dash.waitForGraph();
  expect(await dash.position(eth0)).toEqual(placed);
});

/** How many rows the dashboard's toolbar lays its controls out in, and its height. */
async function toolbarRows(page: Page): Promise<{ rows: number; height: number }> {
  return page.getByTestId('toolbar').evaluate((bar) => {
    const tops = new Set<number>();
    for (const child of Array.from(bar.children)) {
      const r = child.getBoundingClientRect();
      if (r.width > 0 && r.height > 0) tops.add(Math.round(r.top + r.height / 2) >> 3);
    }
    return { rows: tops.size, height: Math.round(bar.getBoundingClientRect().height) };
  });
}

test('at 1024×768 the toolbar keeps to two rows, and sharing does not re-wrap it', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.setViewportSize({ width: 1024, height: 768 });
  // Another snapshot to compare with: its control is in the toolbar too.
  await importSnapshot(page.request, seedFixed());
  const id = await importSnapshot(page.request, seedBroken());
  const dash = new DashboardPage(page);
  await dash.goto(`/s/${id}`);
  await dash.waitForGraph();
  await expect(page.getByTestId('compare-with')).toBeVisible();
  const before = await toolbarRows(page);
  expect(before.rows).toBeLessThanOrEqual(2);
  const share = page.getByTestId('share');
  const width = (await share.boundingBox())!.width;
  await share.click();
  await expect(share).toHaveAttribute('data-state', /^copied/);
  expect(await toolbarRows(page)).toEqual(before);
  expect((await share.boundingBox())!.width).toBe(width);
  // The short label's full meaning is said to a screen reader and in the tooltip.
  await expect(page.getByTestId('share-status')).toContainText('link copied');
});

test('at 1440×900 a snapshot opened from the list puts focus on something in sight, not below the fold', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  const id = await importSnapshot(page.request, seedBroken());
  const dash = new DashboardPage(page);
  await dash.goto('/');
  expect(id).toBeTruthy();
  await page.getByTestId('snapshot-card').filter({ hasText: 'seed demo (broken)' }).first().focus();
  await page.keyboard.press('Enter');
  await dash.waitForGraph();
  const focused = page.locator(':focus');
  await expect(focused).toHaveCount(1);
  await expect.poll(() => dash.inSidePanel(focused)).toBe(true);
});
