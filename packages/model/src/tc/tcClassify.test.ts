import { describe, expect, it } from 'vitest';
import type { TcFilter } from '../schema/inventory.ts';
import { F, FILTERS } from '../testing/filterFixtures.ts';
import { nsIn } from '../testing/seedFixtures.ts';
import { icmpEcho, type Frame } from '../trace/packet.ts';
import { frameBytes } from '../trace/packetBytes.ts';
import { runCbpf } from './cbpf.ts';
import { tcClassify } from './tcClassify.ts';

const frame = (dst: string, src = '10.244.1.2'): Frame => ({
  srcMac: '0a:58:0a:f4:01:01',
  dstMac: '0a:58:0a:f4:01:03',
  packet: icmpEcho({ src, dst, type: 'echo-request' }),
});
const arp: Frame = {
  srcMac: '0a:58:0a:f4:01:01',
  dstMac: 'ff:ff:ff:ff:ff:ff',
  packet: { kind: 'arp', src: '10.244.1.1', dst: '10.244.1.3' },
};
const veth3 = { name: 'veth3', ingress: false };
const filtersOf = (snap: ReturnType<typeof FILTERS.cbpfDrop>): TcFilter[] =>
  nsIn(snap, F.na).tcFilters.filter((f) => f.dev === 'veth3' && f.direction === 'egress');

describe('u32 on a recorded hash table (node-filters u32-hash-drop)', () => {
  const filters = filtersOf(FILTERS.u32HashDrop());

  it('hashes the destination into bucket 3 and takes the node there: redirect into the sink', () => {
    const v = tcClassify(filters, frame('10.244.1.3'), veth3);
    expect(v).toMatchObject({
      kind: 'redirect',
      action: { targetDev: 'hl-sink' },
      filter: { classifier: { ht: 1, bucket: 3 } },
    });
  });

  it('lets a packet whose bucket holds no matching node go on', () => {
    expect(tcClassify(filters, frame('10.244.1.2'), veth3).kind).toBe('continue');
    expect(tcClassify(filters, frame('10.244.2.3'), veth3).kind).toBe('continue');
  });

  it('runs a protocol-ip filter only for IP frames', () => {
    expect(tcClassify(filters, arp, veth3).kind).toBe('continue');
  });
});

describe('classic BPF on recorded bytecode (node-filters cbpf-drop)', () => {
  const filters = filtersOf(FILTERS.cbpfDrop());
  const ops = (filters[0]?.classifier as { ops: { code: number; jt: number; jf: number; k: number }[] }).ops;
  const ctx = { protocol: 0x0800, pktType: 0, mark: 0 };

  it('matches IPv4 to 10.244.1.3 and nothing else, as the kernel did', () => {
    expect(runCbpf(ops, frameBytes(frame('10.244.1.3')), ctx)).toEqual({ value: 0xffffffff });
    expect(runCbpf(ops, frameBytes(frame('10.244.1.2')), ctx)).toEqual({ value: 0 });
    expect(runCbpf(ops, frameBytes(arp), ctx)).toEqual({ value: 0 });
    expect(tcClassify(filters, frame('10.244.1.3'), veth3).kind).toBe('redirect');
  });

  it('is unknown when the answer depends on a byte it cannot know (the TTL), and known when it does not', () => {
    // ldb [22] (TTL); jeq #64 → match, else no match.
    const ttl = [
      { code: 0x30, jt: 0, jf: 0, k: 22 },
      { code: 0x15, jt: 0, jf: 1, k: 64 },
      { code: 0x06, jt: 0, jf: 0, k: 1 },
      { code: 0x06, jt: 0, jf: 0, k: 0 },
    ];
    expect(runCbpf(ttl, frameBytes(frame('10.244.1.3')), ctx)).toMatchObject({
      unknown: expect.stringContaining('bytes hoplens cannot know'),
    });
    const both = ttl.map((i, n) => (n === 3 ? { ...i, k: 1 } : i));
    expect(runCbpf(both, frameBytes(frame('10.244.1.3')), ctx)).toEqual({ value: 1 });
  });

  it('returns 0 for a load past the packet, and refuses bytecode the kernel would', () => {
    const far = [
      { code: 0x20, jt: 0, jf: 0, k: 5000 },
      { code: 0x06, jt: 0, jf: 0, k: 1 },
    ];
    expect(runCbpf(far, frameBytes(frame('10.244.1.3')), ctx)).toEqual({ value: 0 });
    const out = [
      { code: 0x15, jt: 7, jf: 0, k: 0 },
      { code: 0x06, jt: 0, jf: 0, k: 0 },
    ];
    expect(runCbpf(out, frameBytes(frame('10.244.1.3')), ctx)).toMatchObject({
      unknown: expect.stringContaining('jumps out'),
    });
  });
});

