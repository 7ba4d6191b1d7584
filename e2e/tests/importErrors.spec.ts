import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { expect, test } from '@playwright/test';
import { seedBroken } from '@hoplens/model/testing';
import { WORK_DIR } from '../e2eEnv.ts';
import { DashboardPage } from '../pages/DashboardPage.ts';
import { importSnapshot } from '../pages/importSnapshot.ts';

const write = (name: string, bytes: string | Buffer): string => {
  const file = join(WORK_DIR, name);
  writeFileSync(file, bytes);
  return file;
};

const dump = () =>
  JSON.stringify({ kind: 'hoplens-dump', format: 1, createdAt: new Date().toISOString(), hosts: seedBroken().hosts });

/** What a user picks by mistake, and the words each must be refused with (beside its own name). */
const cases = [
  {
    name: 'cut.dump.json.gz',
    bytes: () => gzipSync(dump()).subarray(0, 400),
    what: 'gzip-compressed but cut short or damaged',
    detail: 'the gzip body is truncated or corrupt',
  },
  {
    name: 'notes.txt',
    bytes: () => 'hello, this is not a snapshot\n',
    what: 'The file is not JSON, so it is not a hoplens snapshot or dump.',
    detail: 'body is not valid JSON',
  },
  {
    name: 'cut.dump.json',
    bytes: () => dump().slice(0, 300),
    what: 'JSON that stops before its end',
    detail: 'body is not valid JSON',
  },
  {
    name: 'other.json',
    bytes: () => JSON.stringify({ id: 'x', hosts: 'none' }),
    what: 'The file is JSON, but not a hoplens snapshot or dump',
    detail: undefined,
  },
] as const;

for (const c of cases)
  test(`importing ${c.name} says which file, what is wrong and what to do`, async ({ page }) => {
    const dash = new DashboardPage(page);
    await dash.goto('/');
    await page.getByTestId('import-file').setInputFiles(write(c.name, c.bytes()));
    const error = page.getByTestId('import-error');
    await expect(error).toContainText(`Could not import “${c.name}”`);
    await expect(error).toContainText(c.what);
    await expect(error).toContainText(/Pick a snapshot|again/);
    if (c.detail) await expect(error.locator('code')).toContainText(c.detail);
    await error.getByRole('button', { name: 'dismiss' }).click();
    await expect(error).toHaveCount(0);
  });

test('a snapshot file edited after export is refused as changed, not as a broken file', async ({ page }) => {
  const original = seedBroken();
  await importSnapshot(page.request, original);
  const tampered = { ...original, source: `${original.source} (edited)` };
  const dash = new DashboardPage(page);
  await dash.goto('/');
  await page.getByTestId('import-file').setInputFiles(write('edited.json', JSON.stringify(tampered)));
  const error = page.getByTestId('import-error');
  await expect(error).toContainText('Could not import “edited.json”');
  await expect(error).toContainText('the file was changed after it was exported');
  await expect(error.locator('code')).toContainText('exists with other contents');
});

test('the server detail is shown as text, however it is worded, and bounded', async ({ page }) => {
  await page.route('**/api/snapshots', (route) =>
    route.request().method() === 'POST'
      ? route.fulfill({
          status: 422,
          contentType: 'application/json',
          body: JSON.stringify({
            statusCode: 422,
            error: 'Unprocessable Entity',
            message: `<img src=x onerror=alert(1)>${'x'.repeat(2000)}`,
          }),
        })
      : route.continue(),
  );
  const dash = new DashboardPage(page);
  await dash.goto('/');
  await page.getByTestId('import-file').setInputFiles(write('odd.json', dump()));
  const code = page.getByTestId('import-error').locator('code');
  await expect(code).toContainText('<img src=x onerror=alert(1)>');
  expect((await code.textContent())!.length).toBeLessThanOrEqual(300);
  await expect(page.locator('.import-error img')).toHaveCount(0);
});
