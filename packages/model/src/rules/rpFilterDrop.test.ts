import { describe, expect, it } from 'vitest';
import { twoLinkRouter } from '../testing/twoLinkRouter.ts';
import { SnapshotIndex } from '../topology/snapshotIndex.ts';
import { rpFilterDrop } from './rpFilterDrop.ts';
import { interfaceId } from '../ids.ts';

describe('rp-filter-drop', () => {
  it('names the device that filters, the route that makes the path asymmetric, and loosens the filter', () => {
    const t = twoLinkRouter({ asymmetric: true });
    t.b.conf(t.gw, 'all', { ipv4: { rpFilter: 1 } });
    const [f, ...rest] = rpFilterDrop.run(new SnapshotIndex(t.b.snapshot()));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      severity: 'critical',
      subjects: [
        interfaceId(t.b.ref(t.gw, t.b.dev(t.gw, 'ens4'))),
        interfaceId(t.b.ref(t.node, t.b.dev(t.node, 'ens4'))),
      ],
      fix: 'ip netns exec gw sysctl -w net.ipv4.conf.ens4.rp_filter=2',
    });
    expect(f!.message).toContain('10.250.0.1 via 192.168.60.2 dev ens4');
    expect(f!.message).toContain('from 10.244.1.2 (node/pod)');
    expect(f!.message).toContain('10.244.1.0/24 via 192.168.50.1 dev ens3');
  });

  it('prints no fix where loosening cannot help: there is no route back at all', () => {
    const t = twoLinkRouter({ asymmetric: true });
    t.b.conf(t.gw, 'all', { ipv4: { rpFilter: 2 } });
    t.gw.ns.routes = t.gw.ns.routes.filter((r) => r.dst !== '10.244.1.0/24');
    const [f] = rpFilterDrop.run(new SnapshotIndex(t.b.snapshot()));
    expect(f!.message).toContain('no route back to 10.244.1.2');
    expect(f!.fix).toBeUndefined();
  });

  it('is silent on a symmetric path, with loose filtering, and where sysctls were not collected', () => {
    const sym = twoLinkRouter();
    sym.b.conf(sym.gw, 'all', { ipv4: { rpFilter: 1 } });
    expect(rpFilterDrop.run(new SnapshotIndex(sym.b.snapshot()))).toEqual([]);
    const loose = twoLinkRouter({ asymmetric: true });
    loose.b.conf(loose.gw, 'ens4', { ipv4: { rpFilter: 2 } });
    expect(rpFilterDrop.run(new SnapshotIndex(loose.b.snapshot()))).toEqual([]);
    const unknown = twoLinkRouter({ asymmetric: true });
    delete unknown.gw.ns.sysctls;
    expect(rpFilterDrop.run(new SnapshotIndex(unknown.b.snapshot()))).toEqual([]);
  });
});
