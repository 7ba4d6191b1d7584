import { describe, expect, it } from 'vitest';
import type { IptablesTable } from '../schema/firewall.ts';
import type { Snapshot } from '../schema/snapshot.ts';
import { F, FILTERS } from '../testing/filterFixtures.ts';
import { kubeProxyTables, kubeServices } from '../testing/kubeProxyRuleset.ts';
import { nsIn } from '../testing/seedFixtures.ts';
import { icmpEcho, vxlanPacket, type IpPacket } from '../trace/packet.ts';
import { hookVerdict } from '../trace/stages/netfilter.ts';
import { trace } from '../trace/trace.ts';
import { expectUnknownStop } from '../testing/unknownStop.ts';
import { SnapshotIndex } from '../topology/snapshotIndex.ts';
import type { HookResult } from './evaluate.ts';
import type { NfHook } from './nfPacket.ts';

type Ref = { readonly host: string; readonly netns: string };

/** The verdict of one hook of a namespace of a snapshot for a packet. */
function verdict(snap: Snapshot, ns: Ref, hook: NfHook, pkt: IpPacket, dev?: string): HookResult {
  const index = new SnapshotIndex(snap);
  const entry = index.netns(ns)!;
  const link = dev === undefined ? undefined : entry.linksByName.get(dev);
  const at = hook === 'output' || hook === 'postrouting' ? { oif: link } : { iif: link };
  const r = hookVerdict(index, entry, pkt.dst.includes(':') ? 'ipv6' : 'ipv4', hook, pkt, at);
  if (!r) throw new Error('no chains at that hook');
  return r;
}

const ping = (src: string, dst: string, ct: IpPacket['ct'] = 'new'): IpPacket => ({
  ...icmpEcho({ src, dst, type: 'echo-request' }),
  ct,
});
const reply = (src: string, dst: string, ct: IpPacket['ct']): IpPacket => ({
  ...icmpEcho({ src, dst, type: 'echo-reply' }),
  ct,
});
const udp = (src: string, dst: string, dport: number, ct: IpPacket['ct'] = 'new'): IpPacket => ({
  kind: 'ip',
  src,
  dst,
  l4: { proto: 'udp', sport: 40000, dport },
  size: 100,
  df: false,
  ct,
  mark: 0,
});
const tcp = (src: string, dst: string, dport: number, ct: IpPacket['ct'] = 'new'): IpPacket => ({
  kind: 'ip',
  src,
  dst,
  l4: { proto: 'tcp', sport: 40000, dport, flags: ['syn'] },
  size: 60,
  df: true,
  ct,
  mark: 0,
});

/** A snapshot whose podns has these iptables tables instead of its own. */
function withTables(tables: IptablesTable[]): Snapshot {
  const snap = FILTERS.iptablesOk();
  nsIn(snap, F.podns).firewall = { nftables: [], iptables: tables, ipsets: [], gaps: [] };
  return snap;
}
const table = (name: string, chains: [string, string][], rules: [string, ...string[]][]): IptablesTable => ({
  family: 'ipv4',
  backend: 'nft',
  name,
  chains: chains.map(([n, policy]) => ({ name: n, policy, packets: 0, bytes: 0 })),
  rules: rules.map(([chain, ...args]) => ({ chain, args, packets: 0, bytes: 0 })),
});
const POD = '10.132.2.46';

