import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeOvsdb, ovsdbSelects } from './readOvsdb.ts';

const fixture = (name: string): string => readFileSync(new URL(`../../fixtures/ovs/${name}`, import.meta.url), 'utf8');
const reply = (): unknown[] => JSON.parse(fixture('ovsdb-reply.json')) as unknown[];

describe('reading OVSDB', () => {
  it('asks exactly the read-only selects the recorded reply answered', () => {
    expect(ovsdbSelects()).toEqual(JSON.parse(fixture('ovsdb-selects.json')));
    expect(
      ovsdbSelects()
        .slice(1)
        .every((op) => (op as { op: string }).op === 'select'),
    ).toBe(true);
  });

  it('decodes the lab switch: bridge, ports and interfaces with OpenFlow port, MAC and the CNI’s external ids', () => {
    const { bridges, problems } = decodeOvsdb(reply());
    expect(problems).toEqual([]);
    expect(bridges.map((b) => [b.name, b.datapathType, b.failMode])).toEqual([['br-int', 'netdev', 'secure']]);
    const ifaces = bridges[0]!.ports.flatMap((p) => p.interfaces);
    expect(ifaces.map((i) => [i.name, i.type, i.ofport])).toEqual([
      ['br-int', 'internal', 65534],
      ['ovn-k8s-mp0', 'internal', 1],
      ['veth-a', '', 2],
      ['veth-seed', '', 3],
    ]);
    expect(ifaces[2]).toMatchObject({
      mac: expect.stringMatching(/^[0-9a-f:]{17}$/),
      externalIds: {
        'iface-id': 'default_a',
        attached_mac: '0a:58:0a:84:02:0a',
        ip_addresses: '10.132.2.10/24',
        'ovn-installed': 'true',
      },
    });
  });

  it('keeps names with quotes and newlines as text', () => {
    const text = fixture('ovsdb-reply.json').replaceAll('"veth-a"', JSON.stringify('veth"a\n$(reboot)'));
    const ifaces = decodeOvsdb(JSON.parse(text)).bridges[0]!.ports.flatMap((p) => p.interfaces);
    expect(ifaces.map((i) => i.name)).toContain('veth"a\n$(reboot)');
  });

  it('leaves out a row it cannot decode, naming it, and keeps the rest', () => {
    const r = reply() as { rows: Record<string, unknown>[] }[];
    const veth = r[3]!.rows.find((row) => row.name === 'veth-a')!;
    veth.external_ids = ['map', [['iface-id', 7]]];
    const { bridges, problems } = decodeOvsdb(r);
    expect(problems).toEqual([expect.stringMatching(/^Interface "veth-a": a map entry that is not two strings/)]);
    expect(bridges[0]!.ports.flatMap((p) => p.interfaces).map((i) => i.name)).toEqual([
      'br-int',
      'ovn-k8s-mp0',
      'veth-seed',
    ]);
  });

  it('counts a row that is not an object as one it could not read', () => {
    const r = reply() as { rows: unknown[] }[];
    r[2]!.rows.push(7, null);
    const { bridges, problems } = decodeOvsdb(r);
    expect(problems).toEqual(['Port: a row that is not an object', 'Port: a row that is not an object']);
    expect(bridges.map((b) => b.name)).toEqual(['br-int']);
  });

  it('does not let a key named __proto__ change the record', () => {
    const r = reply() as { rows: Record<string, unknown>[] }[];
    r[3]!.rows[0]!.external_ids = [
      'map',
      [
        ['__proto__', 'x'],
        ['k', 'v'],
      ],
    ];
    const iface = decodeOvsdb(r)
      .bridges[0]!.ports.flatMap((p) => p.interfaces)
      .find((i) => i.externalIds.k === 'v');
    expect(Object.getPrototypeOf(iface!.externalIds)).toBe(Object.prototype);
  });

  it.each([
    ['not an array', { rows: [] }],
    ['too few results', [{ rows: [] }]],
    ['an error for a table', [{ rows: [] }, { error: 'permission denied' }, { rows: [] }, { rows: [] }]],
    ['rows that are not a list', [{ rows: [] }, { rows: 'x' }, { rows: [] }, { rows: [] }]],
  ])('refuses an answer that is %s', (_what, answer) => {
    expect(() => decodeOvsdb(answer)).toThrow(/OVSDB/);
  });
});
