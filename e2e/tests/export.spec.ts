import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { readSnapshot } from '@hoplens/model';
import { DashboardPage } from '../pages/DashboardPage.ts';

const broken = readFileSync(
  fileURLToPath(import.meta.resolve('@hoplens/model/fixtures/seed-broken.snapshot.json')),
  'utf8',
);

/** Clicks an export button and returns what the browser downloaded: its name and bytes. */
async function exported(page: Page, testId: string): Promise<{ name: string; bytes: Buffer }> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  const path = await download.path();
  return { name: download.suggestedFilename(), bytes: readFileSync(path) };
}

test('exports the snapshot as JSON that reads back, and the graph as PNG and SVG', async ({ page }) => {
  const res = await page.request.post('/api/snapshots', { data: JSON.parse(broken) as object });
  const id = ((await res.json()) as { id: string }).id;
  const dash = new DashboardPage(page);
  await dash.goto(`/s/${id}`);
  await dash.waitForGraph();

  const json = await exported(page, 'export-json');
  expect(json.name).toBe(`hoplens-${id}.json`);
  const file = JSON.parse(json.bytes.toString('utf8')) as object;
  expect(readSnapshot(file).id).toBe(id);
  // The file imports back into the server it came from: the same snapshot, nothing refused.
  const back = await page.request.post('/api/snapshots', { data: file });
  expect(back.status()).toBe(201);
  expect(((await back.json()) as { id: string }).id).toBe(id);
  expect(await (await page.request.get(`/api/snapshots/${id}`)).json()).toEqual(file);

  const png = await exported(page, 'export-png');
  expect(png.name.endsWith('.png')).toBe(true);
  expect(png.bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(png.bytes.length).toBeGreaterThan(5000);

  const svg = (await exported(page, 'export-svg')).bytes.toString('utf8');
  expect(svg).toContain('<svg');
  // Labels are drawn as text: the pod VM's interface and the MAC the fault is about are in it.
  expect(svg).toContain('vxlan0');
  expect(svg).toContain('7e:e5:f7:e6:f5:1a');
});
