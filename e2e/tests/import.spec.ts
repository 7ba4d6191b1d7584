import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { seedBroken, seedFixed } from '@hoplens/model/testing';
import { WORK_DIR } from '../e2eEnv.ts';
import { DashboardPage } from '../pages/DashboardPage.ts';
import { importSnapshot } from '../pages/importSnapshot.ts';

/** A `hoplens dump` of the recorded seed lab's hosts, as a support case would send it. */
function writeDump(name: string): string {
  const file = join(WORK_DIR, name);
  writeFileSync(
    file,
    JSON.stringify({ kind: 'hoplens-dump', format: 1, createdAt: new Date().toISOString(), hosts: seedBroken().hosts }),
  );
  return file;
}

test('a dump file picked with Import becomes a snapshot, opened with its findings', async ({ page }) => {
  const dash = new DashboardPage(page);
  await dash.goto('/');
  await page.getByTestId('import-file').setInputFiles(writeDump('picked.dump.json'));
  await page.waitForURL((u) => u.pathname.startsWith('/s/'));
  await dash.waitForGraph();
  await expect(dash.finding('mac-mismatch-across-tunnel')).toHaveAttribute('data-severity', 'fatal');
  await expect(page.getByTestId('snapshot-picker')).toContainText('imported dump');
});

test('a file dropped on the page is imported; one that is not a snapshot is refused with the reason', async ({
  page,
}) => {
  const dash = new DashboardPage(page);
  await dash.goto('/');
  const drop = async (name: string, text: string) => {
    const transfer = await page.evaluateHandle(
      ([n, t]) => {
        const dt = new DataTransfer();
        dt.items.add(new File([t], n, { type: 'application/json' }));
        return dt;
      },
      [name, text] as const,
    );
    await page.dispatchEvent('.app', 'drop', { dataTransfer: transfer });
  };
  await drop('notes.json', '{"hello": "world"}');
  await expect(page.getByRole('alert')).toContainText('snapshot');
  const dump = JSON.stringify({ kind: 'hoplens-dump', format: 1, createdAt: 'now', hosts: seedBroken().hosts });
  await drop('dropped.dump.json', dump);
  await page.waitForURL((u) => u.pathname.startsWith('/s/'));
  await dash.waitForGraph();
  await expect(dash.finding('mac-mismatch-across-tunnel')).toBeVisible();
});

test('an import that ends after the user opened another snapshot is offered, not opened over it', async ({ page }) => {
  const first = await importSnapshot(page.request, seedFixed());
  const second = await importSnapshot(page.request, seedBroken());
  const dash = new DashboardPage(page);
  // The upload is held until the user has moved on.
  let release = (): void => undefined;
  const held = new Promise<void>((r) => (release = r));
  await page.route('**/api/snapshots', async (route) => {
    if (route.request().method() !== 'POST') return route.fallback();
    await held;
    await route.continue();
  });
  // Without the live stream too: the import offers its own snapshot, not only through the stream's notice.
  await page.route('**/api/events', (route) => route.abort());
  await dash.goto(`/s/${first}`);
  await dash.waitForGraph();
  await page.getByTestId('import-file').setInputFiles(writeDump('late.dump.json'));
  await expect(page.getByRole('button', { name: 'Importing…' })).toBeDisabled();
  // Meanwhile the user opens another snapshot.
  await page.getByTestId('snapshot-picker').selectOption(second);
  await expect(page).toHaveURL(new RegExp(`/s/${second}`));
  release();
  await expect(page.getByRole('button', { name: 'Import' })).toBeEnabled();
  // Offered, not opened: the user stays where they went.
  await expect(page.getByTestId('live-notice')).toContainText('imported dump');
  expect(dash.snapshotId()).toBe(second);
  await page.getByTestId('live-notice').getByRole('button', { name: 'Open' }).click();
  await expect(page).not.toHaveURL(new RegExp(`/s/(${first}|${second})`));
  await dash.waitForGraph();
  await expect(dash.finding('mac-mismatch-across-tunnel')).toBeVisible();
});
