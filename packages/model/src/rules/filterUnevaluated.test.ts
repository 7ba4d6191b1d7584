import { describe, expect, it } from 'vitest';
import { netnsId } from '../ids.ts';
import { F, FILTERS } from '../testing/filterFixtures.ts';
import { SnapshotIndex } from '../topology/snapshotIndex.ts';
import { filterUnevaluated } from './filterUnevaluated.ts';

describe('filter-unevaluated', () => {
  it('notes, as info, the eBPF program traces cannot see through', () => {
    const found = filterUnevaluated.run(new SnapshotIndex(FILTERS.ebpf()));
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((f) => f.severity === 'info')).toBe(true);
    expect(found[0]?.subjects).toEqual([netnsId(F.na)]);
    expect(found[0]?.message).toMatch(
      /^tc egress filter pref 1 on veth3 `bpf da pass\.o:\[classifier\] id \d+ tag [0-9a-f]+` in node-a\/hl-fltr-na cannot be evaluated/,
    );
  });

  it('says nothing where every filter was evaluated', () => {
    expect(filterUnevaluated.run(new SnapshotIndex(FILTERS.brForwardDrop()))).toEqual([]);
  });
});
