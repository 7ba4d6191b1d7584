import { describe, expect, it } from 'vitest';
import type { Link } from '../schema/inventory.ts';
import type { Snapshot } from '../schema/snapshot.ts';
import { SnapshotIndex } from './snapshotIndex.ts';

const link = (ifindex: number, name: string): Link => ({
  ifindex,
  name,
  kind: 'device',
  mac: '02:00:00:00:00:01',
  mtu: 1500,
  adminUp: true,
  carrier: true,
  operstate: 'UP',
  promiscuous: false,
});

const snapshotWith = (links: Link[]): Snapshot =>
  ({
    hosts: [
      {
        name: 'h',
        namespaces: [
          {
            name: 'small',
            root: false,
            links: [link(1, 'a')],
            addresses: [],
            routes: [],
            neighbors: [],
            tcFilters: [],
          },
          { name: null, root: true, links, addresses: [], routes: [], neighbors: [], tcFilters: [] },
        ],
      },
    ],
    pods: [],
  }) as unknown as Snapshot;

describe("a namespace's devices by ifindex and by name", () => {
  for (const size of [3, 20]) {
    it(`answer as a Map filled in order would, a repeated key with its last device (${size} devices)`, () => {
      const links = Array.from({ length: size }, (_, i) => link(i + 1, `d${i + 1}`));
      links.push(link(2, 'again'), link(99, 'd1'));
      const ns = new SnapshotIndex(snapshotWith(links)).netns({ host: 'h', netns: null })!;
      const byIndex = new Map(links.map((l) => [l.ifindex, l.name]));
      const byName = new Map(links.map((l) => [l.name, l.ifindex]));
      expect([...ns.linksByIndex.values()].map((le) => le.link.name)).toEqual([...byIndex.values()]);
      expect([...ns.linksByName.keys()]).toEqual([...byName.keys()]);
      expect(ns.linksByIndex.size).toBe(byIndex.size);
      expect(ns.linksByIndex.get(2)?.link.name).toBe('again');
      expect(ns.linksByName.get('d1')?.link.ifindex).toBe(99);
      expect(ns.linksByName.has('a')).toBe(false);
      expect(ns.linksByIndex.get(1000)).toBeUndefined();
    });
  }

  it("never answer with another namespace's device", () => {
    const index = new SnapshotIndex(snapshotWith([link(1, 'b')]));
    expect(index.netns({ host: 'h', netns: 'small' })!.linksByName.get('b')).toBeUndefined();
    expect(index.netns({ host: 'h', netns: null })!.linksByName.get('a')).toBeUndefined();
    expect(index.link({ host: 'h', netns: null, ifindex: 1 })?.link.name).toBe('b');
  });
});