describe('what tc cannot or need not evaluate', () => {
  it('names a recorded eBPF program by id, name and tag instead of guessing its verdict', () => {
    const filters = filtersOf(FILTERS.ebpf());
    const v = tcClassify(filters, frame('10.244.1.3'), veth3);
    expect(v.kind).toBe('unknown');
    if (v.kind !== 'unknown') return;
    expect(v.why).toMatch(/^eBPF program pass\.o:\[classifier\] \(id \d+, tag [0-9a-f]{16}\) cannot be evaluated/);
  });

  const base: Omit<TcFilter, 'classifier' | 'actions'> = {
    ifindex: 2,
    dev: 'eth0',
    direction: 'ingress',
    kind: 'flower',
    pref: 1,
    protocol: 0x0800,
    chain: 0,
    matchesAll: false,
  };
  const flower = (keys: object, actions: TcFilter['actions']): TcFilter => ({
    ...base,
    classifier: { kind: 'flower', unsupported: [], ...keys },
    actions,
  });
  const eth0 = { name: 'eth0', ingress: true };

  it('drops with gact what flower keys match, and lets the rest through', () => {
    const f = flower({ ethType: 0x0800, ipProto: 1, dstIp: { value: '10.244.1.0', mask: '255.255.255.0' } }, [
      { kind: 'gact', control: 'drop' },
    ]);
    expect(tcClassify([f], frame('10.244.1.3'), eth0)).toMatchObject({ kind: 'drop' });
    expect(tcClassify([f], frame('10.244.2.3'), eth0).kind).toBe('continue');
  });

  it('is unknown on a flower key it does not read, and follows continue and goto chain', () => {
    expect(
      tcClassify(
        [flower({ unsupported: ['vlan_id'] }, [{ kind: 'gact', control: 'drop' }])],
        frame('10.244.1.3'),
        eth0,
      ),
    ).toMatchObject({
      kind: 'unknown',
      why: expect.stringContaining('vlan_id'),
    });
    const go = {
      ...base,
      kind: 'matchall',
      classifier: { kind: 'matchall' as const },
      actions: [{ kind: 'gact', control: 'goto', chain: 5 }],
    };
    const skip = {
      ...base,
      pref: 2,
      kind: 'matchall',
      classifier: { kind: 'matchall' as const },
      actions: [{ kind: 'gact', control: 'drop' }],
    };
    const inChain5 = flower({ ipProto: 1 }, [{ kind: 'gact', control: 'continue' }]);
    const last = {
      ...base,
      chain: 5,
      pref: 9,
      kind: 'matchall',
      classifier: { kind: 'matchall' as const },
      actions: [{ kind: 'gact', control: 'drop' }],
    };
    expect(tcClassify([go, skip, { ...inChain5, chain: 5 }, last], frame('10.244.1.3'), eth0)).toMatchObject({
      kind: 'drop',
      filter: { chain: 5, pref: 9 },
    });
    // A goto into a chain the snapshot holds no filter of is not guessed either way.
    expect(tcClassify([go, skip], frame('10.244.1.3'), eth0)).toMatchObject({
      kind: 'unknown',
      why: 'goto chain 5, which holds no collected filter',
    });
  });
});
