import { describe, expect, it } from 'vitest';
import { netnsId } from '../ids.ts';
import { kubeProxyTables } from '../testing/kubeProxyRuleset.ts';
import { kubeProxyTableOf, NFT_CLIENT, NFT_NODE, recordedNftSnapshot } from '../testing/kubeProxyNftRecorded.ts';
import { serviceCluster, WEB } from '../testing/serviceCluster.ts';
import { SnapshotIndex } from '../topology/snapshotIndex.ts';
import { trace } from '../trace/trace.ts';
import { kubeProxyMasqueradeMissing } from './kubeProxyMasqueradeMissing.ts';

const run = (index: SnapshotIndex) => kubeProxyMasqueradeMissing.run(index);

describe('kube-proxy-masquerade-missing', () => {
  it("is silent on kube-proxy's rules as it writes them, in either mode", () => {
    expect(run(new SnapshotIndex(serviceCluster().b.snapshot()))).toEqual([]);
    expect(run(new SnapshotIndex(recordedNftSnapshot()))).toEqual([]);
  });

  it('names the node whose nat POSTROUTING lost its jump to KUBE-POSTROUTING, with the rule to put back', () => {
    const tables = kubeProxyTables([WEB]);
    const nat = tables.find((t) => t.name === 'nat')!;
    nat.rules = nat.rules.filter((r) => r.chain !== 'POSTROUTING');
    const c = serviceCluster(tables);
    const [f, ...rest] = run(new SnapshotIndex(c.b.snapshot()));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ severity: 'critical', subjects: [netnsId(c.na.ref)] });
    expect(f!.message).toContain('nat POSTROUTING does not jump to KUBE-POSTROUTING');
    expect(f!.message).toContain('IP_LOCAL_SOURCE');
    expect(f!.fix).toBe(
      "ip netns exec na iptables-nft -t nat -A POSTROUTING -m comment --comment 'kubernetes postrouting rules' -j KUBE-POSTROUTING",
    );
  });

  it('names a KUBE-POSTROUTING that marks but never masquerades', () => {
    const tables = kubeProxyTables([WEB]);
    const nat = tables.find((t) => t.name === 'nat')!;
    nat.rules = nat.rules.filter((r) => !r.args.includes('MASQUERADE'));
    const [f] = run(new SnapshotIndex(serviceCluster(tables).b.snapshot()));
    expect(f?.message).toContain('KUBE-POSTROUTING has no MASQUERADE rule');
  });

  it('names the recorded nft node whose nat-postrouting lost its jump to masquerading', () => {
    const snap = recordedNftSnapshot();
    const t = kubeProxyTableOf(snap);
    t.rules = t.rules.filter((r) => r.chain !== 'nat-postrouting');
    const [f, ...rest] = run(new SnapshotIndex(snap));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ severity: 'critical', subjects: [netnsId(NFT_NODE)] });
    expect(f!.fix).toBe(`ip netns exec ${NFT_NODE.netns} nft add rule ip kube-proxy nat-postrouting jump masquerading`);
  });

  it("traces the hairpin that then fails: the client's own Service sends its SYN back from its own address", () => {
    const snap = recordedNftSnapshot();
    expect(trace(new SnapshotIndex(snap), NFT_CLIENT, 'default/self:p80').verdict).toBe('delivered');
    const t = kubeProxyTableOf(snap);
    t.rules = t.rules.filter((r) => r.chain !== 'nat-postrouting');
    const r = trace(new SnapshotIndex(snap), NFT_CLIENT, 'default/self:p80');
    expect(r.verdict).toBe('dropped');
    const stop = r.hops.at(-1)!;
    expect(stop).toMatchObject({ netns: NFT_CLIENT.netns, dropReason: 'IP_LOCAL_SOURCE' });
    expect(stop.reason).toContain(`${NFT_NODE.host}/${NFT_NODE.netns} DNATed this connection back to its own sender`);
  });
});
