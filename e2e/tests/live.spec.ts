import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { seedBroken } from '@hoplens/model/testing';
import { DashboardPage } from '../pages/DashboardPage.ts';

const fixed = readFileSync(
  fileURLToPath(import.meta.resolve('@hoplens/model/fixtures/seed-fixed.snapshot.json')),
  'utf8',
);

test('a snapshot stored elsewhere appears live, offered without moving the view', async ({ page }) => {
  const imported = await page.request.post('/api/snapshots', { data: JSON.parse(fixed) as object });
  expect(imported.ok()).toBe(true);
  const fixedId = ((await imported.json()) as { id: string }).id;
  const dash = new DashboardPage(page);
  await dash.goto(`/s/${fixedId}`);
  await dash.waitForGraph();
  const viewing = page.url();

  // Someone else (a collection, a colleague's import) stores a new snapshot.
  const dump = { kind: 'hoplens-dump', format: 1, createdAt: new Date().toISOString(), hosts: seedBroken().hosts };
  const created = await page.request.post('/api/snapshots', { data: dump });
  const newId = ((await created.json()) as { id: string }).id;

  const notice = page.getByTestId('live-notice');
  await expect(notice).toContainText('imported dump');
  await expect(page.getByTestId('snapshot-picker').locator(`option[value="${newId}"]`)).toHaveCount(1);
  expect(page.url()).toBe(viewing);

  await notice.getByRole('button', { name: 'Open' }).click();
  await page.waitForURL((u) => u.pathname === `/s/${newId}`);
  await dash.waitForGraph();
  await expect(dash.finding('mac-mismatch-across-tunnel')).toBeVisible();
  await expect(notice).toHaveCount(0);
});
