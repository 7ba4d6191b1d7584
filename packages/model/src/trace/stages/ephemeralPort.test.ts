import { describe, expect, it } from 'vitest';
import type { Firewall, IptablesTable, JsonValue } from '../../schema/firewall.ts';
import type { PolicyRule } from '../../schema/inventory.ts';
import { DEFAULT_RULES } from '../../net/defaultRules.ts';
import { hookTable } from '../../testing/hookTable.ts';
import { twoLinkRouter, type TwoLinkRouter } from '../../testing/twoLinkRouter.ts';
import { SnapshotIndex } from '../../topology/snapshotIndex.ts';
import { trace } from '../trace.ts';

const EPHEMERAL = { start: 32768, end: 60999 };

/** The router with the pod's ephemeral ports known (or not), and a server on the gateway's 8080. */
function router(known = true): TwoLinkRouter {
  const t = twoLinkRouter();
  if (known) t.pod.ns.sysctls = { all: {}, devices: [], localPortRange: EPHEMERAL };
  t.gw.ns.listening = {
    sockets: [
      { proto: 'tcp', family: 'inet', address: '0.0.0.0', port: 8080 },
      { proto: 'udp', family: 'inet', address: '0.0.0.0', port: 5353 },
    ],
  };
  return t;
}

/** One iptables table of the nft backend, its built-in chains accepting, with these rules. */
function iptables(name: string, rules: { chain: string; args: string[] }[]): IptablesTable {
  const chains = ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'].map((c) => ({
    name: c,
    policy: 'ACCEPT',
    packets: 0,
    bytes: 0,
  }));
  return { family: 'ipv4', backend: 'nft', name, chains, rules: rules.map((r) => ({ ...r, packets: 0, bytes: 0 })) };
}

const firewall = (f: Partial<Firewall>): Firewall => ({ nftables: [], iptables: [], ipsets: [], gaps: [], ...f });

const stop = (r: ReturnType<typeof trace>) => r.hops.find((h) => h.verdict !== 'ok');

/** `tcp|udp sport|dport <right>` then `drop`, as `nft -j` prints the rule. */
const portDrop = (proto: string, field: string, right: JsonValue): JsonValue[] => [
  { match: { op: '==', left: { payload: { protocol: proto, field } }, right } },
  { drop: null },
];

