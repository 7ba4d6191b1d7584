import { expect, test } from '@playwright/test';
import { TraceResultSchema, validate } from '@hoplens/model';
import recorded from '@hoplens/model/fixtures/kube-service-endpoint-dropped.snapshot.json' with { type: 'json' };
import { DashboardPage } from '../pages/DashboardPage.ts';
import { importSnapshot } from '../pages/importSnapshot.ts';

const CLIENT = 'node-a/hl-ksvc-na-p2';
const SERVICE = 'default/web:p80';
const BROKEN = '10.244.2.3:8080';

test('picking a Service traces one branch per endpoint, marks the dropped one, and draws the branch chosen', async ({
  page,
}) => {
  // Recorded from the kube-service lab's endpoint-dropped variant (scripts/record-kube-service.sh):
  // kube-proxy's rules pick one of three endpoints; FORWARD drops the third's port.
  const id = await importSnapshot(page.request, recorded);
  const res = await page.request.get(
    `/api/snapshots/${id}/trace?pod=${encodeURIComponent(CLIENT)}&to=${encodeURIComponent(SERVICE)}&proto=tcp&port=80`,
  );
  const expected = validate(TraceResultSchema, await res.json(), 'trace');
  const dropAt = expected.branches?.find((b) => b.label === BROKEN)?.hops.find((h) => h.action === 'dropped');
  expect(dropAt).toBeDefined();

  const dash = new DashboardPage(page);
  await dash.goto(`/s/${id}?pod=${encodeURIComponent(CLIENT)}&to=node`);
  await dash.waitForGraph();
  await dash.traceToService('web', SERVICE);
  await expect(page.getByTestId('trace-proto')).toHaveValue('tcp');
  await expect(page.getByTestId('trace-port')).toHaveValue('80');
  await expect(page).toHaveURL(/proto=tcp&port=80/);

  const branches = page.getByTestId('branch');
  await expect(branches).toHaveCount(3);
  await expect(page.getByTestId('branches-summary')).toContainText(`2 of 3 endpoints reachable; ${BROKEN} dropped at`);
  await expect(branches.filter({ hasText: BROKEN })).toHaveAttribute('data-verdict', 'dropped');
  await expect(branches.filter({ hasText: BROKEN }).getByText('dropped', { exact: true })).toBeVisible();
  for (const ok of ['10.244.1.3:8080', '10.244.2.2:8080'])
    await expect(branches.filter({ hasText: ok })).toHaveAttribute('data-verdict', 'delivered');
  await expect(page.getByTestId('branch-dnat')).toContainText(`10.96.0.10:80 → ${BROKEN} (DNAT)`);

  // The dropped branch is shown first: its drop on the graph and in the hop list.
  await expect(branches.filter({ hasText: BROKEN }).getByRole('button')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('[data-testid="hop"][data-verdict="dropped"]')).not.toHaveCount(0);
  await expect.poll(() => dash.classesOf(dropAt!.element)).toContain('drop');

  // Choosing a reachable endpoint draws its path instead: no drop left on the graph or in the list.
  await branches.filter({ hasText: '10.244.2.2:8080' }).getByRole('button').click();
  await expect(page.getByTestId('branch-dnat')).toContainText('10.96.0.10:80 → 10.244.2.2:8080 (DNAT)');
  await expect.poll(() => dash.classesOf(dropAt!.element)).not.toContain('drop');
  await expect(page.locator('[data-testid="hop"][data-verdict="dropped"]')).toHaveCount(0);
  await expect(page.locator('[data-testid="hop"][data-component="nat"]').first()).toBeVisible();
});

test('a shared link opens the endpoint branch it was made on', async ({ page, browser }) => {
  const id = await importSnapshot(page.request, recorded);
  const dash = new DashboardPage(page);
  await dash.goto(`/s/${id}?pod=${encodeURIComponent(CLIENT)}&to=${encodeURIComponent(SERVICE)}&proto=tcp&port=80`);
  await dash.waitForGraph();
  const branches = page.getByTestId('branch');
  await expect(branches).toHaveCount(3);
  await branches.filter({ hasText: '10.244.2.2:8080' }).getByRole('button').click();
  await expect(page).toHaveURL(/branch=10\.244\.2\.2%3A8080/);
  const link = page.url();

  // Opened elsewhere (a fresh browser context, as the colleague the link was sent to).
  const other = await browser.newContext();
  try {
    const theirs = await other.newPage();
    const them = new DashboardPage(theirs);
    await them.goto(link);
    await them.waitForGraph();
    const chosen = theirs.getByTestId('branch').filter({ hasText: '10.244.2.2:8080' }).getByRole('button');
    await expect(chosen).toHaveAttribute('aria-pressed', 'true');
    await expect(theirs.getByTestId('branch-dnat')).toContainText('10.96.0.10:80 → 10.244.2.2:8080 (DNAT)');
    await expect(theirs.locator('[data-testid="hop"][data-verdict="dropped"]')).toHaveCount(0);
  } finally {
    await other.close();
  }
});
