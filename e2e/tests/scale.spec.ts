import { expect, test } from '@playwright/test';
import { generateCluster } from '@hoplens/lab';
import {
  hostId,
  interfaceId,
  netnsId,
  parseElementId,
  podIdOfKey,
  podKey,
  TraceResultSchema,
  validate,
} from '@hoplens/model';
import { DashboardPage } from '../pages/DashboardPage.ts';
import { importSnapshot } from '../pages/importSnapshot.ts';

// 1,250 nodes with 3 pod VMs each: 5,004 hosts, 12,500 pods, ~166,000 graph elements.
const cluster = generateCluster({ nodes: 1250, podsPerNode: 10, peerPodShare: 0.3, faults: 3, seed: 11 });
const fault = cluster.faults[0]!;
const vm = cluster.snapshot.hosts.find((h) => h.name === fault.vmNetns.host)!;
const vxlan = vm.namespaces.find((n) => n.name === fault.vmNetns.netns)!.links.find((l) => l.kind === 'vxlan')!;
const VXLAN_ID = interfaceId({ ...fault.vmNetns, ifindex: vxlan.ifindex });

test.describe.configure({ mode: 'serial' });
test.setTimeout(120_000);

let id: string;
test.beforeAll(async ({ request }) => {
  id = await importSnapshot(request, cluster.snapshot);
});

test('a 5,000-host snapshot opens as an overview of host groups, a few thousand elements at most', async ({ page }) => {
  const dash = new DashboardPage(page);
  await dash.goto(`/s/${id}`);
  await dash.waitForGraph();
  expect(cluster.snapshot.hosts.length).toBeGreaterThan(5000);
  const drawn = await dash.drawn();
  expect(drawn).toBeGreaterThan(1000);
  expect(drawn).toBeLessThan(3000);
  await expect(page.getByTestId('overview-bar')).toContainText('1,251 host groups');
  // The group holding a faulty pod VM is marked fatal while collapsed.
  expect(await dash.classesOf(hostId(vm.name))).toEqual([]);
  expect(await dash.classesOf(hostId(fault.podNetns.host))).toContain('finding-fatal');
});

test('search by MAC with the keyboard expands the group, selects the hit and brings it into view', async ({ page }) => {
  const dash = new DashboardPage(page);
  await dash.goto(`/s/${id}`);
  await dash.waitForGraph();
  await page.locator('body').press('/');
  await expect(page.getByTestId('search')).toBeFocused();
  await page.keyboard.type(vxlan.mac!.toUpperCase());
  const hit = page.getByTestId('search-hit').first();
  await expect(hit).toHaveAttribute('data-id', VXLAN_ID);
  await page.keyboard.press('Enter');

  await dash.waitForElement(VXLAN_ID);
  await expect.poll(() => dash.classesOf(VXLAN_ID)).toContain('selected-el');
  expect(dash.url().searchParams.get('sel')).toBe(VXLAN_ID);
  expect(dash.url().searchParams.get('expand')).toContain('host:node-');
  expect(dash.url().searchParams.get('q')).toBe(vxlan.mac!.toUpperCase());
  await expect(page.getByTestId('element-details')).toContainText(vxlan.mac!);
  // Focused: the hit is drawn inside the visible graph.
  const box = (await dash.graph.boundingBox())!;
  await expect
    .poll(async () => {
      const at = await page.evaluate((i) => window.__hoplens?.renderedCenter(i), VXLAN_ID);
      return !!at && at.x > 0 && at.y > 0 && at.x < box.width && at.y < box.height;
    })
    .toBe(true);

  // Escape leaves the search field; Escape again lets go of the selection.
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('search')).not.toBeFocused();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('element-details')).toHaveCount(0);
  expect(dash.url().searchParams.get('sel')).toBeNull();
});

