import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { DashboardPage } from '../pages/DashboardPage.ts';
import { importSnapshot } from '../pages/importSnapshot.ts';

const fixture = (name: string): { id: string; createdAt: string; source: string; hosts: { collectedAt: string }[] } =>
  JSON.parse(readFileSync(fileURLToPath(import.meta.resolve(`@hoplens/model/fixtures/${name}`)), 'utf8')) as never;

/** The seed, broken or fixed, as a collection of one source would store it at minute `n`. */
function collected(source: string, n: number, state: 'broken' | 'fixed') {
  const s = fixture(`seed-${state}.snapshot.json`);
  const at = new Date(Date.UTC(2026, 10, 26, 9, n * 5)).toISOString();
  return {
    ...s,
    id: `${source}-${String(n).padStart(4, '0')}-${state}`.padEnd(22, 'x'),
    source,
    createdAt: at,
    hosts: s.hosts.map((h) => ({ ...h, collectedAt: at })),
  };
}

test('the timeline shows when the MAC fault appeared and was resolved, and what changed at that moment', async ({
  page,
}) => {
  const source = `tl${Date.now().toString(36)}`;
  const series = [
    collected(source, 1, 'fixed'),
    collected(source, 2, 'fixed'),
    collected(source, 3, 'broken'),
    collected(source, 4, 'broken'),
    collected(source, 5, 'fixed'),
  ];
  for (const s of series) await importSnapshot(page.request, s);
  const dash = new DashboardPage(page);
  await dash.goto(`/s/${series[3]!.id}`);
  await dash.waitForGraph();

  const timeline = page.getByTestId('timeline');
  await expect(timeline.getByRole('heading')).toContainText('over 5 snapshots');
  const mac = timeline.locator('[data-testid="timeline-finding"][data-rule="mac-mismatch-across-tunnel"]');
  await expect(mac.getByTestId('timeline-span')).toHaveCount(1);
  await expect(mac.getByTestId('timeline-span')).toContainText('resolved');

  // "What changed": the snapshot where it appeared, against the last one without it.
  await mac.getByTestId('what-changed').click();
  await page.waitForURL((u) => u.pathname === `/s/${series[2]!.id}` && u.searchParams.get('vs') === series[1]!.id);
  await dash.waitForGraph();
  const compare = page.getByTestId('compare-panel');
  await expect(compare).toContainText('0a:58:0a:84:02:2e');
  await expect(compare).toContainText('mac-mismatch-across-tunnel');
});

test('a finding appearing in a new snapshot is announced live, and opens what changed', async ({ page }) => {
  const source = `live${Date.now().toString(36)}`;
  const before = collected(source, 1, 'fixed');
  await importSnapshot(page.request, before);
  const dash = new DashboardPage(page);
  await dash.goto(`/s/${before.id}`);
  await dash.waitForGraph();
  await expect(page.getByTestId('timeline').getByRole('heading')).toContainText('over 1 snapshot)');

  const after = collected(source, 2, 'broken');
  await importSnapshot(page.request, after);
  const notice = page.getByTestId('finding-notice');
  await expect(notice).toContainText('mac-mismatch-across-tunnel');
  await expect(notice).toContainText(source);
  // The open timeline follows too.
  await expect(page.getByTestId('timeline').getByRole('heading')).toContainText('over 2 snapshots');

  await notice.getByRole('button', { name: 'What changed' }).click();
  await page.waitForURL((u) => u.pathname === `/s/${after.id}` && u.searchParams.get('vs') === before.id);
  await dash.waitForGraph();
  await expect(page.getByTestId('compare-panel')).toContainText('mac-mismatch-across-tunnel');
});

test('sharing a snapshot copies its link and pins it, so retention keeps it', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const s = collected(`share${Date.now().toString(36)}`, 1, 'broken');
  await importSnapshot(page.request, s);
  const dash = new DashboardPage(page);
  await dash.goto(`/s/${s.id}`);
  await dash.waitForGraph();
  expect(await dash.copyLink()).toBe(page.url());
  await expect(page.getByTestId('share')).toHaveAttribute('data-state', 'copied-kept');
  await expect(page.getByTestId('share')).toHaveAttribute('title', 'link copied, snapshot kept');
  const list = (await (await page.request.get('/api/snapshots')).json()) as { id: string; pinned?: boolean }[];
  expect(list.find((x) => x.id === s.id)?.pinned).toBe(true);
});
