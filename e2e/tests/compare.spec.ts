import { expect, test } from '@playwright/test';
import { generateCluster } from '@hoplens/lab';
import type { SnapshotDiff } from '@hoplens/model';
import { linkId, seedBroken, seedFixed, SEED } from '@hoplens/model/testing';
import { DashboardPage } from '../pages/DashboardPage.ts';
import { importSnapshot } from '../pages/importSnapshot.ts';

test('compare of the broken and the fixed seed lists the MAC change and the resolved finding, on the graph too', async ({
  page,
  browser,
}) => {
  const broken = await importSnapshot(page.request, seedBroken());
  const fixed = await importSnapshot(page.request, seedFixed());
  const dash = new DashboardPage(page);
  await dash.goto(`/s/${fixed}`);
  await dash.waitForGraph();
  await page.getByTestId('compare-with').selectOption(broken);

  const panel = page.getByTestId('compare-panel');
  const macChange = panel
    .getByTestId('change')
    .filter({ hasText: `podvm/${SEED.podns.netns}/vxlan0` })
    .filter({ hasText: 'mac:' });
  await expect(macChange).toContainText(`${SEED.vmMac} → ${SEED.podMac}`);
  await expect(macChange).toHaveAttribute('data-change', 'changed');
  await expect(panel.locator('[data-testid="finding-resolved"][data-rule="mac-mismatch-across-tunnel"]')).toHaveCount(
    1,
  );
  await expect(panel.getByTestId('finding-new')).toHaveCount(0);
  // The resolved finding names the change that resolved it.
  await expect(
    panel
      .locator('[data-testid="finding-resolved"][data-rule="mac-mismatch-across-tunnel"]')
      .getByTestId('finding-change')
      .filter({ hasText: 'vxlan0' }),
  ).toContainText(`resolved by podvm/${SEED.podns.netns}/vxlan0 mac: ${SEED.vmMac} → ${SEED.podMac}`);
  // Only that one: another change on an element the finding names (the worker's tunnel end got a
  // new random MAC when the lab was rebuilt) is shown as such, not as what resolved it.
  const changes = panel
    .locator('[data-testid="finding-resolved"][data-rule="mac-mismatch-across-tunnel"]')
    .getByTestId('finding-change');
  await expect(changes.filter({ hasText: 'resolved by' })).toHaveCount(1);
  for (const text of await changes.filter({ hasNotText: 'vxlan0' }).allTextContents())
    expect(text).toMatch(/^also changed on /);
  await expect(panel.getByRole('heading', { name: 'Changes since the older snapshot' })).toBeVisible();
  expect(dash.url().searchParams.get('vs')).toBe(broken);

  // The pod VM's vxlan0, as the newer (fixed) snapshot draws it.
  const vxlan0 = linkId(seedFixed(), SEED.podns, 'vxlan0');
  await expect.poll(() => dash.classesOf(vxlan0)).toContain('diff-changed');

  // The comparison is a permalink like any other view.
  const fresh = await browser.newContext();
  const again = new DashboardPage(await fresh.newPage());
  await again.goto(dash.url().href);
  await again.waitForGraph();
  await expect(again.page.getByTestId('compare-with')).toHaveValue(broken);
  await expect(
    again.page
      .getByTestId('compare-panel')
      .locator('[data-testid="finding-resolved"][data-rule="mac-mismatch-across-tunnel"]'),
  ).toHaveCount(1);
  await fresh.close();
});

test('a comparison reads both ways: swapped, the new finding becomes a resolved one', async ({ page }) => {
  const broken = await importSnapshot(page.request, seedBroken());
  const fixed = await importSnapshot(page.request, seedFixed());
  const dash = new DashboardPage(page);
  await dash.goto(`/s/${broken}?vs=${fixed}`);
  await dash.waitForGraph();
  // From fixed to broken, the fault comes back as a new finding.
  await expect(
    page.getByTestId('compare-panel').locator('[data-testid="finding-new"][data-rule="mac-mismatch-across-tunnel"]'),
  ).toHaveCount(1);
  // The broken snapshot beside its (newer) fix: its fault is gone in the newer one, not "new".
  await expect(page.getByRole('heading', { name: 'This snapshot against a newer one' })).toBeVisible();
  await expect(page.getByTestId('compare-panel')).toContainText('Gone in the newer snapshot');
  await expect(page.getByTestId('compare-panel')).not.toContainText('back from');
  await page.getByRole('button', { name: 'swap compared snapshots' }).click();
  await expect(page).toHaveURL(new RegExp(`/s/${fixed}\\?vs=${broken}`));
  await expect(page.getByRole('heading', { name: 'Changes since the older snapshot' })).toBeVisible();
  await expect(
    page
      .getByTestId('compare-panel')
      .locator('[data-testid="finding-resolved"][data-rule="mac-mismatch-across-tunnel"]'),
  ).toHaveCount(1);
});

