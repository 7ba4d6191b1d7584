import { expect, test } from '@playwright/test';
import { readSnapshot } from '@hoplens/model';
import broken from '@hoplens/model/fixtures/seed-broken.snapshot.json' with { type: 'json' };
import { DashboardPage } from '../pages/DashboardPage.ts';

const EVIL_POD = '<img src=x onerror="window.__pwned=1">';
const EVIL_IF = '<b>x</b>';

test('names from hosts are shown as text, never run as HTML, under a CSP the app lives with', async ({ page }) => {
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/.test(m.text())) violations.push(m.text());
  });
  page.on('dialog', (d) => {
    violations.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });

  const snap = readSnapshot(JSON.parse(JSON.stringify(broken)));
  snap.id = 'hostilenames0000000000';
  snap.pods[0]!.name = EVIL_POD;
  const vxlan0 = snap.hosts[1]!.namespaces.flatMap((n) => n.links).find((l) => l.name === 'vxlan0')!;
  vxlan0.name = EVIL_IF;
  const res = await page.request.post('/api/snapshots', { data: snap });
  expect(res.status()).toBe(201);

  const dash = new DashboardPage(page);
  await dash.goto(`/s/${snap.id}`);
  await dash.waitForGraph();
  await expect(page.getByTestId('pod-button')).toContainText(EVIL_POD);
  await expect(dash.finding('mac-mismatch-across-tunnel')).toContainText(EVIL_IF);
  await page.getByTestId('pod-button').click();
  await expect(dash.pathVerdict).toHaveText('dropped');
  await expect(dash.hops.last()).toContainText(EVIL_IF);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  await expect(page.locator('img[src="x"], b:text("x")')).toHaveCount(0);
  expect(violations).toEqual([]);
});