test('clicking a box expands it: its neighbours move aside, the camera fits the group, and a dragged node stays where it was put', async ({
  page,
}) => {
  const dash = new DashboardPage(page);
  await dash.goto(`/s/${id}`);
  await dash.waitForGraph();
  const neighbour = (await dash.position(hostId('node-1')))!;
  await dash.clickGraphNode(hostId('node-0'));
  await dash.waitForElement(netnsId({ host: 'node-0', netns: null }));
  expect(dash.url().searchParams.get('expand')).toBe(hostId('node-0'));
  await dash.waitForStill();
  // The next box of the row moved right, clear of the open group.
  expect((await dash.position(hostId('node-1')))!.x).toBeGreaterThan(neighbour.x);
  const open = (await page.evaluate(() => window.__hoplens?.renderedBox('host:node-0')))!;
  const next = (await page.evaluate(() => window.__hoplens?.renderedBox('host:node-1')))!;
  expect(next.x1).toBeGreaterThanOrEqual(open.x2);
  // The camera fitted the open group (its pod VMs too), not the box it was.
  const group = (await (await page.request.get(`/api/snapshots/${id}/view`)).json()) as {
    groups: { id: string; hosts: string[] }[];
  };
  const hosts = group.groups.find((g) => g.id === hostId('node-0'))!.hosts;
  expect(hosts.length).toBeGreaterThan(1);
  expect(await dash.outsideGraph(hosts)).toEqual([]);
  expect((await dash.viewport())!.zoom).toBeGreaterThan(0.2);

  const drawnIds = (await page.evaluate(() => window.__hoplens?.ids())) ?? [];
  const target = drawnIds.find((i) => {
    const p = parseElementId(i);
    return p?.kind === 'interface' && p.host === 'node-0' && p.netns === null;
  })!;
  await dash.waitForStill(); // the focus animation ends before the drag
  const before = (await dash.position(target))!;
  await dash.dragGraphNode(target, 120, 80);
  const after = (await dash.position(target))!;
  expect(Math.hypot(after.x - before.x, after.y - before.y)).toBeGreaterThan(20);
  await page.reload();
  await dash.waitForGraph();
  expect(await dash.position(target)).toEqual(after);
});

test('a permalink restores filters, expanded groups, selection and zoom in a fresh browser', async ({
  page,
  browser,
}) => {
  const dash = new DashboardPage(page);
  await dash.goto(`/s/${id}`);
  await dash.waitForGraph();
  await page.getByTestId('severity-filter').selectOption('fatal');
  await expect(dash.findings).toHaveCount(3);
  await expect(dash.findings.and(page.locator('[data-severity="critical"]'))).toHaveCount(0);
  await dash.findings.first().getByRole('button', { name: 'show' }).click();
  await expect.poll(() => dash.url().searchParams.get('sel')).not.toBeNull();
  const sel = dash.url().searchParams.get('sel')!;
  await dash.waitForElement(sel);
  // The link once the camera has come to rest on the finding and the URL says so.
  const link = await dash.waitForPermalink();
  expect(new URL(link).searchParams.get('c')).not.toBeNull();
  const was = await dash.settledMiddle();

  const fresh = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const again = new DashboardPage(await fresh.newPage());
  await again.goto(link);
  await again.waitForElement(sel);
  await expect(again.page.getByTestId('severity-filter')).toHaveValue('fatal');
  await expect(again.findings).toHaveCount(3);
  expect(await again.classesOf(sel)).toContain('selected-el');
  expect(again.url().searchParams.get('expand')).toBe(dash.url().searchParams.get('expand'));
  // The same point of the graph in the middle of the graph's box, at the same zoom (the boxes may
  // differ by a line of text around them: the link names the graph point, not screen pixels).
  const now = await again.settledMiddle();
  expect(now.zoom).toBeCloseTo(was.zoom, 2);
  expect(Math.abs(now.x - was.x)).toBeLessThan(2);
  expect(Math.abs(now.y - was.y)).toBeLessThan(2);
  await fresh.close();
});

for (const size of [
  { width: 1024, height: 768 },
  { width: 1440, height: 900 },
]) {
  test(`at ${size.width}×${size.height}, a faulty pod of the 5,000 hosts opens its groups with the whole path and the drop in view, the verdict and fix on screen`, async ({
    page,
  }) => {
    await page.setViewportSize(size);
    const pod = cluster.snapshot.pods.find((p) =>
      p.netns.some((n) => n.host === fault.podNetns.host && n.netns === fault.podNetns.netns),
    )!;
    const key = podKey(pod);
    const res = await page.request.get(`/api/snapshots/${id}/trace?pod=${encodeURIComponent(key)}&to=node`);
    const expected = validate(TraceResultSchema, await res.json(), 'trace');
    expect(expected.verdict).toBe('dropped');

    const dash = new DashboardPage(page);
    await dash.goto(`/s/${id}`);
    await dash.waitForGraph();
    await dash.pickPod(pod.ips[0]!);
    await expect(dash.pathVerdict).toHaveText('dropped');
    const onPath = [podIdOfKey(key), ...new Set(expected.hops.map((h) => h.element))];
    for (const el of onPath) await dash.waitForElement(el);
    await expect.poll(() => dash.classesOf(VXLAN_ID)).toContain('drop');
    await expect.poll(() => dash.outsideGraph(onPath), { timeout: 20_000 }).toEqual([]);

    for (const part of [
      dash.pathVerdict,
      dash.pathStop.getByTestId('fix').locator('pre'),
      dash.pathStop.getByRole('button', { name: 'Jump to drop' }),
    ])
      await expect.poll(() => dash.inSidePanel(part)).toBe(true);
  });
}
