import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import {
  postgresUnavailable,
  startHoplens,
  startPostgres,
  type HoplensProcess,
  type TestPostgres,
} from '@hoplens/server/testing';
import { DashboardPage } from '../pages/DashboardPage.ts';

const unavailable = postgresUnavailable();
if (unavailable && process.env.CI) throw new Error(`PostgreSQL tests cannot run in CI: ${unavailable}`);

const broken = JSON.parse(
  readFileSync(fileURLToPath(import.meta.resolve('@hoplens/model/fixtures/seed-broken.snapshot.json')), 'utf8'),
) as { id: string };

test.describe('two servers on one PostgreSQL database', () => {
  test.skip(unavailable !== undefined, `PostgreSQL cannot start here: ${unavailable}`);
  let pg: TestPostgres;
  let a: HoplensProcess;
  let b: HoplensProcess;
  test.beforeAll(async () => {
    test.setTimeout(120_000);
    pg = startPostgres();
    const url = await pg.database('replicas');
    [a, b] = await Promise.all([startHoplens(['--db', url]), startHoplens(['--db', url])]);
  });
  test.afterAll(async () => {
    await Promise.all([a?.kill9(), b?.kill9()]);
    await pg?.stop();
  });

  test('a snapshot imported through one appears live on the dashboard of the other, and opens there', async ({
    page,
  }) => {
    await page.goto(`${b.url}/`);
    await expect(page.getByRole('heading', { name: 'Snapshots' })).toBeVisible();

    const res = await page.request.post(`${a.url}/api/snapshots`, { data: broken });
    expect(res.status()).toBe(201);

    const notice = page.getByTestId('live-notice');
    await expect(notice).toContainText('seed demo (broken)');
    await notice.getByRole('button', { name: 'Open' }).click();
    await page.waitForURL((u) => u.pathname === `/s/${broken.id}`);
    const dash = new DashboardPage(page);
    await dash.waitForGraph();
    await expect(dash.finding('mac-mismatch-across-tunnel')).toBeVisible();
  });
});
