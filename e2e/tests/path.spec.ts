import { expect, test } from '@playwright/test';
import { seedFixed, seedBroken, SEED } from '@hoplens/model/testing';
import { SEED_GATEWAY_IP } from '@hoplens/lab';
import { TraceResultSchema, validate } from '@hoplens/model';
import { DashboardPage } from '../pages/DashboardPage.ts';
import { importSnapshot } from '../pages/importSnapshot.ts';

const POD = `${SEED.pod.host}/${SEED.pod.netns}`;

test('a path to a chosen IP is traced both ways, matches the API, and lives in the URL', async ({ page }) => {
  const id = await importSnapshot(page.request, seedFixed());
  const dash = new DashboardPage(page);
  await dash.goto(`/s/${id}`);
  await dash.waitForGraph();
  await page.getByTestId('pod-button').first().click();
  await expect(dash.pathVerdict).toHaveText('delivered');

  await page.getByTestId('destination').selectOption('ip');
  await page.getByTestId('destination-ip').fill(SEED_GATEWAY_IP);
  await page.getByRole('button', { name: 'trace' }).click();
  await expect(page.getByTestId('path-panel')).toContainText(`to ${SEED_GATEWAY_IP}`);
  expect(dash.url().searchParams.get('to')).toBe(SEED_GATEWAY_IP);

  const api = validate(
    TraceResultSchema,
    await (
      await page.request.get(`/api/snapshots/${id}/trace?pod=${encodeURIComponent(POD)}&to=${SEED_GATEWAY_IP}`)
    ).json(),
    'trace',
  );
  await expect(dash.pathVerdict).toHaveText(api.verdict);
  await expect(dash.hops).toHaveCount(api.hops.length);
  await expect(dash.hops.and(page.locator('[data-verdict="ok"]')).first()).toBeVisible();
  const directions = new Set(api.hops.map((h) => h.direction));
  expect(directions).toEqual(new Set(['request', 'reply']));
  await expect(page.getByTestId('hop').filter({ hasText: 'reply' }).first()).toBeVisible();
  // Every element of the path is bright; the rest is dimmed.
  const onPath = api.hops.map((h) => h.element);
  for (const el of onPath) expect(await dash.classesOf(el)).toContain('on-path');
});

test('the fix at a broken hop is one click to the clipboard', async ({ page, context }) => {
  const id = await importSnapshot(page.request, seedBroken());
  const dash = new DashboardPage(page);
  await dash.goto(`/s/${id}?pod=${encodeURIComponent(POD)}&to=node`);
  await dash.waitForGraph();
  await expect(dash.pathVerdict).toHaveText('dropped');
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const fix = dash.pathStop.getByTestId('fix');
  await fix.getByRole('button', { name: 'copy fix' }).click();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toBe(await fix.locator('pre').textContent());
  expect(copied).toContain(`ip link set dev vxlan0 address ${SEED.podMac}`);
});
