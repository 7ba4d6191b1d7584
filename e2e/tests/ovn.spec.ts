import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { labDown, labUp, newLabPrefix, OVN_MP0, SEED_BROKEN_VM_MAC, SEED_POD_MAC } from '@hoplens/lab';
import { GraphSchema, validate } from '@hoplens/model';
import { WORK_DIR } from '../e2eEnv.ts';
import { DashboardPage } from '../pages/DashboardPage.ts';

const PREFIX = newLabPrefix();
const DIR = join(WORK_DIR, 'ovn');
let server: ChildProcess | undefined;
let base = '';

/** A dashboard of its own over the OVN-K seed lab (its host map is not the other specs'). */
async function startDashboard(hostMap: string): Promise<string> {
  const child = spawn(
    'pnpm',
    ['-s', 'hoplens', 'start', '--port', '0', '--db', join(DIR, 'ovn.db'), '--no-demo', '--hosts', hostMap],
    { cwd: fileURLToPath(new URL('../..', import.meta.url)), detached: true, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  server = child;
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /hoplens dashboard: (\S+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`hoplens start exited with ${code}: ${out}`)));
  });
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  mkdirSync(DIR, { recursive: true });
  const plan = await labUp({ scenario: 'ovn-seed', variant: 'broken', prefix: PREFIX });
  const hostMap = join(DIR, 'hostmap.json');
  writeFileSync(hostMap, JSON.stringify(plan.hostMap));
  base = await startDashboard(hostMap);
});

test.afterAll(async () => {
  // The server and the pnpm and tsx processes that started it are one process group: ours.
  if (server?.pid) process.kill(-server.pid, 'SIGTERM');
  await labDown(PREFIX);
  rmSync(DIR, { recursive: true, force: true });
});

test('OVN-K seed: the pod’s path crosses br-int on OVS’s own answer, and the switch’s port security drops the pod VM’s frames, naming its rule', async ({
  page,
}) => {
  const dash = new DashboardPage(page);
  await dash.goto(base);
  const id = await dash.collectNow();
  await expect(dash.finding('ovs-port-security')).toHaveAttribute('data-severity', 'fatal');
  await expect(dash.finding('ovs-port-security')).toContainText(SEED_BROKEN_VM_MAC);

  const graph = validate(
    GraphSchema,
    await (await page.request.get(`${base}/api/snapshots/${id}/graph`)).json(),
    'graph',
  );
  const ovsNodes = graph.nodes.flatMap((n) =>
    n.kind === 'interface' && n.ovs ? [{ id: n.id, label: n.label, ...n.ovs }] : [],
  );
  const brInt = ovsNodes.find((n) => n.role === 'bridge' && n.label === 'br-int')!;
  const seedPort = ovsNodes.find((n) => n.role === 'port' && n.pod === 'default/seed')!;
  expect(graph.edges.some((e) => e.kind === 'ovs-port' && e.source === seedPort.id && e.target === brInt.id)).toBe(
    true,
  );

  // From its node: through br-int on the recorded answer, to die at the pod VM as in the seed.
  await dash.clickGraphNode('pod:default/seed');
  await expect(dash.pathVerdict).toHaveText('dropped');
  const through = dash.hops
    .and(page.locator('[data-component="ovs"]'))
    .filter({ hasText: 'sends it out of veth-seed' });
  await expect(through).toHaveCount(1);
  await expect(through.getByTestId('hop-openflow')).toHaveAttribute('data-answer', 'recorded');
  await expect(through.getByTestId('openflow-rule')).toHaveCount(4);
  expect(await dash.classesOf(brInt.id)).toContain('on-path');
  expect(await dash.classesOf(seedPort.id)).toContain('on-path');
  await expect(dash.hops.and(page.locator('[data-verdict="dropped"]'))).toContainText(SEED_POD_MAC);

  // From the pod (on its VM) to its node's management port: the switch drops it, asked live.
  await page.getByTestId('destination').selectOption('ip');
  await page.getByTestId('destination-ip').fill(OVN_MP0.ip);
  await page.getByRole('button', { name: 'trace', exact: true }).click();
  await expect(dash.pathVerdict).toHaveText('dropped');
  const drop = dash.hops.and(page.locator('[data-verdict="dropped"]'));
  await expect(drop).toHaveCount(1);
  await expect(drop).toHaveAttribute('data-component', 'ovs');
  await expect(drop).toContainText('br-int drops it: table 0 priority 0 cookie 0x5ec0dead');
  await expect(drop.getByTestId('hop-openflow')).toHaveAttribute('data-answer', 'live');
  await expect(drop.getByTestId('openflow-rule').last()).toContainText('0x5ec0dead');
  await expect(drop.getByTestId('datapath-actions')).toHaveText('drop');
  await expect(drop.getByTestId('hop-openflow')).toContainText('ofproto/trace br-int');
  await expect(drop.getByTestId('hop-openflow')).toContainText(`dl_src=${SEED_BROKEN_VM_MAC}`);
  expect(await dash.classesOf(brInt.id)).toContain('drop');
});
