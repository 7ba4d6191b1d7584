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
 * One lab's prefix may begin another's (`hl-x-` and `hl-x-b-`): building a lab under a prefix that is
 * taken is refused before anything is made (its failure's teardown removed the lab that held it), and
 * `lab down` of the shorter prefix leaves the longer one's namespaces.
 */
describe.skipIf(!canBuildNetns())('lab prefixes on the machine', () => {
  const short = newLabPrefix();
  const long = `${short}b-`;
  afterAll(async () => {
    await labDown(long).catch(() => undefined);
    await labDown(short).catch(() => undefined);
  });

  it('refuses a prefix that is up, and tears down only its own lab', async () => {
    const plan = await labUp({ scenario: 'seed', variant: 'broken', prefix: short });
    await labUp({ scenario: 'seed', variant: 'broken', prefix: long });
    const mine = namespaces(short).filter((n) => !n.startsWith(long));
    expect(mine).toEqual([...plan.namespaces].sort());
    const theirs = namespaces(long);
    expect(theirs.length).toBeGreaterThan(0);

    await expect(labUp({ scenario: 'seed', variant: 'fixed', prefix: short })).rejects.toThrow(
      `a lab with prefix ${short} is already up`,
    );
    expect(namespaces(short).filter((n) => !n.startsWith(long))).toEqual(mine);

    expect((await labDown(short)).sort()).toEqual(mine);
    expect(namespaces(short)).toEqual(theirs);
    expect(existsSync(labFilesDir(short))).toBe(false);
    expect(existsSync(labFilesDir(long))).toBe(true);
    expect((await labDown(long)).sort()).toEqual(theirs);
    expect(namespaces(short)).toEqual([]);
  });
});