describe('iptables on a recorded default-deny pod (peer-pod-filters iptables-ok)', () => {
  const snap = FILTERS.iptablesOk();

  it('accepts a ping from the pod subnet with the rule that says so', () => {
    const r = verdict(snap, F.podns, 'input', ping('10.132.2.1', POD));
    expect(r.verdict).toBe('accept');
    if (r.verdict !== 'accept') return;
    expect(r.events.at(-1)?.ref).toMatchObject({ backend: 'iptables-nft', table: 'filter', chain: 'INPUT', handle: 5 });
  });

  it('drops a ping from an address in the ipset a rule names, naming that rule', () => {
    const r = verdict(snap, F.podns, 'input', ping('10.99.0.5', POD));
    expect(r).toMatchObject({
      verdict: 'drop',
      ref: { handle: 4, text: '-A INPUT -m set --match-set hl-blocked src -j DROP' },
    });
  });

  it('drops TCP to port 22, and anything else by the chain policy', () => {
    expect(verdict(snap, F.podns, 'input', tcp('10.132.2.1', POD, 22))).toMatchObject({
      verdict: 'drop',
      ref: { handle: 3 },
    });
    expect(verdict(snap, F.podns, 'input', tcp('10.132.2.1', POD, 80))).toMatchObject({
      verdict: 'drop',
      ref: { text: '-P INPUT DROP' },
    });
  });

  it('lets an ESTABLISHED reply in and keeps an unsolicited (INVALID) one out', () => {
    expect(verdict(snap, F.podns, 'input', reply('10.132.2.1', POD, 'established')).verdict).toBe('accept');
    expect(verdict(snap, F.podns, 'input', reply('10.132.2.1', POD, 'invalid'))).toMatchObject({
      verdict: 'drop',
      ref: { text: '-P INPUT DROP' },
    });
  });
});

describe('nftables on a recorded pod VM root (peer-pod-filters nft-tunnel-ok)', () => {
  const snap = FILTERS.nftTunnelOk();

  it('accepts the tunnel from the worker and drops UDP 4790 by its handle, the rest by the policy', () => {
    const accepted = verdict(snap, F.vm, 'input', udp('192.168.200.1', '192.168.200.2', 4789));
    expect(accepted.verdict).toBe('accept');
    expect(verdict(snap, F.vm, 'input', udp('192.168.200.1', '192.168.200.2', 4790))).toMatchObject({
      verdict: 'drop',
      ref: {
        backend: 'nftables',
        family: 'inet',
        table: 'hostfw',
        chain: 'input',
        handle: 3,
        text: 'udp dport 4790 drop',
      },
    });
    expect(verdict(snap, F.vm, 'input', udp('192.168.200.9', '192.168.200.2', 4789))).toMatchObject({
      verdict: 'drop',
      ref: { text: 'policy drop' },
    });
    expect(verdict(snap, F.vm, 'input', reply('192.168.200.1', '192.168.200.2', 'established')).verdict).toBe('accept');
  });
});

describe('NOTRACK (peer-pod-filters notrack)', () => {
  it("exempts the tunnel's packets in raw OUTPUT, as cloud-api-adaptor's rule says, and no others", () => {
    const snap = FILTERS.notrack();
    const inner = {
      srcMac: null,
      dstMac: '00:00:00:00:00:00',
      packet: { kind: 'arp' as const, src: undefined, dst: '0.0.0.0' },
    };
    const out = verdict(
      snap,
      F.worker,
      'output',
      vxlanPacket({ src: '192.168.200.1', dst: '192.168.200.2', port: 4789, vni: 555000, inner }),
    );
    expect(out).toMatchObject({ verdict: 'accept', state: { notrack: true, ct: 'untracked' } });
    const other = verdict(snap, F.worker, 'output', udp('192.168.200.1', '192.168.200.2', 53));
    expect(other).toMatchObject({ verdict: 'accept', state: { notrack: false, ct: 'new' } });
  });
});

