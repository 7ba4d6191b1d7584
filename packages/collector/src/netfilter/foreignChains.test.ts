import { describe, expect, it } from 'vitest';
import type { IptablesTable, NftTable } from '@hoplens/model';
import { foreignChains } from './foreignChains.ts';
import { parseIptablesSave } from './parseIptablesSave.ts';

const chain = (name: string, hook?: string): NftTable['chains'][number] =>
  hook ? { name, handle: 1, type: 'filter', hook, prio: 10, policy: 'accept' } : { name, handle: 1 };
const rule = (c: string, expr: NftTable['rules'][number]['expr']): NftTable['rules'][number] => ({
  chain: c,
  handle: 2,
  expr,
});

const iptablesFilter = (...chains: string[]): IptablesTable => ({
  family: 'ipv4',
  backend: 'nft',
  name: 'filter',
  chains: chains.map((name) => ({ name, policy: name === name.toUpperCase() ? 'ACCEPT' : '-', packets: 0, bytes: 0 })),
  rules: [],
});

describe('base chains nft adds to an iptables-nft table', () => {
  it('names the tables iptables-nft-save printed without them', () => {
    const text =
      "# Table `filter' contains incompatible base-chains, use 'nft' tool to list them.\n" +
      '*filter\n:INPUT ACCEPT [0:0]\n[0:0] -A INPUT -p tcp -m tcp --dport 22 -j ACCEPT\nCOMMIT\n';
    const save = parseIptablesSave(text, 'ipv4', 'nft');
    expect(save.foreignChains).toEqual(['filter']);
    expect(save.incompatible).toEqual([]);
    expect(save.tables[0]?.rules).toHaveLength(1);
  });

  it('keeps the chains iptables did not print and every chain they jump or go to, nothing else', () => {
    const printed = iptablesFilter('INPUT', 'KUBE-FW');
    const table: NftTable = {
      family: 'ip',
      name: 'filter',
      handle: 1,
      chains: [chain('INPUT', 'input'), chain('KUBE-FW'), chain('extra', 'input'), chain('mine'), chain('unused')],
      rules: [
        rule('INPUT', [{ xt: { type: 'match', name: 'tcp' } }]),
        rule('extra', [
          { vmap: { key: { meta: { key: 'l4proto' } }, data: { set: [['udp', { jump: { target: 'mine' } }]] } } },
        ]),
        rule('mine', [{ goto: { target: 'KUBE-FW' } }]),
        rule('unused', [{ drop: null }]),
      ],
      sets: [],
    };
    const kept = foreignChains(table, printed);
    expect(kept?.chains.map((c) => c.name)).toEqual(['KUBE-FW', 'extra', 'mine', 'unused']);
    expect(kept?.rules.map((r) => r.chain)).toEqual(['extra', 'mine', 'unused']);
  });

  it('keeps nothing when iptables printed every chain', () => {
    const printed = iptablesFilter('INPUT');
    const table: NftTable = {
      family: 'ip',
      name: 'filter',
      handle: 1,
      chains: [chain('INPUT', 'input')],
      rules: [],
      sets: [],
    };
    expect(foreignChains(table, printed)).toBeUndefined();
  });
});
