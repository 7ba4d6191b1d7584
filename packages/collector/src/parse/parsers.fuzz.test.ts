import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import bridged from '@hoplens/model/fixtures/bridged-ok.snapshot.json' with { type: 'json' };
import seed from '@hoplens/model/fixtures/seed-broken.snapshot.json' with { type: 'json' };
import { parseIp, parsePrefix, readSnapshot } from '@hoplens/model';
import { rawOutput } from '../testing/rawOutput.ts';
import { ParseError } from './parseError.ts';
import { parseAddresses } from './parseAddresses.ts';
import { parseFdb } from './parseFdb.ts';
import { parseLinks } from './parseLinks.ts';
import { parseNeighbors } from './parseNeighbors.ts';
import { parseNsids } from './parseNsids.ts';
import { parseRoutes } from './parseRoutes.ts';
import { parseRules } from './parseRules.ts';
import { parseSysctls } from './parseSysctls.ts';
import { parseTcFilters, parseTcQdiscs } from './parseTc.ts';
import cbpf from '@hoplens/model/fixtures/filters-node-filters-cbpf-drop.snapshot.json' with { type: 'json' };
import u32hash from '@hoplens/model/fixtures/filters-node-filters-u32-hash-drop.snapshot.json' with { type: 'json' };
import iptablesOk from '@hoplens/model/fixtures/filters-peer-pod-filters-iptables-ok.snapshot.json' with { type: 'json' };
import nftOk from '@hoplens/model/fixtures/filters-peer-pod-filters-nft-tunnel-ok.snapshot.json' with { type: 'json' };
import { parseIpsetSave } from '../netfilter/parseIpsetSave.ts';
import { parseIptablesSave } from '../netfilter/parseIptablesSave.ts';
import { parseNftRuleset } from '../netfilter/parseNftRuleset.ts';

const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2})+$/;
const isIp = (s: string): boolean => parseIp(s) !== undefined;
const isDst = (s: string): boolean => s === 'default' || parsePrefix(s, s.includes(':') ? 6 : 4) !== undefined;

/** What a parse must never let through: values of the right type but the wrong form. */
function wellFormed(word: string, out: unknown): void {
  const rows = (Array.isArray(out) ? out : out instanceof Map ? [...out.values()] : [out]) as Record<string, unknown>[];
  for (const r of rows) {
    if (r === undefined || r === null || typeof r !== 'object') continue;
    const link = (r as { link?: Record<string, unknown> }).link ?? r;
    for (const [k, v] of Object.entries(link)) {
      if ((k === 'mac' || k === 'lladdr') && typeof v === 'string') expect(v, `${word} ${k}`).toMatch(MAC);
      if (['address', 'gateway', 'prefsrc', 'ip', 'remote', 'local', 'dst'].includes(k) && typeof v === 'string') {
        const ok = k === 'dst' && word !== 'fdb' ? isDst(v) : isIp(v);
        expect(ok, `${word} ${k}=${JSON.stringify(v)}`).toBe(true);
      }
      if (['ifindex', 'mtu', 'prefixlen', 'priority', 'pref'].includes(k))
        expect(Number.isInteger(v), `${word} ${k}`).toBe(true);
    }
  }
}

