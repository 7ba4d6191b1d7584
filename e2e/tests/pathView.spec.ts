import { expect, test, type Locator, type Page } from '@playwright/test';
import { TraceResultSchema, validate, type TraceResult } from '@hoplens/model';
import { linkId, SEED, seedBroken, seedFixed } from '@hoplens/model/testing';
import { DashboardPage } from '../pages/DashboardPage.ts';
import { importSnapshot } from '../pages/importSnapshot.ts';

const POD = `${SEED.pod.host}/${SEED.pod.netns}`;
const POD_NODE = `pod:${POD}`;

/** True when the locator is drawn whole inside the window and inside the (scrolling) side panel. */
async function onScreenInSide(page: Page, what: Locator): Promise<boolean> {
  const box = await what.boundingBox();
  const side = await page.locator('aside.side').boundingBox();
  const win = page.viewportSize();
  if (!box || !side || !win) return false;
  const inside = (b: { x: number; y: number; width: number; height: number }) =>
    box.x >= b.x - 0.5 &&
    box.y >= b.y - 0.5 &&
    box.x + box.width <= b.x + b.width + 0.5 &&
    box.y + box.height <= b.y + b.height + 0.5;
  return inside(side) && inside({ x: 0, y: 0, width: win.width, height: win.height });
}

async function trace(page: Page, id: string): Promise<TraceResult> {
  const res = await page.request.get(`/api/snapshots/${id}/trace?pod=${encodeURIComponent(POD)}&to=node`);
  return validate(TraceResultSchema, await res.json(), 'trace');
}

for (const size of [
  { width: 1024, height: 768 },
  { width: 1440, height: 900 },
]) {
  test(`at ${size.width}×${size.height}, picking the pod brings the whole path and its drop into view, the verdict and fix on screen`, async ({
    page,
  }) => {
    await page.setViewportSize(size);
    const snap = seedBroken();
    const id = await importSnapshot(page.request, snap);
    const expected = await trace(page, id);
    const dash = new DashboardPage(page);
    await dash.goto(`/s/${id}`);
    await dash.waitForGraph();
    // From the pod list at the foot of the side panel: the panel scrolls back up to the path.
    await dash.pickPod(SEED.pod.netns);
    await expect(dash.pathVerdict).toHaveText('dropped');
    await dash.waitForStill();
    const vxlan0 = linkId(snap, SEED.podns, 'vxlan0');
    expect(await dash.classesOf(vxlan0)).toContain('drop');
    const onPath = [POD_NODE, ...new Set(expected.hops.map((h) => h.element))];
    await expect.poll(() => dash.outsideGraph(onPath)).toEqual([]);

    for (const part of [
      dash.pathVerdict,
      dash.pathStop.getByText('Dropped at hop 11'),
      dash.pathStop.getByTestId('fix').locator('pre'),
      dash.pathStop.getByRole('button', { name: 'copy fix' }),
      dash.pathStop.getByRole('button', { name: 'Jump to drop' }),
    ])
      expect(await onScreenInSide(page, part)).toBe(true);
    await expect(dash.pathStop).toContainText(`${SEED.podns.host}/${SEED.podns.netns}/vxlan0`);
    await expect(dash.pathStop.getByTestId('drop-reason')).toContainText('OTHERHOST');
  });
}

test('"Jump to drop" and a click on a hop centre the graph on that hop', async ({ page }) => {
  const snap = seedBroken();
  const id = await importSnapshot(page.request, snap);
  const dash = new DashboardPage(page);
  await dash.goto(`/s/${id}?pod=${encodeURIComponent(POD)}&to=node`);
  await dash.waitForGraph();
  await expect(dash.pathVerdict).toHaveText('dropped');
  await dash.waitForStill();

  const gateway = linkId(snap, SEED.worker, 'ovn-k8s-pod');
  expect(await dash.offCentre(gateway)).toBeGreaterThan(50);
  await dash.hops.nth(0).getByRole('button').click();
  // The camera glides there (300 ms).
  await expect.poll(() => dash.offCentre(gateway)).toBeLessThan(3);

  const vxlan0 = linkId(snap, SEED.podns, 'vxlan0');
  expect(await dash.offCentre(vxlan0)).toBeGreaterThan(50);
  await dash.pathStop.getByRole('button', { name: 'Jump to drop' }).click();
  await expect.poll(() => dash.offCentre(vxlan0)).toBeLessThan(3);
});

test('request and reply are drawn as steps of their own, the tunnel crossed as one, the mismatched pair linked', async ({
  page,
}) => {
  const fixed = seedFixed();
  const id = await importSnapshot(page.request, fixed);
  const dash = new DashboardPage(page);
  await dash.goto(`/s/${id}?pod=${encodeURIComponent(POD)}&to=node`);
  await dash.waitForGraph();
  await expect(dash.pathVerdict).toHaveText('delivered');
  const steps = async (direction: string) => {
    const ids = await page.evaluate(() => window.__hoplens?.ids() ?? []);
    return Promise.all(ids.filter((i) => i.startsWith(`path:${direction}:`)).map((i) => dash.classesOf(i)));
  };
  await expect.poll(async () => (await steps('request')).length).toBe(6);
  const reply = await steps('reply');
  expect(reply).toHaveLength(6);
  expect(reply.every((c) => c.includes('path-reply') && !c.includes('path-request'))).toBe(true);
  expect((await steps('request')).filter((c) => c.includes('path-tunnel'))).toHaveLength(1);
  expect(reply.filter((c) => c.includes('path-tunnel'))).toHaveLength(1);
  // Hops are numbered in the list as on the graph.
  await expect(dash.hops.nth(9)).toContainText('vxlan-decap');

  const broken = seedBroken();
  const brokenId = await importSnapshot(page.request, broken);
  await dash.goto(`/s/${brokenId}`);
  await dash.waitForGraph();
  const eth0 = linkId(broken, SEED.pod, 'eth0');
  const vxlan0 = linkId(broken, SEED.podns, 'vxlan0');
  expect(await dash.classesOf(`mismatch:${eth0}>${vxlan0}`)).toContain('mismatch');
});

test('a fix is shown once however many findings carry it, wrapped whole in monospace with a copy button', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1024, height: 768 });
  const id = await importSnapshot(page.request, seedBroken());
  const dash = new DashboardPage(page);
  await dash.goto(`/s/${id}`);
  await dash.waitForGraph();
  const panel = page.getByTestId('findings');
  await expect(dash.findings).toHaveCount(3);
  await expect(panel.getByTestId('fix')).toHaveCount(1);
  await expect(panel.getByTestId('same-fix')).toHaveCount(2);
  const pre = panel.getByTestId('fix').locator('pre');
  await expect(pre).toContainText(SEED.podMac);
  expect(await pre.evaluate((e) => getComputedStyle(e).fontFamily)).toMatch(/mono/);
  // Nothing of it is behind a scroll: the box holds all of its text.
  expect(await pre.evaluate((e) => e.scrollWidth <= e.clientWidth)).toBe(true);
  const preBox = (await pre.boundingBox())!;
  const panelBox = (await panel.boundingBox())!;
  expect(preBox.x + preBox.width).toBeLessThanOrEqual(panelBox.x + panelBox.width);
  await expect(panel.getByTestId('fix').getByRole('button', { name: 'copy fix' })).toBeVisible();
});
