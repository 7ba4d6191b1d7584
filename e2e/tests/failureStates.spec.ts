import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { startHoplens, type HoplensProcess } from '@hoplens/server/testing';
import { seedBroken } from '@hoplens/model/testing';
import { DashboardPage } from '../pages/DashboardPage.ts';
import { importSnapshot } from '../pages/importSnapshot.ts';

/** A server of the test's own, on a database of its own, so it can be stopped and started again. */
function scratch(): { dir: string; db: string } {
  const dir = mkdtempSync(join(tmpdir(), 'hoplens-states-'));
  return { dir, db: join(dir, 'hoplens.db') };
}

test.describe('the server going away', () => {
  let server: HoplensProcess | undefined;
  let dir: string;
  test.afterAll(async () => {
    await server?.kill9();
    rmSync(dir, { recursive: true, force: true });
  });

  test('says so in a banner, retries on its own, and picks up where it was without a reload', async ({ page }) => {
    test.setTimeout(90_000);
    const s = scratch();
    dir = s.dir;
    server = await startHoplens(['--db', s.db]);
    const url = server.url;
    const port = new URL(url).port;
    const snap = seedBroken();
    expect((await page.request.post(`${url}/api/snapshots`, { data: snap })).status()).toBe(201);

    await page.goto(`${url}/`);
    await expect(page.getByTestId('snapshot-card')).toHaveCount(1);
    await page.evaluate(() => Object.assign(window, { samePage: true }));

    await server.kill9();
    const banner = page.getByTestId('server-banner');
    await expect(banner).toContainText('Cannot reach the hoplens server');
    await expect(banner).toContainText('Retrying');
    // Opening the snapshot while the server is away waits for it, with no raw browser error.
    await page.getByTestId('snapshot-card').click();
    await expect(page.getByText('Loading snapshot…')).toBeVisible();
    await expect(page.getByText(/failed to fetch/i)).toHaveCount(0);

    server = await startHoplens(['--db', s.db, '--port', port]);
    expect(server.url).toBe(url);
    await expect(banner).toHaveCount(0);
    const dash = new DashboardPage(page);
    await dash.waitForGraph();
    await expect(dash.finding('mac-mismatch-across-tunnel')).toBeVisible();
    expect(await page.evaluate(() => (window as { samePage?: boolean }).samePage)).toBe(true);
  });
});

test('an unknown snapshot id gets a readable page with a way home, and the picker names no other snapshot', async ({
  page,
}) => {
  await importSnapshot(page.request, seedBroken());
  for (const id of ['doesnotexist', 'AAAAAAAAAAAAAAAAAAAAAAAAAA']) {
    await page.goto(`/s/${id}`);
    // Answered from the id's shape or by one 404, not after retries: well under the default wait.
    await expect(page.getByRole('heading', { name: 'No such snapshot' })).toBeVisible({ timeout: 3000 });
    await expect(page.getByTestId('snapshot-not-found')).toContainText(id);
    await expect(page.getByTestId('snapshot-picker')).toHaveValue(id);
    await expect(page.getByTestId('snapshot-picker').locator('option:checked')).toContainText('not in the list');
  }
  await page.getByRole('link', { name: 'See the snapshots this server has' }).click();
  await expect(page.getByRole('heading', { name: 'Snapshots' })).toBeVisible();
  expect(new URL(page.url()).pathname).toBe('/');
});

test.describe('a server started with --auth-reads', () => {
  const token = 'states-e2e-token-0123456789abcdef';
  let server: HoplensProcess;
  let dir: string;
  let id: string;
  test.beforeAll(async () => {
    const s = scratch();
    dir = s.dir;
    const tokenFile = join(dir, 'token');
    writeFileSync(tokenFile, token, { mode: 0o600 });
    server = await startHoplens(['--db', s.db, '--auth-reads', '--token-file', tokenFile]);
    const snap = seedBroken();
    id = snap.id;
    const res = await fetch(`${server.url}/api/snapshots`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', origin: server.url },
      body: JSON.stringify(snap),
    });
    expect(res.status).toBe(201);
  });
  test.afterAll(async () => {
    await server?.kill9();
    rmSync(dir, { recursive: true, force: true });
  });

  test('asks for the token honestly, rejects a wrong one, and keeps a right one for the session across tabs', async ({
    page,
    context,
    browser,
  }) => {
    await page.goto(`${server.url}/s/${id}`);
    await expect(page.getByRole('heading', { name: 'This server needs an API token' })).toBeVisible();
    // Nothing behind the prompt pretends the server is empty or failed.
    await expect(page.getByText('No snapshots yet')).toHaveCount(0);
    await expect(page.getByTestId('graph')).toHaveCount(0);

    const input = page.getByLabel('API token');
    await input.fill('not-the-token');
    await page.getByRole('button', { name: 'Use token' }).click();
    await expect(page.getByRole('status')).toHaveText(/Token rejected/);
    await expect(input).toHaveAttribute('aria-invalid', 'true');

    await input.fill(token);
    await page.getByRole('button', { name: 'Use token' }).click();
    const dash = new DashboardPage(page);
    await dash.waitForGraph();
    await expect(dash.finding('mac-mismatch-across-tunnel')).toBeVisible();

    // Another tab of the same browser session (a shared permalink opened there) is not asked again.
    const second = await context.newPage();
    await second.goto(`${server.url}/s/${id}`);
    await new DashboardPage(second).waitForGraph();
    await expect(second.getByRole('heading', { name: 'This server needs an API token' })).toHaveCount(0);

    // Kept for the session only: not in localStorage, and another browser session asks.
    for (const p of [page, second]) expect(await p.evaluate(() => JSON.stringify(localStorage))).not.toContain(token);
    const other = await browser.newContext();
    const stranger = await other.newPage();
    await stranger.goto(`${server.url}/`);
    await expect(stranger.getByRole('heading', { name: 'This server needs an API token' })).toBeVisible();
    await other.close();
  });
});
