import { describe, expect, it } from 'vitest';
import broken from '@hoplens/model/fixtures/seed-broken.snapshot.json' with { type: 'json' };
import { readSnapshot } from '@hoplens/model';
import { rawOutput } from '../testing/rawOutput.ts';
import { parseAddresses } from './parseAddresses.ts';
import { parseFdb } from './parseFdb.ts';
import { ParseError } from './parseError.ts';
import { parseLinks } from './parseLinks.ts';
import { parseNeighbors } from './parseNeighbors.ts';
import { parseNsids } from './parseNsids.ts';
import { parseRoutes } from './parseRoutes.ts';
import { parseRules } from './parseRules.ts';
import { parseTcFilters, parseTcQdiscs } from './parseTc.ts';

const snap = readSnapshot(broken);
const POD = 'hl-seed-pod';

describe('parseLinks on real ip -d -j link output', () => {
  const links = parseLinks(rawOutput(snap, POD, ['link']));

  it('reads the moved vxlan device with its socket nsid and the underlay name ip resolved in the wrong netns', () => {
    const vx = links.find((l) => l.link.name === 'vxlan1')!;
    expect(vx.link.kind).toBe('vxlan');
    expect(vx.vxlan).toMatchObject({ vni: 555000, remote: '192.168.200.2', port: 4789, learning: true, socketNsid: 0 });
    // ens3 is ifindex 2 in the worker root; in the pod netns ifindex 2 is eth0, so that is what ip prints.
    expect(vx.vxlan?.underlayName).toBe('eth0');
  });

  it('reads the veth peer by ifindex and nsid, and the CNI MAC', () => {
    const eth0 = links.find((l) => l.link.name === 'eth0')!;
    expect(eth0.link).toMatchObject({ kind: 'veth', mac: '0a:58:0a:84:02:2e', adminUp: true, carrier: true });
    expect(eth0.peer?.nsid).toBe(0);
  });

  it('reads a veth peer in the same namespace, which ip names instead of giving its ifindex', () => {
    // Output of `ip -d -j link show` for `ip link add ens3 type veth peer name ens3-peer`, trimmed.
    const text = JSON.stringify([
      {
        ifindex: 2,
        link: 'ens3',
        ifname: 'ens3-peer',
        flags: ['UP'],
        mtu: 1500,
        link_type: 'ether',
        linkinfo: { info_kind: 'veth' },
      },
      {
        ifindex: 3,
        link: 'ens3-peer',
        ifname: 'ens3',
        flags: ['UP'],
        mtu: 1500,
        link_type: 'ether',
        linkinfo: { info_kind: 'veth' },
      },
    ]);
    expect(parseLinks(text).map((l) => [l.link.name, l.peer])).toEqual([
      ['ens3-peer', { ifindex: 3 }],
      ['ens3', { ifindex: 2 }],
    ]);
  });

  it('calls the loopback device loopback', () => {
    expect(links.find((l) => l.link.name === 'lo')?.link.kind).toBe('loopback');
  });
});