describe("a port the kernel picks from the sender's ip_local_port_range", () => {
  it('passes a rule on a port outside the range and meets the reply on the server port', () => {
    const t = router();
    t.node.ns.firewall = firewall({
      iptables: [
        iptables('filter', [{ chain: 'FORWARD', args: ['-p', 'tcp', '-m', 'tcp', '--sport', '8080', '-j', 'DROP'] }]),
      ],
    });
    const r = trace(new SnapshotIndex(t.b.snapshot()), t.pod.ref, '10.250.0.1', { proto: 'tcp', port: 8080 });
    expect(r.verdict).toBe('dropped');
    expect(stop(r)).toMatchObject({ direction: 'reply', host: 'node', component: 'netfilter', verdict: 'dropped' });
    // Without the range the request's own port could be 8080: that is all trace can say.
    const unsure = router(false);
    unsure.node.ns.firewall = t.node.ns.firewall;
    const u = trace(new SnapshotIndex(unsure.b.snapshot()), unsure.pod.ref, '10.250.0.1', { proto: 'tcp', port: 8080 });
    expect(u.verdict).toBe('unknown');
    expect(stop(u)).toMatchObject({ direction: 'request', verdict: 'unknown' });
    expect(stop(u)?.reason).toContain('the source port is chosen by the kernel');
  });

  it('tells nothing from a range no kernel keeps (low above high), as from none', () => {
    const t = router(false);
    t.pod.ns.sysctls = { all: {}, devices: [], localPortRange: { start: 60999, end: 8080 } };
    t.node.ns.firewall = firewall({
      iptables: [
        iptables('filter', [{ chain: 'FORWARD', args: ['-p', 'tcp', '-m', 'tcp', '--sport', '8080', '-j', 'DROP'] }]),
      ],
    });
    const r = trace(new SnapshotIndex(t.b.snapshot()), t.pod.ref, '10.250.0.1', { proto: 'tcp', port: 8080 });
    expect(r.verdict).toBe('unknown');
    expect(stop(r)?.reason).toContain('the source port is chosen by the kernel');
  });

  it('drops where every port of the range matches, and cannot tell where only some do', () => {
    const t = router();
    const rule = (spec: string) =>
      firewall({
        iptables: [
          iptables('filter', [{ chain: 'FORWARD', args: ['-p', 'udp', '-m', 'udp', '--sport', spec, '-j', 'DROP'] }]),
        ],
      });
    t.node.ns.firewall = rule('1024:65535');
    const all = trace(new SnapshotIndex(t.b.snapshot()), t.pod.ref, '10.250.0.1', { proto: 'udp', port: 5353 });
    expect(stop(all)).toMatchObject({ direction: 'request', verdict: 'dropped', dropReason: 'NETFILTER_DROP' });
    t.node.ns.firewall = rule('40000:50000');
    const some = trace(new SnapshotIndex(t.b.snapshot()), t.pod.ref, '10.250.0.1', { proto: 'udp', port: 5353 });
    expect(some.verdict).toBe('unknown');
    expect(stop(some)?.reason).toContain(
      'the source port is one the kernel picks from 32768-60999, of which only some match',
    );
  });

  it('carries the range to the reply, as its destination port, for nftables too', () => {
    const t = router();
    const at = (rules: JsonValue[][]) => firewall({ nftables: [hookTable('f', 'forward', 'accept', rules)] });
    const index = (rules: JsonValue[][]) => {
      t.node.ns.firewall = at(rules);
      return new SnapshotIndex(t.b.snapshot());
    };
    const tcp8080 = { proto: 'tcp', port: 8080 } as const;
    // The reply goes to a port of the range: a drop of the whole range meets it, one outside does not.
    const whole = trace(index([portDrop('tcp', 'dport', { range: [32768, 60999] })]), t.pod.ref, '10.250.0.1', tcp8080);
    expect(stop(whole)).toMatchObject({ direction: 'reply', verdict: 'dropped' });
    const outside = trace(index([portDrop('tcp', 'dport', { set: [22, 61000] })]), t.pod.ref, '10.250.0.1', tcp8080);
    expect(outside.verdict).toBe('delivered');
    // The request's own source port: a prefix covering the range drops it, a single port may or may not.
    const prefix = trace(
      index([portDrop('tcp', 'sport', { prefix: { addr: 32768, len: 1 } })]),
      t.pod.ref,
      '10.250.0.1',
      tcp8080,
    );
    expect(stop(prefix)).toMatchObject({ direction: 'request', verdict: 'dropped' });
    const one = trace(index([portDrop('th', 'sport', 40000)]), t.pod.ref, '10.250.0.1', tcp8080);
    expect(one.verdict).toBe('unknown');
    expect(stop(one)).toMatchObject({ direction: 'request', verdict: 'unknown' });
  });

  it('widens the range where a source NAT may move the port, to every unprivileged port', () => {
    const t = router();
    t.node.ns.firewall = firewall({
      iptables: [iptables('nat', [{ chain: 'POSTROUTING', args: ['-o', 'ens3', '-j', 'MASQUERADE'] }])],
    });
    t.gw.ns.firewall = firewall({
      iptables: [
        iptables('filter', [{ chain: 'INPUT', args: ['-p', 'tcp', '-m', 'tcp', '--sport', '8080', '-j', 'DROP'] }]),
      ],
    });
    const r = trace(new SnapshotIndex(t.b.snapshot()), t.pod.ref, '10.250.0.1', { proto: 'tcp', port: 8080 });
    expect(r.verdict).toBe('unknown');
    expect(stop(r)).toMatchObject({ direction: 'request', host: 'gw', verdict: 'unknown' });
    expect(stop(r)?.reason).toContain('picks from 1024-65535');
    // Un-NATed on its way back, the reply's port is the pod's range again (a snapshot's parts are
    // never changed once indexed: a fresh one).
    const back = router();
    back.node.ns.firewall = t.node.ns.firewall;
    back.pod.ns.firewall = firewall({
      iptables: [
        iptables('filter', [
          { chain: 'INPUT', args: ['-p', 'tcp', '-m', 'tcp', '--dport', '1024:32767', '-j', 'DROP'] },
        ]),
      ],
    });
    const r2 = trace(new SnapshotIndex(back.b.snapshot()), back.pod.ref, '10.250.0.1', { proto: 'tcp', port: 8080 });
    expect(r2.verdict).toBe('delivered');
    expect(r2.hops.some((h) => h.component === 'nat' && h.reason.includes('MASQUERADE'))).toBe(true);
  });

  it('tells policy rules on the source port apart the same way', () => {
    const ruled = (sport: { start: number; end: number }) => {
      const t = router();
      const rule: PolicyRule = { family: 'inet', priority: 100, invert: false, action: 'prohibit', sport };
      t.pod.ns.rules = [rule, ...DEFAULT_RULES];
      return trace(new SnapshotIndex(t.b.snapshot()), t.pod.ref, '10.250.0.1', { proto: 'tcp', port: 8080 });
    };
    expect(ruled({ start: 8080, end: 8080 }).verdict).toBe('delivered');
    const all = ruled({ start: 1024, end: 65535 });
    expect(all.verdict).toBe('dropped');
    expect(stop(all)).toMatchObject({ direction: 'request', component: 'routing' });
    const some = ruled({ start: 40000, end: 40000 });
    expect(some.verdict).toBe('unknown');
    expect(stop(some)?.reason).toContain(
      'meets a port the kernel picks from 32768-60999, of which only some are selected',
    );
  });
});
