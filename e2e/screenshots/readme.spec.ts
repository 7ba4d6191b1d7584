import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { generateCluster } from '@hoplens/lab';
import { linkId, SEED, seedBroken, seedFixed } from '@hoplens/model/testing';
import { DashboardPage } from '../pages/DashboardPage.ts';
import { importSnapshot } from '../pages/importSnapshot.ts';

const shot = (page: Page, name: string) =>
  page.screenshot({ path: fileURLToPath(new URL(`../../docs/screenshots/${name}.png`, import.meta.url)) });
const POD = encodeURIComponent(`${SEED.pod.host}/${SEED.pod.netns}`);

test('path: the broken seed, the pod path dropped at the pod VM, with the fix', async ({ page }) => {
  const broken = seedBroken();
  const id = await importSnapshot(page.request, broken);
  const dash = new DashboardPage(page);
  await dash.goto(`/s/${id}?pod=${POD}&to=node`);
  await dash.waitForGraph();
  await dash.pathVerdict.waitFor();
  // The camera fits the path once it is traced: the drop is in view when it has.
  await expect.poll(() => dash.outsideGraph([linkId(broken, SEED.podns, 'vxlan0')])).toEqual([]);
  await dash.waitForStill();
  await shot(page, 'path');
});

test('compare: fixed against broken, the MAC change and the resolved findings', async ({ page }) => {
  const broken = await importSnapshot(page.request, seedBroken());
  const fixed = await importSnapshot(page.request, seedFixed());
  const dash = new DashboardPage(page);
  await dash.goto(`/s/${fixed}?vs=${broken}`);
  await dash.waitForGraph();
  await page.getByTestId('change').first().waitFor();
  await dash.waitForStill();
  await shot(page, 'compare');
});

test('overview and search: 5,000 hosts, a MAC search, the hit expanded', async ({ page }) => {
  const cluster = generateCluster({ nodes: 1250, podsPerNode: 10, peerPodShare: 0.3, faults: 3, seed: 1 });
  const id = await importSnapshot(page.request, cluster.snapshot);
  const dash = new DashboardPage(page);
  await dash.goto(`/s/${id}`);
  await dash.waitForStill();
  await shot(page, 'overview');
  const fault = cluster.faults[0]!;
  const vm = cluster.snapshot.hosts.find((h) => h.name === fault.vmNetns.host)!;
  const mac = vm.namespaces.find((n) => n.name === fault.vmNetns.netns)!.links.find((l) => l.kind === 'vxlan')!.mac!;
  await page.locator('body').press('/');
  await page.keyboard.type(mac.slice(0, 11));
  await page.getByTestId('search-hit').first().waitFor();
  await shot(page, 'search');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => new URL(location.href).searchParams.has('sel'));
  await dash.waitForElement(dash.url().searchParams.get('sel')!);
  await dash.waitForStill();
  await shot(page, 'expanded');
});
