import { expect, test } from '@playwright/test';
import { linkId, SEED, seedBroken } from '@hoplens/model/testing';
import { PREFIX } from '../e2eEnv.ts';
import { DashboardPage } from '../pages/DashboardPage.ts';
import { importSnapshot } from '../pages/importSnapshot.ts';

test('collect now shows each source while it runs, then opens the new snapshot', async ({ page }) => {
  // The answer to "collect" is held back until the progress has been seen (not for a fixed time, which
  // a slow machine can outlast); the collection itself runs for real on the server.
  let release!: () => void;
  const seen = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/api/collect', async (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    const response = await route.fetch();
    await seen;
    await route.fulfill({ response });
  });
  const dash = new DashboardPage(page);
  await dash.goto('/');
  await page.getByTestId('collect').click();
  const progress = page.getByTestId('collect-progress');
  await expect(progress).toBeVisible();
  await expect(progress.locator('[data-state]').first()).toBeVisible();
  await expect(progress).toContainText('local (worker, podvm)');
  release();
  await page.waitForURL((u) => u.pathname.startsWith('/s/'));
  await dash.waitForGraph();
  await expect(progress).toHaveCount(0);
  // Named after the hosts it came from, not "local".
  await expect(page.getByTestId('snapshot-picker').locator('option:checked')).toContainText(/^worker, podvm · /);
});

test('collect now keeps the pod, its path and the selection when the new snapshot still has them', async ({ page }) => {
  const pod = `worker/${PREFIX}pod`;
  const dash = new DashboardPage(page);
  await dash.goto('/');
  await dash.collectNow();
  await dash.clickGraphNode(`pod:${pod}`);
  await expect(dash.pathVerdict).toBeVisible();
  const first = dash.snapshotId();
  const second = await dash.collectNow();
  expect(second).not.toBe(first);
  const url = new URL(page.url());
  expect(url.searchParams.get('pod')).toBe(pod);
  expect(url.searchParams.get('sel')).toBe(`pod:${pod}`);
  await expect(dash.pathVerdict).toBeVisible();
  await expect(dash.hops.first()).toBeVisible();
  await expect(page.getByTestId('carried-notice')).toHaveCount(0);
});

test('collect now says plainly which pod and selection the new snapshot does not hold, and closes them', async ({
  page,
}) => {
  // The recorded seed's pod and namespaces are named hl-seed-*; the lab this run collects is not.
  const snapshot = seedBroken();
  const id = await importSnapshot(page.request, snapshot);
  const eth0 = linkId(snapshot, SEED.pod, 'eth0');
  const dash = new DashboardPage(page);
  await dash.goto(`/s/${id}?pod=${encodeURIComponent('worker/hl-seed-pod')}&to=node`);
  await expect(dash.pathVerdict).toBeVisible();
  await dash.clickGraphNode(eth0);
  await expect.poll(() => new URL(page.url()).searchParams.get('sel')).toBe(eth0);
  await dash.collectNow();
  const notice = page.getByTestId('carried-notice');
  await expect(notice).toContainText('Pod worker/hl-seed-pod is not in this snapshot, so its path is closed.');
  await expect(notice).toContainText(
    `Interface worker/hl-seed-pod/eth0 is not in this snapshot, so nothing is selected.`,
  );
  await expect(dash.pathPanel).toHaveCount(0);
  await expect.poll(() => new URL(page.url()).searchParams.get('pod')).toBeNull();
  expect(new URL(page.url()).searchParams.get('sel')).toBeNull();
  await notice.getByRole('button', { name: 'dismiss' }).click();
  await expect(notice).toHaveCount(0);
});
