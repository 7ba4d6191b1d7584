import { expect, test } from '@playwright/test';
import { FindingSchema, podId, validate } from '@hoplens/model';
import Type from 'typebox';
import { labDown, labUp, SEED_BROKEN_VM_MAC, SEED_POD_MAC } from '@hoplens/lab';
import { PREFIX } from '../e2eEnv.ts';
import { DashboardPage } from '../pages/DashboardPage.ts';

const POD_NODE = podId('worker', `${PREFIX}pod`);
const FIX = `ip netns exec ${PREFIX}podns ip link set dev vxlan0 address ${SEED_POD_MAC}`;

test.describe.configure({ mode: 'serial' });

test('broken seed: the MAC mismatch is found, both ends marked, the path dies at the pod VM, the permalink restores it', async ({
  page,
  context,
  browser,
}) => {
  const dash = new DashboardPage(page);
  await dash.goto('/');
  const id = await dash.collectNow();

  await expect(dash.finding('mac-mismatch-across-tunnel')).toHaveAttribute('data-severity', 'fatal');
  await expect(dash.finding('mac-mismatch-across-tunnel')).toContainText(SEED_BROKEN_VM_MAC);

  const findings = validate(
    Type.Array(FindingSchema),
    await (await page.request.get(`/api/snapshots/${id}/findings`)).json(),
    'findings',
  );
  const [eth0, vxlan0] = findings[0]!.subjects;
  expect(await dash.classesOf(eth0!)).toContain('finding-fatal');
  expect(await dash.classesOf(vxlan0!)).toContain('finding-fatal');

  await dash.clickGraphNode(POD_NODE);
  await expect(dash.pathVerdict).toHaveText('dropped');
  const drop = dash.hops.and(page.locator('[data-verdict="dropped"]'));
  await expect(drop).toHaveCount(1);
  await expect(drop).toContainText(`podvm/${PREFIX}podns/vxlan0`);
  await expect(drop).toContainText(SEED_POD_MAC);
  await expect(drop).toContainText(SEED_BROKEN_VM_MAC);
  await expect(dash.pathStop.getByTestId('fix')).toContainText(FIX);
  expect(await dash.classesOf(vxlan0!)).toContain('drop');
  expect(await dash.classesOf(POD_NODE)).toContain('on-path');
  const hopCount = await dash.hops.count();

  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const link = await dash.copyLink();
  expect(link).toContain(`/s/${id}?pod=`);

  const fresh = await browser.newContext();
  const again = new DashboardPage(await fresh.newPage());
  await again.goto(link);
  await again.waitForGraph();
  await expect(again.pathVerdict).toHaveText('dropped');
  await expect(again.hops).toHaveCount(hopCount);
  await expect(again.page.getByTestId('pod-button')).toHaveAttribute('aria-pressed', 'true');
  expect(await again.classesOf(vxlan0!)).toContain('drop');
  await fresh.close();
});

test('fixed seed: no fatal or critical finding, and the path is delivered both ways', async ({ page }) => {
  await labDown(PREFIX);
  await labUp({ scenario: 'seed', variant: 'fixed', prefix: PREFIX });
  const dash = new DashboardPage(page);
  await dash.goto('/');
  await dash.collectNow();
  await expect(page.getByTestId('findings')).toContainText('No findings');
  await expect(
    page.locator('[data-testid="finding"][data-severity="fatal"], [data-testid="finding"][data-severity="critical"]'),
  ).toHaveCount(0);

  await dash.clickGraphNode(POD_NODE);
  await expect(dash.pathVerdict).toHaveText('delivered');
  await expect(dash.hops.and(page.locator('[data-verdict="dropped"]'))).toHaveCount(0);
  await expect(dash.hops.last()).toContainText('local-delivery');
  await expect(dash.hops.last()).toContainText('reply');
});
