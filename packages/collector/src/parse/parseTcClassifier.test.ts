import { describe, expect, it } from 'vitest';
import cbpf from '@hoplens/model/fixtures/filters-node-filters-cbpf-drop.snapshot.json' with { type: 'json' };
import ebpf from '@hoplens/model/fixtures/filters-node-filters-ebpf.snapshot.json' with { type: 'json' };
import u32hash from '@hoplens/model/fixtures/filters-node-filters-u32-hash-drop.snapshot.json' with { type: 'json' };
import { readSnapshot } from '@hoplens/model';
import { rawOutput } from '../testing/rawOutput.ts';
import { ParseError } from './parseError.ts';
import { parseJsonKeepingDuplicates } from './jsonDuplicates.ts';
import { parseTcFilters } from './parseTc.ts';

const NA = 'hl-fltr-na';
const veth3Egress = (snap: unknown): string => rawOutput(readSnapshot(snap), NA, ['filter', 'veth3', 'egress']);

describe('tc classifiers from real tc -j filter output', () => {
  it('reads a u32 hash table: its header, the linking node with its hash key, and the node in bucket 3', () => {
    const filters = parseTcFilters(veth3Egress(u32hash), 'veth3', 7, 'egress');
    const nodes = filters.map((f) => f.classifier);
    expect(nodes).toContainEqual(expect.objectContaining({ kind: 'u32', handle: '1:', ht: 1, divisor: 256 }));
    expect(nodes).toContainEqual(
      expect.objectContaining({
        kind: 'u32',
        ht: 0x800,
        link: 1,
        hashMask: 0xff,
        hashOff: 16,
        terminal: false,
        keys: [{ value: 0x0af40100, mask: 0xffffff00, off: 16, nexthdr: false }],
      }),
    );
    const leaf = filters.find((f) => f.classifier?.kind === 'u32' && f.classifier.bucket === 3)!;
    expect(leaf.classifier).toMatchObject({
      ht: 1,
      node: 0x800,
      terminal: true,
      keys: [{ value: 0x0af40103, mask: 0xffffffff, off: 16 }],
    });
    expect(leaf.protocol).toBe(0x0800);
    expect(leaf.actions).toEqual([
      { kind: 'mirred', action: 'redirect', direction: 'egress', targetDev: 'hl-sink', control: 'stolen' },
    ]);
    expect(leaf.matchesAll).toBe(false);
  });

  it('reads classic BPF bytecode instruction by instruction', () => {
    const [f] = parseTcFilters(veth3Egress(cbpf), 'veth3', 7, 'egress');
    expect(f?.protocol).toBe(0x0003);
    expect(f?.classifier).toEqual({
      kind: 'bpf',
      directAction: false,
      ops: [
        { code: 40, jt: 0, jf: 0, k: 12 },
        { code: 21, jt: 0, jf: 3, k: 2048 },
        { code: 32, jt: 0, jf: 0, k: 30 },
        { code: 21, jt: 0, jf: 1, k: 183763203 },
        { code: 6, jt: 0, jf: 0, k: 4294967295 },
        { code: 6, jt: 0, jf: 0, k: 0 },
      ],
    });
  });

  it('reads an eBPF program by id, name and tag, in direct-action mode without actions', () => {
    const [f] = parseTcFilters(veth3Egress(ebpf), 'veth3', 7, 'egress');
    expect(f?.classifier).toMatchObject({ kind: 'bpf', directAction: true, name: 'pass.o:[classifier]' });
    const c = f?.classifier as { progId?: number; tag?: string };
    expect(c.progId).toBeGreaterThan(0);
    expect(c.tag).toMatch(/^[0-9a-f]{16}$/);
    expect(f?.actions).toEqual([]);
  });

  it('reads flower keys as f_flower.c prints them, and lists the keys it does not evaluate', () => {
    const text = JSON.stringify([
      { protocol: 'ip', pref: 1, kind: 'flower', chain: 0 },
      {
        protocol: 'ip',
        pref: 1,
        kind: 'flower',
        chain: 0,
        options: {
          handle: 1,
          keys: { eth_type: 'ipv4', ip_proto: 'udp', dst_ip: '10.0.0.0/24', dst_port: 4789, vlan_id: 5 },
          not_in_hw: true,
          actions: [
            {
              order: 1,
              kind: 'gact',
              control_action: { type: 'drop' },
              prob: { random_type: 'none', control_action: { type: 'pass' }, val: 0 },
            },
          ],
        },
      },
    ]);
    const [f] = parseTcFilters(text, 'eth0', 2, 'ingress');
    expect(f?.classifier).toEqual({
      kind: 'flower',
      ethType: 0x0800,
      ipProto: 17,
      dstIp: { value: '10.0.0.0', mask: '255.255.255.0' },
      dstPort: { value: 4789, mask: 0xffff },
      unsupported: ['vlan_id'],
    });
    expect(f?.actions).toEqual([{ kind: 'gact', control: 'drop' }]);
  });

  it('refuses a malformed u32 key or handle', () => {
    const bad = (options: object): string => JSON.stringify([{ kind: 'u32', pref: 1, protocol: 'ip', options }]);
    expect(() =>
      parseTcFilters(bad({ fh: 'zz::', match: { value: '1', mask: '1', off: 0 } }), 'e', 1, 'ingress'),
    ).toThrow(ParseError);
    expect(() =>
      parseTcFilters(bad({ fh: '800::800', match: { value: 'x', mask: '1', off: 0 } }), 'e', 1, 'ingress'),
    ).toThrow(ParseError);
  });
});

describe('parseJsonKeepingDuplicates', () => {
  it('keeps every value of a repeated key, in order', () => {
    expect(parseJsonKeepingDuplicates('{"match":{"a":1},"match":{"a":2},"match":{"a":3}}')).toEqual({
      match: { a: 1 },
      'match#2': { a: 2 },
      'match#3': { a: 3 },
    });
  });

  it('keeps a key named __proto__ as data', () => {
    const v = parseJsonKeepingDuplicates('{"__proto__":{"polluted":true}}') as Record<string, unknown>;
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(v)).toEqual(['__proto__']);
  });

  it('refuses broken or too deeply nested text', () => {
    expect(() => parseJsonKeepingDuplicates('{"a":')).toThrow(SyntaxError);
    expect(() => parseJsonKeepingDuplicates('['.repeat(100) + ']'.repeat(100))).toThrow(SyntaxError);
    expect(() => parseJsonKeepingDuplicates('[1] x')).toThrow(SyntaxError);
  });
});
