import { describe, expect, it } from 'vitest';
import { netnsId } from '../ids.ts';
import { F, FILTERS } from '../testing/filterFixtures.ts';
import { bridgedOk } from '../testing/seedFixtures.ts';
import { SnapshotIndex } from '../topology/snapshotIndex.ts';
import { filterDrop } from './filterDrop.ts';

describe('filter-drop', () => {
  it("names the node's FORWARD policy that drops bridged pod traffic, with its counter and the command that lists it", () => {
    const [f, ...rest] = filterDrop.run(new SnapshotIndex(FILTERS.brForwardDrop()));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ rule: 'filter-drop', severity: 'critical', subjects: [netnsId(F.na)] });
    expect(f?.message).toMatch(
      /^iptables-nft filter FORWARD policy `-P FORWARD DROP` in node-a\/hl-fltr-na \(\d+ packets counted\) drops traffic on a pod's path/,
    );
    expect(f?.evidence).toMatchObject({
      chain: 'FORWARD',
      list: `ip netns exec ${F.na.netns} iptables-nft -t filter -L FORWARD -v -n --line-numbers`,
    });
  });

  it('names a tc filter that drops a pod’s traffic', () => {
    const [f] = filterDrop.run(new SnapshotIndex(FILTERS.cbpfDrop()));
    expect(f?.message).toMatch(/^tc egress filter pref 1 on veth3 `bpf bytecode '6,40 0 0 12,/);
  });

  it('raises nothing where filters let pods through, or where there are none', () => {
    expect(filterDrop.run(new SnapshotIndex(FILTERS.iptablesOk()))).toEqual([]);
    expect(filterDrop.run(new SnapshotIndex(bridgedOk()))).toEqual([]);
  });
});
