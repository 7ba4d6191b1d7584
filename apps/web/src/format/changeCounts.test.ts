import type { Change } from '@hoplens/model';
import { describe, expect, it } from 'vitest';
import { countsByKind } from './changeCounts.ts';

const changeCounts = (changes: readonly Change[]): string =>
  countsByKind(changes)
    .map((k) => k.text)
    .join(' · ');

const change = (what: Change['what'], kind: Change['change'], n: number): Change[] =>
  Array.from({ length: n }, (_, i) => ({ what, change: kind, where: `${what}-${i}` }));

describe('changeCounts', () => {
  it('counts by kind in the list’s order, then by how, with thousands separated', () => {
    const changes = [
      ...change('route', 'added', 12_000),
      ...change('interface', 'changed', 40_212),
      ...change('interface', 'added', 10),
      ...change('neighbor', 'removed', 1),
    ];
    expect(changeCounts(changes)).toBe(
      'interface: 10 added, 40,212 changed · route: 12,000 added · neighbor: 1 removed',
    );
  });

  it('says nothing of no changes', () => {
    expect(changeCounts([])).toBe('');
  });

  it('counts each kind as a whole too, for showing one kind alone', () => {
    const changes = [...change('route', 'added', 3), ...change('route', 'removed', 2), ...change('host', 'added', 1)];
    expect(countsByKind(changes)).toEqual([
      { what: 'host', count: 1, text: 'host: 1 added' },
      { what: 'route', count: 5, text: 'route: 3 added, 2 removed' },
    ]);
  });
});
