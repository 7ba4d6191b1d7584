import { expect, test } from '@playwright/test';
import { DashboardPage } from '../pages/DashboardPage.ts';

test('collect now shows each source while it runs, then opens the new snapshot', async ({ page }) => {
  // The answer to "collect" is held back a moment so that the progress can be seen; the collection
  // itself runs for real on the server.
  await page.route('**/api/collect', async (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    const response = await route.fetch();
    await new Promise((r) => setTimeout(r, 1500));
    await route.fulfill({ response });
  });
  const dash = new DashboardPage(page);
  await dash.goto('/');
  await page.getByTestId('collect').click();
  const progress = page.getByTestId('collect-progress');
  await expect(progress).toBeVisible();
  await expect(progress.locator('[data-state]').first()).toBeVisible();
  await expect(progress).toContainText('local (worker, podvm)');
  await page.waitForURL((u) => u.pathname.startsWith('/s/'));
  await dash.waitForGraph();
  await expect(progress).toHaveCount(0);
});