describe('parsers of the other commands on real output', () => {
  it('reads the permanent neighbor entry that OVN would answer with', () => {
    expect(parseNeighbors(rawOutput(snap, 'hl-seed-worker', ['neigh'], ['proxy']))).toContainEqual({
      ip: '10.132.2.46',
      dev: 'ovn-k8s-pod',
      mac: '0a:58:0a:84:02:2e',
      state: ['PERMANENT'],
    });
  });

  it('reads addresses of both families and routes of all tables', () => {
    const addrs = parseAddresses(rawOutput(snap, POD, ['addr']));
    expect(addrs).toContainEqual({
      ifindex: 2,
      family: 'inet',
      address: '10.132.2.46',
      prefixlen: 24,
      scope: 'global',
    });
    expect(addrs.some((a) => a.family === 'inet6')).toBe(true);
    const routes = parseRoutes(rawOutput(snap, POD, ['route'], ['-6']));
    expect(routes).toContainEqual(expect.objectContaining({ table: 'main', dst: '10.132.2.0/24', dev: 'eth0' }));
    expect(routes.some((r) => r.table === 'local' && r.type === 'local')).toBe(true);
  });

  it('reads the u32 match-all mirred redirect, after the header of its hash table', () => {
    const qdiscs = parseTcQdiscs(rawOutput(snap, POD, ['qdisc']));
    expect(qdiscs.map((q) => q.dev).sort()).toEqual(['eth0', 'vxlan1']);
    const filters = parseTcFilters(rawOutput(snap, POD, ['filter', 'eth0']), 'eth0', 2, 'ingress');
    expect(filters.map((f) => f.classifier)).toEqual([
      { kind: 'u32', handle: '800:', ht: 0x800, bucket: 0, node: 0, divisor: 1, keys: [], terminal: false },
      {
        kind: 'u32',
        handle: '800::800',
        ht: 0x800,
        bucket: 0,
        node: 0x800,
        keys: [{ value: 0, mask: 0, off: 0, nexthdr: false }],
        terminal: true,
      },
    ]);
    expect(filters[1]).toMatchObject({
      ifindex: 2,
      dev: 'eth0',
      direction: 'ingress',
      kind: 'u32',
      pref: 1,
      protocol: 0x0003,
      chain: 0,
      matchesAll: true,
      actions: [{ kind: 'mirred', action: 'redirect', direction: 'egress', targetDev: 'vxlan1', control: 'stolen' }],
    });
  });

  it('maps nsids to the names of the namespaces they stand for', () => {
    expect(parseNsids(rawOutput(snap, POD, ['list-id'])).get(0)).toBe('hl-seed-worker');
  });
});

describe('malformed input', () => {
  const parsers: [string, (text: string) => unknown][] = [
    ['link', parseLinks],
    ['addr', parseAddresses],
    ['route', parseRoutes],
    ['neigh', parseNeighbors],
    ['qdisc', parseTcQdiscs],
    ['list-id', parseNsids],
  ];

  it.each(parsers)(
    '%s: every truncation of real output parses or throws a ParseError, never anything else',
    (word, parse) => {
      const text = rawOutput(snap, POD, [word]);
      for (let cut = 0; cut < text.length; cut += Math.max(1, Math.floor(text.length / 400))) {
        try {
          parse(text.slice(0, cut));
        } catch (e) {
          expect(e).toBeInstanceOf(ParseError);
        }
      }
    },
  );

  it('names the field of a value of the wrong type', () => {
    expect(() => parseLinks('[{"ifindex":"1","ifname":"lo","flags":[],"mtu":1,"link_type":"loopback"}]')).toThrow(
      /\/0\/ifindex/,
    );
    expect(() => parseNeighbors('{"dst": 1}')).toThrow(ParseError);
    expect(() => parseRoutes('[{"dst": 5}]')).toThrow(/ip -j route/);
  });

  it('treats empty output as an empty table', () => {
    expect(parseNeighbors('')).toEqual([]);
  });
});

describe('parseFdb', () => {
  it('reads bridge ports, VXLAN remotes and the state, learnt entries as dynamic', () => {
    // `bridge -j fdb show` on a CNI bridge and a VXLAN device.
    const text = JSON.stringify([
      { mac: '0A:58:0A:60:00:11', ifname: 'veth15', flags: [], master: 'cni0', state: '' },
      { mac: '00:00:00:00:00:00', ifname: 'vxlan1', dst: '192.168.200.2', flags: ['self'], state: 'permanent' },
      { mac: 'ae:2a:08:19:d8:65', ifname: 'veth0', vlan: 1, flags: ['master'], master: 'cni0', state: 'permanent' },
    ]);
    expect(parseFdb(text)).toEqual([
      { mac: '0a:58:0a:60:00:11', dev: 'veth15', master: 'cni0', flags: [], state: 'dynamic' },
      { mac: '00:00:00:00:00:00', dev: 'vxlan1', dst: '192.168.200.2', flags: ['self'], state: 'permanent' },
      { mac: 'ae:2a:08:19:d8:65', dev: 'veth0', master: 'cni0', vlan: 1, flags: ['master'], state: 'permanent' },
    ]);
    expect(() => parseFdb('[{"mac": 1}]')).toThrow(ParseError);
  });
});

