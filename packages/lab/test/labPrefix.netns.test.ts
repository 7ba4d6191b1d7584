import { existsSync, readdirSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { canBuildNetns } from '@hoplens/collector/testing';
import { labDown, labUp } from '../src/index.ts';
import { labFilesDir, newLabPrefix } from '../src/prefix.ts';

const namespaces = (prefix: string): string[] =>
  readdirSync('/run/netns')
    .filter((n) => n.startsWith(prefix))
    .sort();

/**
 * A prefix another lab holds is refused before anything is made (a failed build's teardown used to
 * remove the lab that held it): the same prefix, one nesting with a lab's either way (`hl-x-` and
 * `hl-x-b-`), or one that existing namespaces start with (`hl-x-na-` of `hl-x-na-p2`).
 */
describe.skipIf(!canBuildNetns())('lab prefixes on the machine', () => {
  const mine = newLabPrefix();
  afterAll(async () => {
    await labDown(mine).catch(() => undefined);
  });

  it('refuses a prefix another lab holds, touching nothing, and tears down only its own lab', async () => {
    const plan = await labUp({ scenario: 'bridged-nodes', variant: 'ok', prefix: mine });
    const built = namespaces(mine);
    expect(built).toEqual([...plan.namespaces].sort());
    const dashed = built.find((n) => n.slice(mine.length).includes('-'))!;
    const inner = dashed.slice(0, dashed.lastIndexOf('-') + 1);
    for (const [prefix, held] of [
      [mine, mine],
      [`${mine}b-`, `lab ${mine}`],
      [inner, inner],
    ] as const) {
      await expect(labUp({ scenario: 'seed', variant: 'broken', prefix })).rejects.toThrow(
        `prefix ${prefix} is taken (`,
      );
      await expect(labUp({ scenario: 'seed', variant: 'broken', prefix })).rejects.toThrow(held);
      expect(namespaces(mine)).toEqual(built);
      expect(existsSync(labFilesDir(prefix)) && prefix !== mine).toBe(false);
    }
    expect((await labDown(mine)).sort()).toEqual(built);
    expect(namespaces(mine)).toEqual([]);
    expect(existsSync(labFilesDir(mine))).toBe(false);
  });
});