describe('evaluation edge cases', () => {
  it('reports a loop of jumps (which the kernel would refuse) as unknown, naming it', () => {
    const snap = withTables([
      table(
        'filter',
        [
          ['INPUT', 'ACCEPT'],
          ['A', '-'],
          ['B', '-'],
        ],
        [
          ['INPUT', '-j', 'A'],
          ['A', '-j', 'B'],
          ['B', '-j', 'A'],
        ],
      ),
    ]);
    const r = verdict(snap, F.podns, 'input', ping('10.132.2.1', POD));
    expect(r).toMatchObject({ verdict: 'unknown', why: expect.stringContaining('the chains loop (A → B → A)') });
  });

  it('gives up on jumps nested deeper than the kernel allows', () => {
    const names = Array.from({ length: 100 }, (_, i) => `C${i}`);
    const rules: [string, ...string[]][] = [
      ['INPUT', '-j', 'C0'],
      ...names.slice(0, -1).map((n, i): [string, ...string[]] => [n, '-j', names[i + 1]!]),
    ];
    const snap = withTables([
      table('filter', [['INPUT', 'ACCEPT'], ...names.map((n): [string, string] => [n, '-'])], rules),
    ]);
    expect(verdict(snap, F.podns, 'input', ping('10.132.2.1', POD))).toMatchObject({
      verdict: 'unknown',
      why: expect.stringContaining('nest deeper'),
    });
  });

  it('walks 100,000 rules to the one that matches', () => {
    const rules: [string, ...string[]][] = Array.from({ length: 100_000 }, (_, i) => [
      'INPUT',
      '-s',
      `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}/32`,
      '-j',
      'DROP',
    ]);
    const snap = withTables([table('filter', [['INPUT', 'ACCEPT']], rules)]);
    const r = verdict(snap, F.podns, 'input', ping('10.1.134.159', POD));
    expect(r).toMatchObject({ verdict: 'drop', ref: { handle: 100_000 } });
  });

  it('names a match it cannot evaluate when it decides, and ignores one that only logs', () => {
    const decides = withTables([
      table('filter', [['INPUT', 'ACCEPT']], [['INPUT', '-m', 'rpfilter', '--invert', '-j', 'DROP']]),
    ]);
    expect(verdict(decides, F.podns, 'input', ping('10.132.2.1', POD))).toMatchObject({
      verdict: 'unknown',
      ref: { handle: 1 },
      why: expect.stringContaining('rpfilter'),
    });
    // The trace's stop names the rule and what it does not evaluate, and claims no drop.
    expectUnknownStop(trace(new SnapshotIndex(decides), F.worker, POD), [
      'IPv4 INPUT hook: iptables-nft filter INPUT rule 1',
      'rpfilter',
      'what the hook does with the packet from there cannot be told',
    ]);
    // A match that depends on earlier packets is tried both ways: each end, as a condition.
    const either = withTables([
      table('filter', [['INPUT', 'ACCEPT']], [['INPUT', '-m', 'limit', '--limit', '5/min', '-j', 'DROP']]),
    ]);
    expect(verdict(either, F.podns, 'input', ping('10.132.2.1', POD))).toMatchObject({
      verdict: 'unknown',
      ref: { handle: 1 },
      ways: [{ verdict: 'drop', ref: { handle: 1 } }, { verdict: 'accept' }],
    });
    expectUnknownStop(trace(new SnapshotIndex(either), F.worker, POD), [
      'the verdict depends on `-m limit --limit 5/min`, which depends on earlier packets or chance',
      'depending on it, the packet would be dropped by iptables-nft filter INPUT rule 1 or accepted',
    ]);
    const logs = withTables([
      table('filter', [['INPUT', 'ACCEPT']], [['INPUT', '-m', 'limit', '--limit', '5/min', '-j', 'LOG']]),
    ]);
    expect(verdict(logs, F.podns, 'input', ping('10.132.2.1', POD)).verdict).toBe('accept');
  });

  it('tries a random match both ways: the same verdict stands, different ones are one outcome each', () => {
    const same = withTables([
      table(
        'filter',
        [['INPUT', 'ACCEPT']],
        [['INPUT', '-m', 'statistic', '--mode', 'random', '--probability', '0.5', '-j', 'ACCEPT']],
      ),
    ]);
    expect(verdict(same, F.podns, 'input', ping('10.132.2.1', POD)).verdict).toBe('accept');
    const differs = withTables([
      table(
        'filter',
        [['INPUT', 'DROP']],
        [['INPUT', '-m', 'statistic', '--mode', 'random', '--probability', '0.5', '-j', 'ACCEPT']],
      ),
    ]);
    const r = verdict(differs, F.podns, 'input', ping('10.132.2.1', POD));
    expect(r.verdict).toBe('chance');
    if (r.verdict !== 'chance') return;
    expect(r.outcomes.map((o) => [o.probability, o.result.verdict]).sort()).toEqual([
      [0.5, 'accept'],
      [0.5, 'drop'],
    ]);
  });

  it('evaluates a NAT target on a connection’s first packet, skips it after, and names a range it cannot', () => {
    const snap = withTables([
      table(
        'nat',
        [['PREROUTING', 'ACCEPT']],
        [['PREROUTING', '-p', 'icmp', '-j', 'DNAT', '--to-destination', '10.0.0.9']],
      ),
    ]);
    const first = verdict(snap, F.podns, 'prerouting', ping('10.132.2.1', POD));
    expect(first.verdict === 'accept' && first.state.nat?.target).toEqual({ kind: 'dnat', addr: '10.0.0.9' });
    const later = verdict(snap, F.podns, 'prerouting', reply('10.132.2.1', POD, 'established'));
    expect(later.verdict).toBe('accept');
    expect(later.verdict === 'accept' && later.state.nat).toBeUndefined();
    const range = withTables([
      table(
        'nat',
        [['PREROUTING', 'ACCEPT']],
        [['PREROUTING', '-p', 'icmp', '-j', 'DNAT', '--to-destination', '10.0.0.9-10.0.0.12']],
      ),
    ]);
    expect(verdict(range, F.podns, 'prerouting', ping('10.132.2.1', POD))).toMatchObject({
      verdict: 'unknown',
      why: expect.stringContaining('DNAT to `10.0.0.9-10.0.0.12` (a range, or not understood) is not evaluated'),
    });
  });

  it('carries a mark set in mangle to the filter table', () => {
    const snap = withTables([
      table('mangle', [['INPUT', 'ACCEPT']], [['INPUT', '-p', 'icmp', '-j', 'MARK', '--set-xmark', '0x4000/0x4000']]),
      table('filter', [['INPUT', 'ACCEPT']], [['INPUT', '-m', 'mark', '--mark', '0x4000/0x4000', '-j', 'REJECT']]),
    ]);
    expect(verdict(snap, F.podns, 'input', ping('10.132.2.1', POD))).toMatchObject({
      verdict: 'reject',
      reject: 'icmp-port-unreachable',
    });
  });

  it('names an option it does not know instead of guessing', () => {
    const snap = withTables([table('filter', [['INPUT', 'ACCEPT']], [['INPUT', '--weird', 'x', '-j', 'DROP']])]);
    expect(verdict(snap, F.podns, 'input', ping('10.132.2.1', POD))).toMatchObject({
      verdict: 'unknown',
      why: expect.stringContaining('`--weird`'),
    });
  });
});

