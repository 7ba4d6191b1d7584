import { afterAll, describe, expect, it } from 'vitest';
import { collectLocal, createSnapshot } from '@hoplens/collector';
import { canBuildNetns } from '@hoplens/collector/testing';
import { runRules, SnapshotIndex } from '@hoplens/model';
import { labDown, labUp, ping, SEED_POD_IP } from '../src/index.ts';
import { newLabPrefix } from '../src/prefix.ts';

const prefix = newLabPrefix();

/**
 * The kernel's own proof of the seed fault: every ping the pod VM drops as meant for another host
 * is counted in vxlan0's rx_otherhost_dropped, and the finding quotes that count.
 */
describe.skipIf(!canBuildNetns())('the pod VM counts the frames it drops as another host’s', () => {
  afterAll(() => labDown(prefix));

  it('counts each dropped ping, and the finding quotes the count', async () => {
    const plan = await labUp({ scenario: 'seed', variant: 'broken', prefix });
    for (let i = 0; i < 3; i++) expect(await ping(`${prefix}worker`, SEED_POD_IP)).toBe(false);
    const snapshot = createSnapshot(await collectLocal(plan.hostMap), 'counter test');
    const vxlan0 = snapshot.hosts
      .find((h) => h.name === 'podvm')!
      .namespaces.find((n) => n.name === `${prefix}podns`)!
      .links.find((l) => l.name === 'vxlan0')!;
    expect(vxlan0.stats?.rxOtherhostDropped).toBeGreaterThanOrEqual(3);
    const finding = runRules(new SnapshotIndex(snapshot)).find((f) => f.rule === 'mac-mismatch-across-tunnel')!;
    expect(finding.message).toMatch(/rx_otherhost_dropped stands at \d+\)$/);
  });
});