test('a link whose vs names no snapshot says it cannot compare, in words, not as a validation error', async ({
  page,
}) => {
  const fixed = await importSnapshot(page.request, seedFixed());
  const dash = new DashboardPage(page);
  const panel = page.getByTestId('compare-panel');
  await dash.goto(`/s/${fixed}?vs=bogus`);
  await expect(panel.getByRole('heading', { name: 'Cannot compare' })).toBeVisible();
  await expect(panel.locator('.error')).toHaveText(`the link's “vs” ("bogus") is not a snapshot id`);
  await dash.goto(`/s/${fixed}?vs=${'A'.repeat(22)}`);
  await expect(panel.getByRole('heading', { name: 'Cannot compare' })).toBeVisible();
  await expect(panel.locator('.error')).toContainText(`with snapshot ${'A'.repeat(22)}:`);
});

test('two different clusters compare a page at a time: counted by kind, every change reachable, none lost', async ({
  page,
}) => {
  const make = (seed: number) => generateCluster({ nodes: 40, podsPerNode: 10, peerPodShare: 0.3, faults: 3, seed });
  const older = await importSnapshot(page.request, make(21).snapshot);
  const newer = await importSnapshot(page.request, make(22).snapshot);
  const diff = (await (await page.request.get(`/api/compare?a=${older}&b=${newer}`)).json()) as SnapshotDiff;
  const total = diff.changes.length;
  expect(total).toBeGreaterThan(400);
  const dash = new DashboardPage(page);
  await dash.goto(`/s/${newer}?vs=${older}`);
  await dash.waitForGraph();
  const panel = page.getByTestId('compare-panel');
  const rows = panel.getByTestId('change');
  await expect(rows).toHaveCount(200);
  await expect(panel.getByTestId('change-counts')).toContainText(/interface: [\d,]+ /);
  const more = panel.getByTestId('more-changes');
  await expect(more).toContainText(`${(total - 200).toLocaleString('en-US')} more changes, in the same order`);
  await more.getByRole('button', { name: 'show 200 more' }).click();
  await expect(rows).toHaveCount(400);
  await expect(more).toContainText(`${(total - 400).toLocaleString('en-US')} more changes`);
  // One kind alone, from its count: the routes, which sort after every interface change.
  const routes = diff.changes.filter((c) => c.what === 'route').length;
  expect(routes).toBeGreaterThan(0);
  await panel
    .getByTestId('change-counts')
    .getByRole('button', { name: /^route: / })
    .click();
  await expect(rows).toHaveCount(Math.min(200, routes));
  expect(new Set(await rows.evaluateAll((rs) => rs.map((r) => r.getAttribute('data-what'))))).toEqual(
    new Set(['route']),
  );
  await panel.getByTestId('change-counts').getByRole('button', { name: 'every kind' }).click();
  await expect(rows).toHaveCount(200);
  await more.getByRole('button', { name: 'show 200 more' }).click();
  await expect(rows).toHaveCount(400);
  // Against another snapshot (the same one shown), the list starts again at its first page.
  const third = await importSnapshot(page.request, make(23).snapshot);
  await page.getByTestId('compare-with').selectOption(third);
  await expect(page).toHaveURL(new RegExp(`/s/${newer}\\?vs=${third}`));
  await expect(rows).toHaveCount(200);
  await more.getByRole('button', { name: 'show 200 more' }).click();
  await expect(rows).toHaveCount(400);
  // Back to a comparison already fetched (drawn at once, from the cache): its own first page again.
  await page.getByTestId('compare-with').selectOption(older);
  await expect(rows).toHaveCount(200);
  // Swapped, the list starts again at its first page.
  await page.getByRole('button', { name: 'swap compared snapshots' }).click();
  await expect(page).toHaveURL(new RegExp(`/s/${older}\\?vs=${newer}`));
  await expect(rows).toHaveCount(200);
});