const snaps = [readSnapshot(seed), readSnapshot(bridged)];
const filters = {
  cbpf: readSnapshot(cbpf),
  u32hash: readSnapshot(u32hash),
  iptablesOk: readSnapshot(iptablesOk),
  nftOk: readSnapshot(nftOk),
};
/** Real output per command, from the recorded lab: a namespace rich in each kind of entry. */
const cases: [string, string, (text: string) => unknown][] = [
  ['link', rawOutput(snaps[1]!, 'hl-brdg-na', ['link']), parseLinks],
  ['vxlan link', rawOutput(snaps[0]!, 'hl-seed-pod', ['link']), parseLinks],
  ['addr', rawOutput(snaps[1]!, 'hl-brdg-na', ['addr']), parseAddresses],
  ['route', rawOutput(snaps[1]!, 'hl-brdg-na', ['route', '-4']), (t) => parseRoutes(t, 'inet')],
  ['route6', rawOutput(snaps[1]!, 'hl-brdg-na', ['route', '-6']), (t) => parseRoutes(t, 'inet6')],
  ['rule', rawOutput(snaps[1]!, 'hl-brdg-na', ['rule', '-4']), (t) => parseRules(t, 'inet')],
  ['neigh', rawOutput(snaps[1]!, 'hl-brdg-na', ['neigh'], ['proxy']), parseNeighbors],
  ['fdb', rawOutput(snaps[1]!, 'hl-brdg-na', ['fdb']), parseFdb],
  ['qdisc', rawOutput(snaps[0]!, 'hl-seed-pod', ['qdisc']), parseTcQdiscs],
  ['filter', rawOutput(snaps[0]!, 'hl-seed-pod', ['filter', 'eth0']), (t) => parseTcFilters(t, 'eth0', 2, 'ingress')],
  ['sysctls', readFileSync(new URL('../../fixtures/sysctls-grep.txt', import.meta.url), 'utf8'), parseSysctls],
  ['list-id', rawOutput(snaps[1]!, 'hl-brdg-na', ['list-id']), parseNsids],
  [
    'u32 hash',
    rawOutput(filters.u32hash, 'hl-fltr-na', ['filter', 'veth3', 'egress']),
    (t) => parseTcFilters(t, 'veth3', 7, 'egress'),
  ],
  [
    'cbpf',
    rawOutput(filters.cbpf, 'hl-fltr-na', ['filter', 'veth3', 'egress']),
    (t) => parseTcFilters(t, 'veth3', 7, 'egress'),
  ],
  [
    'iptables-save',
    rawOutput(filters.iptablesOk, 'hl-fltr-podns', ['iptables-nft-save']),
    (t) => parseIptablesSave(t, 'ipv4', 'nft'),
  ],
  ['nft -j', rawOutput(filters.nftOk, 'hl-fltr-vm', ['nft', 'hostfw']), (t) => parseNftRuleset(t)],
  ['ipset', rawOutput(filters.iptablesOk, 'hl-fltr-podns', ['ipset']), parseIpsetSave],
];

/**
 * Real output, corrupted: bytes replaced, dropped and duplicated (seeded, so a failure repeats).
 * Every result is a ParseError naming the command, or well-formed data: never a crash (a TypeError
 * from deep inside) and never junk that looks like data.
 */
describe('parsers under corrupted real output', () => {
  it.each(cases)('%s', (word, text, parse) => {
    expect(text.length).toBeGreaterThan(10);
    let seedValue = [...word].reduce((a, c) => a * 31 + c.charCodeAt(0), 7) >>> 0;
    const rand = (n: number): number => {
      seedValue = (seedValue * 1103515245 + 12345) >>> 0;
      return seedValue % n;
    };
    const alphabet = '{}[]":,0123456789abcdef.:/-x \\n';
    let parsed = 0;
    for (let round = 0; round < 400; round++) {
      const chars = [...text];
      for (let k = 0, n = 1 + rand(4); k < n; k++) {
        const at = rand(chars.length);
        const op = rand(3);
        if (op === 0) chars[at] = alphabet[rand(alphabet.length)]!;
        else if (op === 1) chars.splice(at, 1);
        else chars.splice(at, 0, chars[rand(chars.length)]!);
      }
      let out: unknown;
      try {
        out = parse(chars.join(''));
      } catch (e) {
        expect(e, String(e)).toBeInstanceOf(ParseError);
        expect((e as Error).message.length).toBeGreaterThan(10);
        continue;
      }
      parsed++;
      wellFormed(word, out);
    }
    // Not vacuous: some corruptions leave valid JSON behind (a digit for a digit, say).
    expect(parsed).toBeGreaterThan(0);
  });
});
