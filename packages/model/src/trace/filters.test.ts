import { describe, expect, it } from 'vitest';
import { expectUnknownStop } from '../testing/unknownStop.ts';
import { hookTable } from '../testing/hookTable.ts';
import { F, FILTERS } from '../testing/filterFixtures.ts';
import { nsIn } from '../testing/seedFixtures.ts';
import { SnapshotIndex } from '../topology/snapshotIndex.ts';
import { trace } from './trace.ts';

const GATEWAY6 = 'fd00:132:2::1';

/** The dual-stack seed with the pod VM's neighbour entries gone: its reply needs neighbour discovery. */
function dualStackNoNeighbors() {
  const snap = FILTERS.dualStack();
  const podns = nsIn(snap, F.podns);
  podns.neighbors = podns.neighbors.filter((n) => !n.ip.includes(':'));
  return snap;
}

describe('IPv6 neighbour discovery through the peer-pod tunnel (peer-pod-filters dual-stack)', () => {
  it('resolves the gateway by a solicitation over the tunnel and an advertisement back, so ping -6 is delivered', () => {
    const result = trace(new SnapshotIndex(dualStackNoNeighbors()), F.podns, GATEWAY6);
    expect(result.verdict).toBe('delivered');
    const nd = result.hops.find((h) => h.component === 'neighbor' && h.netns === F.podns.netns);
    expect(nd?.reason).toBe(`no entry for ${GATEWAY6}; neighbour discovery would resolve it to 0a:58:0a:84:02:01`);
  });

  it('names the rule when a filter on the way drops the solicitation', () => {
    const snap = dualStackNoNeighbors();
    const table = hookTable('hostfw', 'input', 'accept', [
      [
        { match: { op: '==', left: { payload: { protocol: 'icmpv6', field: 'type' } }, right: 'nd-neighbor-solicit' } },
        { drop: null },
      ],
    ]);
    nsIn(snap, F.worker).firewall = { nftables: [table], iptables: [], ipsets: [], gaps: [] };
    const result = trace(new SnapshotIndex(snap), F.podns, GATEWAY6);
    expect(result.verdict).toBe('dropped');
    const nd = result.hops.find((h) => h.component === 'neighbor');
    expect(nd?.reason).toContain(
      'neighbour discovery gets no answer (at ovn-k8s-pod: IPv6 INPUT hook: nftables inet hostfw input rule handle 2',
    );
    expect(nd?.rule).toMatchObject({
      backend: 'nftables',
      table: 'hostfw',
      chain: 'input',
      handle: 2,
      text: 'icmpv6 type nd-neighbor-solicit drop',
    });
  });
});

describe('filters on recorded nodes', () => {
  it("drops bridged pod-to-pod frames in the node's FORWARD chain through br_netfilter, naming the policy", () => {
    const result = trace(new SnapshotIndex(FILTERS.brForwardDrop()), F.na2, '10.244.1.3');
    expect(result.verdict).toBe('dropped');
    const stop = result.hops.at(-1)!;
    expect(stop).toMatchObject({ netns: F.na.netns, interface: 'veth2', component: 'netfilter', verdict: 'dropped' });
    expect(stop.reason).toMatch(/^IPv4 FORWARD hook: iptables-nft filter FORWARD policy `-P FORWARD DROP` drops it/);
    expect(stop.rule).toMatchObject({ backend: 'iptables-nft', family: 'ipv4', table: 'filter', chain: 'FORWARD' });
    expect(stop.rule?.command).toBe(
      `ip netns exec ${F.na.netns} iptables-nft -t filter -L FORWARD -v -n --line-numbers`,
    );
  });

  it("cannot tell whether the FORWARD chain sees a bridged frame where the node's sysctls were not collected", () => {
    const snap = FILTERS.brForwardDrop();
    delete nsIn(snap, F.na).sysctls;
    const stop = expectUnknownStop(trace(new SnapshotIndex(snap), F.na2, '10.244.1.3'), [
      'net.bridge.bridge-nf-call-iptables, which was not collected',
      'off, it is bridged unfiltered',
    ]);
    expect(stop).toMatchObject({ netns: F.na.netns, component: 'netfilter' });
  });

  it('answers unknown through an eBPF program and names it', () => {
    const result = trace(new SnapshotIndex(FILTERS.ebpf()), F.na2, '10.244.1.3');
    const stop = expectUnknownStop(result, [
      'cannot be evaluated by hoplens',
      'whether the frame would pass, be redirected or be dropped here cannot be told',
    ]);
    expect(stop.reason).toMatch(/eBPF program pass\.o:\[classifier\] \(id \d+, tag/);
  });

  it('drops where a u32 hash table sends the frame into a device that is down, naming the filter', () => {
    const result = trace(new SnapshotIndex(FILTERS.u32HashDrop()), F.na, '10.244.1.3');
    expect(result.verdict).toBe('dropped');
    const stop = result.hops.find((h) => h.component === 'tc' && h.verdict !== 'ok');
    expect(stop?.reason).toContain('redirects to hl-sink, which is down: mirred drops the frame');
    expect(stop?.rule).toMatchObject({ backend: 'tc', family: 'egress', table: 'veth3', handle: 1 });
  });

  it('is unknown where the collector could not read a namespace’s firewall', () => {
    const snap = FILTERS.brForwardDrop();
    nsIn(snap, F.na).firewall = {
      nftables: [],
      iptables: [],
      ipsets: [],
      gaps: [{ family: 'all', what: 'nftables', reason: 'nft: not found' }],
    };
    expectUnknownStop(trace(new SnapshotIndex(snap), F.na2, '10.244.1.3'), [
      'nftables of this namespace could not be read (nft: not found)',
      'its rules may accept the packet, drop it or change it: which, hoplens cannot tell',
    ]);
  });
});
