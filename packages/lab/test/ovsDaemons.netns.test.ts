import { existsSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { runCommand } from '@hoplens/collector';
import { canBuildNetns } from '@hoplens/collector/testing';
import { labDown, labUp } from '../src/index.ts';
import { ovsRunDir, ovsStartCommands } from '../src/ovs/ovsDaemons.ts';
import { newLabPrefix } from '../src/prefix.ts';

const alive = (pid: number): boolean =>
  existsSync(`/proc/${pid}`) && !/\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
const pids = (runDir: string): number[] =>
  ['ovsdb-server', 'ovs-vswitchd'].map((d) => Number(readFileSync(`${runDir}/${d}.pid`, 'utf8').trim()));

/**
 * A lab with Open vSwitch runs its own ovsdb-server and ovs-vswitchd in its own run directory;
 * `lab down --prefix` stops exactly those and removes their files, and leaves another lab's alone.
 */
describe.skipIf(!canBuildNetns())('the lab’s Open vSwitch daemons', () => {
  const mine = newLabPrefix();
  const other = newLabPrefix();
  afterAll(async () => {
    await labDown(mine).catch(() => undefined);
    await labDown(other).catch(() => undefined);
  });

  it('start with the lab in a private run directory and stop with it, leaving another lab’s running', async () => {
    const plan = await labUp({ scenario: 'ovn-seed', variant: 'ok', prefix: mine });
    const run = ovsRunDir(mine, 'worker');
    expect(plan.hostMap.hosts[0]?.ovsDbSocket).toBe(`${run}/db.sock`);
    const running = pids(run);
    expect(running.every(alive)).toBe(true);

    const otherRun = ovsRunDir(other, 'node');
    await runCommand(['ip', 'netns', 'add', `${other}node`]);
    for (const argv of ovsStartCommands(otherRun, `${other}node`)) await runCommand(argv);
    const others = pids(otherRun);

    expect(await labDown(mine)).toContain(`${mine}worker`);
    expect(running.some(alive)).toBe(false);
    expect(existsSync(run)).toBe(false);
    expect(others.every(alive)).toBe(true);
    await labDown(other);
    expect(others.some(alive)).toBe(false);
  });
});
