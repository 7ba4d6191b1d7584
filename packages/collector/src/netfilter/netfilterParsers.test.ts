import { describe, expect, it } from 'vitest';
import iptablesOk from '@hoplens/model/fixtures/filters-peer-pod-filters-iptables-ok.snapshot.json' with { type: 'json' };
import legacy from '@hoplens/model/fixtures/filters-peer-pod-filters-legacy-tunnel-drop.snapshot.json' with { type: 'json' };
import nftOk from '@hoplens/model/fixtures/filters-peer-pod-filters-nft-tunnel-ok.snapshot.json' with { type: 'json' };
import notrack from '@hoplens/model/fixtures/filters-peer-pod-filters-notrack.snapshot.json' with { type: 'json' };
import { readSnapshot } from '@hoplens/model';
import { ParseError } from '../parse/parseError.ts';
import { rawOutput } from '../testing/rawOutput.ts';
import { parseIpsetSave } from './parseIpsetSave.ts';
import { parseIptablesSave } from './parseIptablesSave.ts';
import { parseNftRuleset } from './parseNftRuleset.ts';
import { parseNftTableList } from './parseNftTableList.ts';
import { parseLegacyTables } from './presence.ts';

const P = 'hl-fltr-';

describe('parseIptablesSave on real iptables-save -c output', () => {
  it('reads the raw table of cloud-api-adaptor NOTRACK rules written by iptables-nft', () => {
    const text = rawOutput(readSnapshot(notrack), `${P}worker`, ['iptables-nft-save']);
    const { tables, incompatible } = parseIptablesSave(text, 'ipv4', 'nft');
    expect(incompatible).toEqual([]);
    const raw = tables.find((t) => t.name === 'raw')!;
    expect(raw.chains.map((c) => [c.name, c.policy])).toEqual([
      ['PREROUTING', 'ACCEPT'],
      ['OUTPUT', 'ACCEPT'],
      ['peerpod-OUTPUT', '-'],
      ['peerpod-PREROUTING', '-'],
    ]);
    const notrackRule = raw.rules.find((r) => r.chain === 'peerpod-OUTPUT')!;
    expect(notrackRule.args).toEqual([
      '-d',
      '192.168.200.2/32',
      '-p',
      'udp',
      '-m',
      'comment',
      '--comment',
      'peerpod [vni:555000]',
      '-m',
      'udp',
      '--dport',
      '4789',
      '-j',
      'NOTRACK',
    ]);
  });

  it('reads a default-deny INPUT chain with its policy and counters', () => {
    const text = rawOutput(readSnapshot(iptablesOk), `${P}podns`, ['iptables-nft-save']);
    const filter = parseIptablesSave(text, 'ipv4', 'nft').tables.find((t) => t.name === 'filter')!;
    expect(filter.chains.find((c) => c.name === 'INPUT')?.policy).toBe('DROP');
    const accept = filter.rules.find((r) => r.args.includes('echo-request') || r.args.includes('8'))!;
    expect(accept.packets).toBeGreaterThan(0);
  });

  it('reads the legacy backend', () => {
    const text = rawOutput(readSnapshot(legacy), `${P}worker`, ['iptables-legacy-save']);
    const [filter] = parseIptablesSave(text, 'ipv4', 'legacy').tables;
    expect(filter?.rules).toEqual([
      {
        chain: 'INPUT',
        args: ['-p', 'udp', '-m', 'udp', '--dport', '4789', '-j', 'DROP'],
        packets: expect.any(Number),
        bytes: expect.any(Number),
      },
    ]);
  });

  it('keeps a hostile comment as one word, newlines and all: it never poses as a rule', () => {
    const text = [
      '*filter',
      ':INPUT ACCEPT [0:0]',
      '[3:252] -A INPUT -m comment --comment "a \\"quoted\\" $(rm -rf /) \\\\ and',
      '-A INPUT -j ACCEPT" -j DROP',
      'COMMIT',
      '',
    ].join('\n');
    const [t] = parseIptablesSave(text, 'ipv4', 'nft').tables;
    expect(t?.rules).toHaveLength(1);
    expect(t?.rules[0]?.args).toEqual([
      '-m',
      'comment',
      '--comment',
      'a "quoted" $(rm -rf /) \\ and\n-A INPUT -j ACCEPT',
      '-j',
      'DROP',
    ]);
  });

  it('names the tables iptables-nft cannot show', () => {
    const text = "# Table `filter' is incompatible, use 'nft' tool.\n";
    expect(parseIptablesSave(text, 'ipv4', 'nft').incompatible).toEqual(['filter']);
  });

  it('refuses what is not iptables-save output', () => {
    expect(() => parseIptablesSave('-A INPUT -j DROP\n', 'ipv4', 'nft')).toThrow(ParseError);
    expect(() => parseIptablesSave('*filter\n:INPUT\n', 'ipv4', 'nft')).toThrow(ParseError);
    expect(() => parseIptablesSave('*filter\n[1:2] -A INPUT -m comment --comment "open\n', 'ipv4', 'nft')).toThrow(
      ParseError,
    );
  });
});

