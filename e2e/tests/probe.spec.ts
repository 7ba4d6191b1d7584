import { execFileSync } from 'node:child_process';
import { expect, test, type Page } from '@playwright/test';
import { SEED_BROKEN_VM_MAC, SEED_POD_MAC } from '@hoplens/lab';
import { PREFIX } from '../e2eEnv.ts';
import { DashboardPage } from '../pages/DashboardPage.ts';

const POD_NODE = `pod:worker/${PREFIX}pod`;
const setVmMac = (mac: string): void => {
  execFileSync('ip', ['-n', `${PREFIX}podns`, 'link', 'set', 'dev', 'vxlan0', 'address', mac]);
};

test.describe.configure({ mode: 'serial' });

/** Collects the lab now, clicks the pod, and asks for a real ping. */
async function verifyPod(page: Page): Promise<DashboardPage> {
  const dash = new DashboardPage(page);
  await dash.goto('/');
  await dash.collectNow();
  await dash.clickGraphNode(POD_NODE);
  await expect(dash.pathVerdict).toBeVisible();
  await page.getByTestId('probe-verify').click();
  await expect(page.getByTestId('probe-summary')).toBeVisible({ timeout: 30_000 });
  return dash;
}

test('broken seed: Verify shows the kernel dropping it at the pod VM vxlan0 as OTHERHOST, next to the predicted hop', async ({
  page,
}) => {
  const dash = await verifyPod(page);
  await expect(page.getByTestId('probe-summary')).toContainText(
    `at podvm/${PREFIX}podns/vxlan0: OTHERHOST — the frame's destination MAC is not this interface's`,
  );
  await expect(page.getByTestId('probe-agree')).toBeVisible();
  const predicted = dash.hops.and(page.locator('[data-verdict="dropped"]'));
  await expect(predicted.getByTestId('hop-kernel-drop')).toContainText('dropped here: OTHERHOST');
  // One free, one hop: not also at the worker ens3 "after it sent it" (the server once probed the
  // worker and the pod VM as two parts, each tracing only its own devices).
  await expect(page.getByTestId('hop-kernel-drop')).toHaveCount(1);
  await expect(predicted.getByTestId('hop-observed')).toHaveAttribute('data-request', 'seen');

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('probe-pcap').click()]);
  expect(download.suggestedFilename()).toMatch(/^hoplens-probe-.+\.pcapng$/);
  const read = execFileSync('tcpdump', ['-r', await download.path(), '-n'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  expect(read).toMatch(/ICMP echo request, id \d+, seq 1/);

  // The permalink restores the probe: nothing runs again.
  const probe = dash.url().searchParams.get('probe');
  expect(probe).toBeTruthy();
  await page.reload();
  await dash.waitForGraph();
  await expect(page.getByTestId('probe-summary')).toContainText('OTHERHOST');
  expect(dash.url().searchParams.get('probe')).toBe(probe);
});

test('fixed twin: every hop is seen both ways; the old broken prediction is loudly contradicted', async ({ page }) => {
  const brokenSnapshot = await (async () => {
    const dash = new DashboardPage(page);
    await dash.goto('/');
    return dash.collectNow();
  })();
  setVmMac(SEED_POD_MAC);
  try {
    const dash = await verifyPod(page);
    await expect(page.getByTestId('probe-summary')).toContainText('ping: 3 of 3 answered');
    const observed = page.getByTestId('hop-observed');
    await expect(observed).toHaveCount(await dash.hops.count());
    for (const hop of await observed.all()) {
      await expect(hop).toHaveAttribute('data-request', 'seen');
      await expect(hop).toHaveAttribute('data-reply', 'seen');
    }

    // The snapshot taken before the fix predicts a drop; the kernel now delivers.
    await dash.goto(`/s/${brokenSnapshot}`);
    await dash.waitForGraph();
    await dash.clickGraphNode(POD_NODE);
    await expect(dash.pathVerdict).toHaveText('dropped');
    await page.getByTestId('probe-verify').click();
    await expect(page.getByTestId('probe-disagree')).toContainText(
      'The kernel disagrees with the trace: the trace predicted dropped',
      { timeout: 30_000 },
    );
  } finally {
    setVmMac(SEED_BROKEN_VM_MAC);
  }
});