describe('parseRules', () => {
  it('reads selectors, inversion, actions and goto as ip -j rule prints them', () => {
    // `ip -j rule show` on iproute2 6.1 after adding one rule of each kind.
    const text =
      '[{"priority":0,"src":"all","table":"local"},{"priority":100,"src":"10.244.1.0","srclen":24,"table":"100"},' +
      '{"priority":101,"src":"all","dst":"10.9.0.0","dstlen":16,"iif":"eth0","iif_detached":null,"action":"blackhole"},' +
      '{"priority":102,"not":null,"src":"all","fwmark":"0x1","fwmask":"0xff","table":"200"},' +
      '{"priority":103,"src":"all","table":"main","suppress_prefixlen":0},' +
      '{"priority":104,"src":"10.1.0.0","srclen":16,"action":"unreachable"},' +
      '{"priority":105,"src":"10.2.0.0","srclen":16,"goto":32766},{"priority":106,"src":"10.3.0.7","table":"main"}]';
    expect(parseRules(text, 'inet')).toEqual([
      { family: 'inet', priority: 0, invert: false, action: 'lookup', table: 'local' },
      { family: 'inet', priority: 100, src: '10.244.1.0/24', invert: false, action: 'lookup', table: '100' },
      { family: 'inet', priority: 101, dst: '10.9.0.0/16', iif: 'eth0', invert: false, action: 'blackhole' },
      { family: 'inet', priority: 102, fwmark: '0x1/0xff', invert: true, action: 'lookup', table: '200' },
      { family: 'inet', priority: 103, invert: false, action: 'lookup', table: 'main', suppressPrefixlen: 0 },
      { family: 'inet', priority: 104, src: '10.1.0.0/16', invert: false, action: 'unreachable' },
      { family: 'inet', priority: 105, src: '10.2.0.0/16', invert: false, action: 'goto', goto: 32766 },
      { family: 'inet', priority: 106, src: '10.3.0.7/32', invert: false, action: 'lookup', table: 'main' },
    ]);
  });

  it('refuses an action it does not know rather than guessing', () => {
    expect(() => parseRules('[{"priority":1,"action":"teleport"}]', 'inet')).toThrow(/unknown action/);
    expect(() => parseRules('[{"priority":"x"}]', 'inet')).toThrow(ParseError);
  });
});

describe('parseLinks on kinds this kernel cannot make', () => {
  // `ip -d -j link show` as iproute2 6.1 prints these kinds (print_linkinfo of each link type).
  const link = (ifindex: number, ifname: string, linkinfo: object, extra: object = {}) => ({
    ifindex,
    ifname,
    flags: ['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP'],
    mtu: 1500,
    operstate: 'UP',
    link_type: 'ether',
    address: '02:00:00:00:00:0' + ifindex,
    linkinfo,
    ...extra,
  });
  const text = JSON.stringify([
    link(2, 'eth0', {}),
    link(
      3,
      'eth0.10',
      { info_kind: 'vlan', info_data: { protocol: '802.1ad', id: 10, flags: ['REORDER_HDR'] } },
      { link: 'eth0' },
    ),
    link(4, 'ipv0', { info_kind: 'ipvlan', info_data: { mode: 'l3' } }, { link_index: 7, link_netnsid: 0 }),
    link(5, 'bond0', { info_kind: 'bond', info_data: { mode: '802.3ad', miimon: 100 } }),
    link(6, 'gnv0', { info_kind: 'geneve', info_data: { id: 77, remote: '198.51.100.9', ttl: 0, port: 6081 } }),
    link(8, 'dum0', { info_kind: 'dummy' }),
  ]);
  const parsed = parseLinks(text);
  const byName = (name: string) => parsed.find((p) => p.link.name === name)!;

  it('keeps each kind’s data and the lower device, in this namespace or another', () => {
    expect(byName('eth0.10').link.kindData).toEqual({ kind: 'vlan', id: 10, protocol: '802.1ad' });
    expect(byName('eth0.10').parent).toEqual({ ifindex: 2 });
    expect(byName('ipv0').link.kindData).toEqual({ kind: 'ipvlan', mode: 'l3', flags: 'bridge' });
    expect(byName('ipv0').parent).toEqual({ ifindex: 7, nsid: 0 });
    expect(byName('bond0').link.kindData).toEqual({ kind: 'bond', mode: '802.3ad' });
    expect(byName('gnv0').link.kindData).toEqual({ kind: 'geneve', vni: 77, remote: '198.51.100.9', port: 6081 });
    expect(byName('dum0').link).toMatchObject({ kind: 'dummy' });
    expect(byName('dum0').link.kindData).toBeUndefined();
  });
});
