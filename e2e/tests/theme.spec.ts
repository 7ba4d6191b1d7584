import { expect, test } from '@playwright/test';
import { seedBroken } from '@hoplens/model/testing';
import { DashboardPage } from '../pages/DashboardPage.ts';
import { importSnapshot } from '../pages/importSnapshot.ts';

test('a dark system gets the dark theme, graph included; the toggle switches and is remembered', async ({
  browser,
  request,
}) => {
  const id = await importSnapshot(request, seedBroken());
  const context = await browser.newContext({ colorScheme: 'dark' });
  const page = await context.newPage();
  const dash = new DashboardPage(page);
  await dash.goto(`/s/${id}`);
  await dash.waitForGraph();
  const html = page.locator('html');
  await expect(html).toHaveAttribute('data-theme', 'dark');
  const bg = () => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  expect(await bg()).toBe('rgb(18, 22, 31)');

  await page.getByTestId('theme-toggle').click();
  await expect(html).toHaveAttribute('data-theme', 'light');
  await page.reload();
  await dash.waitForGraph();
  await expect(html).toHaveAttribute('data-theme', 'light');
  await context.close();
});

test('the ARP label toggle hides the IP → MAC labels and shows them again', async ({ page, request }) => {
  const id = await importSnapshot(request, seedBroken());
  const dash = new DashboardPage(page);
  await dash.goto(`/s/${id}`);
  await dash.waitForGraph();
  const arp = (await page.evaluate(() => window.__hoplens?.ids() ?? [])).find((i) => i.startsWith('neighbor:'));
  expect(arp).toBeDefined();
  const toggle = page.getByRole('checkbox', { name: 'ARP labels' });
  await toggle.uncheck();
  await expect.poll(() => dash.classesOf(arp!)).toContain('quiet');
  await toggle.check();
  await expect.poll(() => dash.classesOf(arp!)).not.toContain('quiet');
});
