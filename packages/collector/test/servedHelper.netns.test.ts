import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { canBuildNetns } from '../src/testing/index.ts';
import { collectNetlink, decodeHelperOutput } from '../src/netlink/collectNetlink.ts';
import { helperBinary } from '../src/netlink/helperBinary.ts';
import type { NetnsJob } from '../src/netlink/netnsJob.ts';

const jobs: NetnsJob[] = [
  { name: null, root: true },
  { name: 'hl-served-absent', root: false },
  { name: null, root: false },
];
/** What does not move between two dumps of the collector's own namespace. */
const stable = (r: Awaited<ReturnType<typeof collectNetlink>>[number]): unknown =>
  'error' in r
    ? r.error.message.replace(/^.*?: /, '')
    : {
        links: r.links.map((l) => [l.link.ifindex, l.link.name, l.link.mtu]),
        addresses: r.addresses,
        errors: r.errors.map((e) => e.message),
      };

describe.skipIf(!canBuildNetns())('the helper served run after run', () => {
  it('answers collection after collection as a helper started for each would', async () => {
    const helper = await helperBinary();
    const once = decodeHelperOutput(execFileSync(helper, ['-', '/run/netns/hl-served-absent', '-']), jobs).map(stable);
    for (let i = 0; i < 3; i++) expect((await collectNetlink(helper, jobs)).map(stable)).toEqual(once);
  });

  it('starts a helper of its own for a collection asked while another runs', async () => {
    const helper = await helperBinary();
    const [a, b] = await Promise.all([collectNetlink(helper, jobs), collectNetlink(helper, jobs)]);
    expect(a.map(stable)).toEqual(b.map(stable));
  });
});
