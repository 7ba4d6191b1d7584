import { describe, expect, it } from 'vitest';
import { interfaceId } from '../ids.ts';
import { twoLinkRouter } from '../testing/twoLinkRouter.ts';
import { SnapshotIndex } from '../topology/snapshotIndex.ts';
import { sourceIsLocal } from './sourceIsLocal.ts';

describe('source-is-local', () => {
  it('flags a gateway that holds its client address itself, and removes its copy', () => {
    const t = twoLinkRouter();
    t.b.addr(t.node, 'ens3', '10.244.1.2/32');
    const [f, ...rest] = sourceIsLocal.run(new SnapshotIndex(t.b.snapshot()));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      subjects: [
        interfaceId(t.b.ref(t.node, t.b.dev(t.node, 'vp'))),
        interfaceId(t.b.ref(t.pod, t.b.dev(t.pod, 'eth0'))),
      ],
      fix: 'ip netns exec node ip addr del 10.244.1.2/32 dev ens3',
    });
    expect(f!.message).toContain('node/node holds 10.244.1.2 on ens3 itself');
  });

  it('is silent with accept_local on, and for a gateway routing its own traffic back through the sender', () => {
    const t = twoLinkRouter();
    t.b.addr(t.node, 'ens3', '10.244.1.2/32');
    t.b.conf(t.node, 'all', { ipv4: { acceptLocal: 1 } });
    expect(sourceIsLocal.run(new SnapshotIndex(t.b.snapshot()))).toEqual([]);
    // The gateway namespace routes the pod subnet through the node: its own addresses are not martians.
    expect(sourceIsLocal.run(new SnapshotIndex(twoLinkRouter().b.snapshot()))).toEqual([]);
  });
});
