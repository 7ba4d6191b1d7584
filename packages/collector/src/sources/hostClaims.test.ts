import { describe, expect, it } from 'vitest';
import { repeatedHostNames } from '@hoplens/model';
import { hostClaims, type NamedHost } from './hostClaims.ts';

const host = (name: string): NamedHost => ({ name, errors: [] });

describe('hostClaims', () => {
  it('renames a repeated name to one no host has, so the snapshot is never refused for it', () => {
    // An unbound agent reports w and w.2; another reports w: its w may not become w.2 too.
    const settled = hostClaims([
      { host: host('w'), source: 'agent a', bound: false },
      { host: host('w.2'), source: 'agent a', bound: false },
      { host: host('w'), source: 'agent b', bound: false },
    ]);
    expect(settled.map((h) => h.name)).toEqual(['w', 'w.2', 'w.3']);
    expect(repeatedHostNames(settled)).toEqual([]);
    expect(settled[2]!.errors).toEqual([
      {
        message:
          'host name w is reported by agent a and agent b: hoplens cannot tell which is genuine (this one kept as w.3); bind each agent to its hosts with "hosts"',
        notice: true,
      },
    ]);
  });

  it('keeps the name for its bound owner and numbers the others past the names in use', () => {
    const settled = hostClaims([
      { host: host('n'), source: 'agent x', bound: false },
      { host: host('n.2'), source: 'dump d', bound: true },
      { host: host('n'), source: 'agent n', bound: true },
      { host: host('n'), source: 'agent y', bound: false },
    ]);
    expect(settled.map((h) => h.name)).toEqual(['n.3', 'n.2', 'n', 'n.4']);
    expect(settled[0]!.errors[0]).toEqual({
      message: 'agent x also reported host n, which agent n owns: kept as n.3',
      notice: true,
    });
  });
});