describe("kube-proxy's own chain layout, 10,000 rules", () => {
  const tables = kubeProxyTables(kubeServices(1275));
  const snap = withTables(tables);

  it('is kube-proxy sized', () => {
    expect(tables.reduce((n, t) => n + t.rules.length, 0)).toBeGreaterThanOrEqual(10_000);
  });

  it('lets pod-to-pod pings through prerouting and forward', () => {
    expect(verdict(snap, F.podns, 'prerouting', ping('10.244.1.2', '10.244.2.3')).verdict).toBe('accept');
    expect(verdict(snap, F.podns, 'forward', ping('10.244.1.2', '10.244.2.3')).verdict).toBe('accept');
  });

  it("DNATs a connection to a Service to each of its endpoints, one outcome per way of kube-proxy's random pick", () => {
    const r = verdict(snap, F.podns, 'prerouting', tcp('10.244.1.2', '10.96.0.0', 8000));
    expect(r.verdict).toBe('chance');
    if (r.verdict !== 'chance') return;
    const targets = r.outcomes.map((o) => (o.result.verdict === 'accept' ? o.result.state.nat?.target : undefined));
    expect(targets).toEqual(
      expect.arrayContaining([
        { kind: 'dnat', addr: '10.244.0.0', port: 8000 },
        { kind: 'dnat', addr: '10.244.0.1', port: 8000 },
      ]),
    );
    expect(r.outcomes.map((o) => o.probability)).toEqual([0.5, 0.5]);
  });

  it('rejects a connection to a Service without endpoints, with the ICMP error kube-proxy asks for', () => {
    expect(verdict(snap, F.podns, 'forward', tcp('10.244.1.2', '10.96.0.49', 8049))).toMatchObject({
      verdict: 'reject',
      reject: 'icmp-port-unreachable',
      ref: { comment: 'ns9/svc49:p8049 has no endpoints' },
    });
  });
});
