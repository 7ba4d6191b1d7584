import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { seedBroken } from '@hoplens/model/testing';
import { WORK_DIR } from '../e2eEnv.ts';
import { DashboardPage } from '../pages/DashboardPage.ts';

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
