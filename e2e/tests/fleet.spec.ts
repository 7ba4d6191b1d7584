import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { serveFleet, type Fleet } from '@hoplens/lab';
import { startHoplens, type HoplensProcess } from '@hoplens/server/testing';
import { DashboardPage } from '../pages/DashboardPage.ts';

const AGENTS = 300;
const TOKEN = 'e2e-fleet-token-0123456789abcdef';
const TIMEOUT_MS = 10_000;

test.describe('collecting from a fleet of agents', () => {
  let fleet: Fleet;
  let server: HoplensProcess;
  let dir: string;
  test.beforeAll(async () => {
    test.setTimeout(120_000);
    dir = mkdtempSync(join(tmpdir(), 'hoplens-e2e-fleet-'));
    // Three agents never answer (each costs the server its timeout), two refuse the connection.
    fleet = await serveFleet({ agents: AGENTS, podsPerNode: 2, port: 0, token: TOKEN, hung: 3, dead: 2 });
    writeFileSync(join(dir, 'token'), `${TOKEN}\n`);
    const sources = join(dir, 'sources.json');
    writeFileSync(
      sources,
      JSON.stringify(fleet.sources(join(dir, 'token'), { timeoutMs: TIMEOUT_MS, concurrency: 16 })),
    );
    server = await startHoplens(['--sources', sources, '--db', join(dir, 'fleet.db')]);
  });
  test.afterAll(async () => {
    await server?.kill9();
    await fleet?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('collect now shows counts of 300 agents and the slowest ones, not a row per agent', async ({ page }) => {
    test.setTimeout(90_000);
    const dash = new DashboardPage(page);
    await dash.goto(`${server.url}/`);
    await page.getByTestId('collect').click();
    const progress = page.getByTestId('collect-progress');
    // Every answering agent is done, the refused ones failed, and the hung ones hold the run open.
    await expect(progress.getByTestId('collect-counts')).toContainText(
      '295 done · 2 failed · 3 pending (3 being asked) of 300 sources · 295 hosts',
    );
    const slowest = progress.getByTestId('collect-slowest').locator('[data-state]');
    await expect(slowest).toHaveCount(5);
    await expect(slowest.first()).toHaveAttribute('data-state', 'collecting');
    await expect(slowest.first()).toContainText(/^agent node-29[567] at http:\/\/127\.0\.2\.\d+:\d+: collecting \d/);
    const failures = progress.getByTestId('collect-failures').locator('[data-state]');
    await expect(failures).toHaveCount(2);
    await expect(failures.first()).toContainText(/^agent node-29[89] at /);
    // Five slowest and two failures: a handful of rows, whatever the number of agents.
    await expect(progress.locator('[data-state]')).toHaveCount(7);

    // The hung agents time out, and the snapshot opens with every host, the failed ones naming why.
    await page.waitForURL((u) => u.pathname.startsWith('/s/'), { timeout: TIMEOUT_MS * 4 });
    await expect(progress).toHaveCount(0);
    const id = new URL(page.url()).pathname.split('/')[2]!;
    const snap = (await (await page.request.get(`${server.url}/api/snapshots/${id}`)).json()) as {
      hosts: { name: string; errors: { message: string }[] }[];
    };
    expect(snap.hosts).toHaveLength(AGENTS);
    const failed = snap.hosts.filter((h) => h.errors.length > 0).map((h) => h.name);
    expect(failed.sort()).toEqual(['node-295', 'node-296', 'node-297', 'node-298', 'node-299']);
  });
});
