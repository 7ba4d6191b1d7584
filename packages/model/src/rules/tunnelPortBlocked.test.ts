import { describe, expect, it } from 'vitest';
import { netnsId } from '../ids.ts';
import { F, FILTERS } from '../testing/filterFixtures.ts';
import { SnapshotIndex } from '../topology/snapshotIndex.ts';
import { filterDrop } from './filterDrop.ts';
import { tunnelPortBlocked } from './tunnelPortBlocked.ts';

describe('tunnel-port-blocked', () => {
  it("names the worker's legacy iptables rule that drops the pod VM's tunnel packets, and accepts them just before it", () => {
    const index = new SnapshotIndex(FILTERS.legacyTunnelDrop());
    const [f, ...rest] = tunnelPortBlocked.run(index);
    expect(rest).toEqual([]);
    expect(f?.subjects).toContain(netnsId(F.worker));
    expect(f?.message).toContain('iptables-legacy filter INPUT rule 1 `-A INPUT -p udp -m udp --dport 4789 -j DROP`');
    expect(f?.fix).toBe(
      `ip netns exec ${F.worker.netns} iptables-legacy -t filter -I INPUT 1 -s 192.168.200.2 -p udp --dport 4789 -j ACCEPT`,
    );
    // The same rule is the tunnel's: filter-drop leaves it to this one.
    expect(filterDrop.run(index)).toEqual([]);
  });

  it('raises nothing when the tunnel passes the filters', () => {
    expect(tunnelPortBlocked.run(new SnapshotIndex(FILTERS.nftTunnelOk()))).toEqual([]);
  });
});