describe('parseNftRuleset on real nft -j output', () => {
  it('reads a native table: base chain with hook, priority and policy, rules with handles and expressions', () => {
    const text = rawOutput(readSnapshot(nftOk), `${P}vm`, ['nft', 'hostfw']);
    const [t] = parseNftRuleset(text);
    expect(t).toMatchObject({ family: 'inet', name: 'hostfw' });
    expect(t?.chains).toEqual([{ name: 'input', handle: 1, type: 'filter', hook: 'input', prio: 0, policy: 'drop' }]);
    expect(t?.rules.map((r) => r.handle)).toEqual([2, 3, 4]);
    expect(t?.rules[0]?.expr).toEqual([
      { match: { op: 'in', left: { ct: { key: 'state' } }, right: ['established', 'related'] } },
      { accept: null },
    ]);
  });

  it('leaves out the tables it is told to skip (those iptables-nft made)', () => {
    const text = JSON.stringify({
      nftables: [
        { table: { family: 'ip', name: 'filter', handle: 1 } },
        { chain: { family: 'ip', table: 'filter', name: 'INPUT', handle: 1 } },
        { table: { family: 'inet', name: 'fw', handle: 2 } },
        {
          rule: {
            family: 'inet',
            table: 'fw',
            chain: 'c',
            handle: 3,
            comment: 'x',
            expr: [{ counter: { packets: 5, bytes: 420 } }, { drop: null }],
          },
        },
        { set: { family: 'inet', table: 'fw', name: 's', type: 'ipv4_addr', handle: 4, elem: ['10.0.0.1'] } },
      ],
    });
    const tables = parseNftRuleset(text, (family, name) => family === 'ip' && name === 'filter');
    expect(tables.map((t) => t.name)).toEqual(['fw']);
    expect(tables[0]?.rules[0]).toMatchObject({ handle: 3, comment: 'x', packets: 5, bytes: 420 });
    expect(tables[0]?.sets[0]).toMatchObject({ name: 's', type: 'ipv4_addr', elem: ['10.0.0.1'] });
  });

  it('refuses expressions nested deeper than nft writes them, and what is not nft JSON', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100; i++) deep = [deep];
    const text = JSON.stringify({
      nftables: [
        { table: { family: 'ip', name: 't', handle: 1 } },
        { rule: { family: 'ip', table: 't', chain: 'c', handle: 2, expr: [deep] } },
      ],
    });
    expect(() => parseNftRuleset(text)).toThrow(ParseError);
    expect(() => parseNftRuleset('{"x": 1}')).toThrow(ParseError);
    expect(() => parseNftRuleset('not json')).toThrow(ParseError);
  });
});

describe('ipsets and what a namespace has', () => {
  it('reads ipset save output', () => {
    const text = rawOutput(readSnapshot(iptablesOk), `${P}podns`, ['ipset']);
    expect(parseIpsetSave(text)).toEqual([
      { name: 'hl-blocked', type: 'hash:net', family: 'inet', members: ['10.99.0.0/16'] },
    ]);
    expect(() => parseIpsetSave('add nosuch 10.0.0.1\n')).toThrow(ParseError);
  });

  it('reads the nftables tables of nft -j list tables, and legacy tables from /proc/net', () => {
    const text = rawOutput(readSnapshot(nftOk), `${P}vm`, ['list', 'tables']);
    expect(parseNftTableList(text)).toEqual([{ family: 'inet', name: 'hostfw' }]);
    expect(
      parseLegacyTables(
        '/proc/sys/net/ipv4/ip_forward:1\n/proc/net/ip_tables_names:filter\n/proc/net/ip6_tables_names:raw\n',
      ),
    ).toEqual({ ipv4: ['filter'], ipv6: ['raw'], arp: [] });
  });
});
