import { expect, test } from '@playwright/test';
import { DashboardPage } from '../pages/DashboardPage.ts';

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
