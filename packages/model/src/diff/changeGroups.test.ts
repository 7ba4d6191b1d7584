import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../schema/snapshot.ts';
import { analyze } from '../snapshot/analyze.ts';
import { SEED, seedBroken, seedFixed } from '../testing/seedFixtures.ts';
import { changesBehind, changesNamedBy, groupChanges } from './changeGroups.ts';
import { ChangesByElement } from './changesByElement.ts';
import { diffSnapshots } from './diffSnapshots.ts';

/** The snapshot as a rebuild leaves it: the worker's `name` deleted and made again, with a new MAC. */
function recreate(snapshot: Snapshot, name: string, mac: string): Snapshot {
  const { host, netns } = SEED.worker;
  const ns = snapshot.hosts.find((h) => h.name === host)!.namespaces.find((n) => n.name === netns)!;
  const link = ns.links.find((l) => l.name === name)!;
  const [old, fresh] = [link.ifindex, 900];
  const oldMac = link.mac;
  link.ifindex = fresh;
  link.mac = mac;
  for (const a of ns.addresses) if (a.ifindex === old) a.ifindex = fresh;
  for (const l of ns.links) if (l.masterIfindex === old) l.masterIfindex = fresh;
  for (const h of snapshot.hosts)
    for (const n of h.namespaces)
      for (const l of n.links)
        if (l.peer?.host === host && l.peer.netns === netns && l.peer.ifindex === old) l.peer.ifindex = fresh;
  // What the neighbours of the old MAC learn again.
  for (const h of snapshot.hosts)
    for (const n of h.namespaces) for (const e of n.neighbors) if (e.mac === oldMac) e.mac = mac;
  return snapshot;
}

describe('groupChanges', () => {
  it('sets the new random MAC of a re-created device apart, with the neighbour entries that follow it', () => {
    const before = analyze(seedFixed());
    const after = analyze(recreate(seedFixed(), 'ens3', '02:aa:bb:cc:dd:ee'));
    const diff = diffSnapshots(before, after);
    const grouped = groupChanges(diff);
    expect(grouped.remacs).toContainEqual(
      expect.objectContaining({ what: 'interface', field: 'mac', after: '02:aa:bb:cc:dd:ee', recreated: true }),
    );
    expect(grouped.changes.filter((c) => c.field === 'mac')).toEqual([]);
    expect(grouped.changes.filter((c) => c.what === 'neighbor')).toEqual([]);
  });

  it('keeps a MAC change that a finding concerns among the changes: the seed fix is not noise', () => {
    const diff = diffSnapshots(analyze(seedBroken()), analyze(seedFixed()));
    const grouped = groupChanges(diff);
    expect(grouped.changes).toContainEqual(expect.objectContaining({ field: 'mac', after: SEED.podMac }));
    expect(grouped.remacs).toEqual([]);
  });
});

describe('changesBehind', () => {
  it('links the resolved MAC mismatch of the seed to the MAC change that resolved it', () => {
    const diff = diffSnapshots(analyze(seedBroken()), analyze(seedFixed()));
    const resolved = diff.findings.resolved.find((f) => f.rule === 'mac-mismatch-across-tunnel')!;
    expect(changesBehind(resolved, diff.changes)).toContainEqual(
      expect.objectContaining({ field: 'mac', before: SEED.vmMac, after: SEED.podMac }),
    );
  });
});

describe('changesNamedBy', () => {
  it('names as the cause only a change of a value the finding states, not another one on the same elements', () => {
    const diff = diffSnapshots(analyze(seedBroken()), analyze(seedFixed()));
    const resolved = diff.findings.resolved.find((f) => f.rule === 'mac-mismatch-across-tunnel')!;
    const fix = expect.objectContaining({ field: 'mac', before: SEED.vmMac, after: SEED.podMac });
    // A rebuilt tunnel end's new random MAC, on an element the finding names too.
    const rebuilt = {
      ...diff.changes.find((c) => c.field === 'mac' && c.before === SEED.vmMac)!,
      before: '8e:38:c7:d7:cf:d8',
      after: 'e2:cf:eb:21:99:2d',
      element: resolved.subjects.at(-1)!,
    };
    const { named, alongside } = changesNamedBy(resolved, [...diff.changes, rebuilt]);
    expect(named).toContainEqual(fix);
    expect(named).not.toContainEqual(rebuilt);
    expect(alongside).toContainEqual(rebuilt);
  });
});

describe('ChangesByElement', () => {
  it('answers changesBehind as the whole list does, in the comparison’s order, each change once', () => {
    const diff = diffSnapshots(analyze(seedBroken()), analyze(seedFixed()));
    const byElement = new ChangesByElement(diff.changes);
    for (const f of [...diff.findings.resolved, ...diff.findings.added]) {
      const on = diff.changes.filter((c) => c.element && f.subjects.includes(c.element));
      expect(byElement.on(f.subjects)).toEqual(on);
      // Split in two, in order, each change on one side only.
      const { named, alongside } = changesNamedBy(f, byElement);
      expect(named).toEqual(on.filter((c) => named.includes(c)));
      expect(alongside).toEqual(on.filter((c) => !named.includes(c)));
    }
    const element = diff.changes.find((c) => c.element)!.element!;
    const on = diff.changes.filter((c) => c.element === element);
    expect(byElement.on([element, element])).toEqual(on);
    expect(byElement.on(['no such element'])).toEqual([]);
  });
});
