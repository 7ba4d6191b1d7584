import { describe, expect, it } from 'vitest';
import { seedFixed } from '../testing/seedFixtures.ts';
import { checkSnapshotLimits, SNAPSHOT_LIMITS, SnapshotLimitCount, SnapshotLimitError } from './snapshotLimits.ts';

describe('checkSnapshotLimits', () => {
  it('lets a real snapshot through', () => {
    expect(() => checkSnapshotLimits(seedFixed())).not.toThrow();
  });

  it('refuses more hosts than the limit, naming it', () => {
    const hosts = new Array(SNAPSHOT_LIMITS.hosts + 1).fill({ namespaces: [] });
    expect(() => checkSnapshotLimits({ hosts })).toThrow(new SnapshotLimitError('hosts', SNAPSHOT_LIMITS.hosts + 1));
    expect(() => checkSnapshotLimits({ hosts })).toThrow('too large: 100001 hosts, at most 100000 (limit "hosts")');
  });

  it('refuses a namespace with more routes than the limit', () => {
    const snap = seedFixed();
    const ns = snap.hosts[0]!.namespaces[0]!;
    ns.routes = new Array(SNAPSHOT_LIMITS.routesPerNamespace + 1).fill(ns.routes[0]);
    expect(() => checkSnapshotLimits(snap)).toThrow(/limit "routesPerNamespace"/);
  });

  it('counts what it cannot read as nothing: the schema refuses it next', () => {
    expect(() => checkSnapshotLimits({ hosts: 'many', pods: null })).not.toThrow();
    expect(() => checkSnapshotLimits({ hosts: [null, 3, { namespaces: [null] }] })).not.toThrow();
    for (const v of [null, 3, 'x', undefined]) expect(() => checkSnapshotLimits(v)).not.toThrow();
  });
});

describe('SnapshotLimitCount', () => {
  it('holds the totals over pieces that each pass alone', () => {
    // 62 hosts of 4,096 namespaces (the most a host may have) pass; twice that is past 500,000.
    const piece = { hosts: new Array(62).fill({ namespaces: new Array(SNAPSHOT_LIMITS.namespacesPerHost).fill({}) }) };
    expect(() => checkSnapshotLimits(piece)).not.toThrow();
    const count = new SnapshotLimitCount();
    count.add(piece);
    expect(() => count.add(piece)).toThrow(new SnapshotLimitError('namespaces', 123 * 4096));
  });

  it('holds the per-host limits in every piece', () => {
    const count = new SnapshotLimitCount();
    count.add({ hosts: [{ errors: [] }] });
    expect(() => count.add({ hosts: [{ errors: new Array(SNAPSHOT_LIMITS.errorsPerHost + 1).fill({}) }] })).toThrow(
      /limit "errorsPerHost"/,
    );
  });

  it('counts nothing of a piece that does not fit beside the others, and says why', () => {
    const host = { namespaces: new Array(SNAPSHOT_LIMITS.namespacesPerHost).fill({}) };
    const piece = (n: number): unknown => ({ hosts: new Array(n).fill(host) });
    const count = new SnapshotLimitCount();
    expect(count.addIfWithin(piece(100))).toBeUndefined();
    // 100 + 30 hosts of 4,096 namespaces pass 500,000 (at the 23rd): refused, none of its hosts counted…
    expect(count.addIfWithin(piece(30))).toEqual(new SnapshotLimitError('namespaces', 123 * 4096));
    // …so that what still fits does: 122 hosts in all is 499,712 namespaces.
    expect(count.addIfWithin(piece(22))).toBeUndefined();
    expect(count.addIfWithin(piece(1))).toBeInstanceOf(SnapshotLimitError);
  });
});
