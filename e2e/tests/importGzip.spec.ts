import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { expect, test } from '@playwright/test';
import { readSnapshot } from '@hoplens/model';
import { seedBroken } from '@hoplens/model/testing';
import { WORK_DIR } from '../e2eEnv.ts';
import { DashboardPage } from '../pages/DashboardPage.ts';

/** A gzipped `hoplens dump` of the recorded seed lab's hosts, as `gzip dump.json` leaves it. */
function writeGzipDump(name: string): string {
  const file = join(WORK_DIR, name);
  const dump = { kind: 'hoplens-dump', format: 1, createdAt: new Date().toISOString(), hosts: seedBroken().hosts };
  writeFileSync(file, gzipSync(JSON.stringify(dump)));
  return file;
}

test('a .json.gz file picked with Import is sent compressed, becomes a snapshot, and exports back as .json.gz', async ({
  page,
}) => {
  const dash = new DashboardPage(page);
  await dash.goto('/');
  const sent = page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/api/snapshots'));
  await page.getByTestId('import-file').setInputFiles(writeGzipDump('picked.dump.json.gz'));
  // The browser sends the file's own compressed bytes, saying so (the server gunzips them: bytes
  // that were not gzip would be refused with 400).
  const request = await sent;
  expect(await request.headerValue('content-encoding')).toBe('gzip');
  await page.waitForURL((u) => u.pathname.startsWith('/s/'));
  await dash.waitForGraph();
  await expect(dash.finding('mac-mismatch-across-tunnel')).toHaveAttribute('data-severity', 'fatal');
  await expect(page.getByTestId('snapshot-picker')).toContainText('imported dump');

  const id = decodeURIComponent(new URL(page.url()).pathname.slice('/s/'.length));
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json-gz').click()]);
  expect(download.suggestedFilename()).toBe(`hoplens-${id}.json.gz`);
  const file = JSON.parse(gunzipSync(readFileSync(await download.path())).toString('utf8')) as object;
  expect(readSnapshot(file).id).toBe(id);
  expect(await (await page.request.get(`/api/snapshots/${id}`)).json()).toEqual(file);
});

test('a .json.gz file dropped on the page is imported; a truncated one is refused with the reason', async ({
  page,
}) => {
  const dash = new DashboardPage(page);
  await dash.goto('/');
  const drop = async (name: string, bytes: Buffer) => {
    const transfer = await page.evaluateHandle(
      ([n, b]) => {
        const dt = new DataTransfer();
        dt.items.add(new File([new Uint8Array(b)], n, { type: 'application/gzip' }));
        return dt;
      },
      [name, [...bytes]] as const,
    );
    await page.dispatchEvent('.app', 'drop', { dataTransfer: transfer });
  };
  const whole = readFileSync(writeGzipDump('dropped.dump.json.gz'));
  await drop('cut.json.gz', whole.subarray(0, whole.byteLength >> 1));
  await expect(page.getByRole('alert')).toContainText('the gzip body is truncated or corrupt');
  await drop('dropped.dump.json.gz', whole);
  await page.waitForURL((u) => u.pathname.startsWith('/s/'));
  await dash.waitForGraph();
  await expect(dash.finding('mac-mismatch-across-tunnel')).toBeVisible();
});
