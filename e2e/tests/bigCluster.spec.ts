import { expect, test } from '@playwright/test';
import { generateCluster } from '@hoplens/lab';
import { hostId, netnsId, podKey } from '@hoplens/model';
import { DashboardPage } from '../pages/DashboardPage.ts';
import { importSnapshot } from '../pages/importSnapshot.ts';

// The same 5,004-host cluster as scale.spec: 1,251 host groups, 12,500 pods, 3 faults.
const cluster = generateCluster({ nodes: 1250, podsPerNode: 10, peerPodShare: 0.3, faults: 3, seed: 11 });
const faultyGroups = new Set(cluster.faults.map((f) => hostId(f.podNetns.host)));

test.describe.configure({ mode: 'serial' });
test.setTimeout(120_000);

let id: string;
test.beforeAll(async ({ request }) => {
  id = await importSnapshot(request, cluster.snapshot);
});

test('the overview leads with the problems: the faulty groups head the list, which filters and sorts, and a row opens its group', async ({
  page,
}) => {
  const dash = new DashboardPage(page);
  await dash.goto(`/s/${id}`);
  await dash.waitForGraph();
  const list = page.getByTestId('group-list');
  await expect(list).toContainText('1,251');
  const rows = list.getByTestId('group-row');
  const top = await rows.evaluateAll((rs) => rs.slice(0, 3).map((r) => r.getAttribute('data-id')));
  expect(new Set(top)).toEqual(faultyGroups);
  await expect(rows.first()).toHaveAttribute('data-severity', 'fatal');
  // On screen as the page opens: focus is on something in sight in the side panel, never below its fold.
  await expect.poll(() => dash.inSidePanel(page.locator(':focus'))).toBe(true);
  expect(await dash.inSidePanel(rows.first())).toBe(true);

  // Every group can be reached: 50 rows at first, then a page more, then all of them.
  await expect(rows).toHaveCount(50);
  await list.getByRole('button', { name: 'show 50 more' }).click();
  await expect(rows).toHaveCount(100);
  await list.getByRole('button', { name: /^show all / }).click();
  await expect.poll(() => rows.count()).toBeGreaterThan(100);
  await expect(list.getByRole('button', { name: /^show (all|\d+ more)/ })).toHaveCount(0);

  await list.getByRole('checkbox', { name: 'only groups with findings' }).check();
  await expect(rows.and(page.locator('[data-severity="none"]'))).toHaveCount(0);
  await list.getByRole('button', { name: 'Host group' }).click();
  const names = await rows.evaluateAll((rs) => rs.map((r) => r.querySelector('button')?.textContent ?? ''));
  expect(names).toEqual([...names].sort(new Intl.Collator('en', { numeric: true }).compare));

  await list.getByRole('button', { name: 'Worst finding' }).click();
  const first = (await rows.first().getAttribute('data-id'))!;
  await rows.first().getByRole('button').click();
  await expect.poll(() => dash.url().searchParams.get('expand')).toBe(first);
  await dash.waitForElement(netnsId({ host: first.slice('host:'.length), netns: null }));
  await dash.waitForStill();
  expect(await dash.outsideGraph([first])).toEqual([]);
});

test('a box names itself on hover: its label and worst finding', async ({ page }) => {
  const dash = new DashboardPage(page);
  await dash.goto(`/s/${id}`);
  await dash.waitForGraph();
  const faulty = [...faultyGroups][0]!;
  await dash.hoverGraphNode(faulty);
  await expect(dash.graph).toHaveAttribute('title', /worst finding: fatal\nclick to expand/);
  await expect(dash.graph).toHaveAttribute('title', new RegExp(faulty.slice('host:'.length)));
});

test('opening the snapshot fetches one page of pods, not 12,500; a destination pod is found by typing, with the keyboard', async ({
  page,
}) => {
  const podBytes: number[] = [];
  page.on('response', (res) => {
    if (/\/api\/snapshots\/[^/]+\/pods/.test(res.url())) void res.body().then((b) => podBytes.push(b.length));
  });
  const dash = new DashboardPage(page);
  await dash.goto(`/s/${id}`);
  await dash.waitForGraph();
  await expect(page.getByRole('navigation', { name: 'pods' })).toContainText('Pods (12,500)');
  await expect.poll(() => podBytes.length).toBeGreaterThan(0);
  expect(Math.max(...podBytes)).toBeLessThan(50_000);

  const [from, to] = [cluster.snapshot.pods[0]!, cluster.snapshot.pods[9_876]!];
  // Each pod as kubectl names it, its namespace first.
  await expect(page.getByTestId('pod-button').filter({ hasText: from.ips[0]! })).toContainText(podKey(from));
  await dash.pickPod(from.ips[0]!);
  await expect(dash.pathVerdict).not.toHaveText('');
  const destination = page.getByRole('combobox', { name: /destination/ });
  await destination.focus();
  await page.keyboard.type(podKey(to));
  const option = page.getByRole('option', { name: new RegExp(`pod ${podKey(to)} `) });
  await expect(option).toBeVisible();
  // Arrow down to it, Enter to take it.
  for (let i = 0; i < 13 && (await option.getAttribute('aria-selected')) !== 'true'; i++)
    await page.keyboard.press('ArrowDown');
  await expect(option).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Enter');
  await expect.poll(() => dash.url().searchParams.get('to')).toBe(to.ips[0]);
  await expect(dash.pathPanel).toContainText(`to ${to.ips[0]!}`);
  expect(Math.max(...podBytes)).toBeLessThan(50_000);
});

test('opening a ninth group says which open group it closed to make room', async ({ page }) => {
  const view = (await (await page.request.get(`/api/snapshots/${id}/view`)).json()) as {
    groups: { id: string; label: string }[];
  };
  const [first, ...rest] = view.groups;
  const eight = [first!, ...rest.slice(0, 7)].map((g) => g.id);
  const dash = new DashboardPage(page);
  await dash.goto(`/s/${id}?expand=${encodeURIComponent(eight.join(','))}`);
  await dash.waitForGraph();
  await expect(page.getByTestId('expanded-group')).toHaveCount(8);
  await expect(page.getByTestId('groups-closed')).toHaveCount(0);
  const list = page.getByTestId('group-list');
  const shownIds = await list.getByTestId('group-row').evaluateAll((rs) => rs.map((r) => r.getAttribute('data-id')));
  const ninth = shownIds.find((g) => g !== null && !eight.includes(g))!;
  await list.locator(`[data-testid="group-row"][data-id="${ninth}"]`).getByRole('button').first().click();
  const note = page.getByTestId('groups-closed');
  await expect(note).toContainText(`Closed ${first!.label} to open this one: at most 8 groups stay open`);
  expect(new URL(page.url()).searchParams.get('expand')?.split(',')).not.toContain(first!.id);
  await note.getByRole('button', { name: 'dismiss' }).click();
  await expect(note).toHaveCount(0);
});
