import { describe, expect, it } from 'vitest';
import { netnsId } from '../ids.ts';
import { F, FILTERS } from '../testing/filterFixtures.ts';
import { nsIn } from '../testing/seedFixtures.ts';
import { SnapshotIndex } from '../topology/snapshotIndex.ts';
import { peerpodNotrackMissing } from './peerpodNotrackMissing.ts';

describe('peerpod-notrack-missing', () => {
  it("raises nothing where cloud-api-adaptor's NOTRACK rules cover the tunnel both ways", () => {
    expect(peerpodNotrackMissing.run(new SnapshotIndex(FILTERS.notrack()))).toEqual([]);
  });

  it('names the missing rule, with the command cloud-api-adaptor would have run', () => {
    const snap = FILTERS.notrack();
    const raw = nsIn(snap, F.vm).firewall!.iptables.find((t) => t.name === 'raw')!;
    raw.rules = raw.rules.filter((r) => r.chain !== 'peerpod-PREROUTING');
    const [f, ...rest] = peerpodNotrackMissing.run(new SnapshotIndex(snap));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ severity: 'warning' });
    expect(f?.subjects).toContain(netnsId(F.vm));
    expect(f?.message).toContain('missing from peerpod-PREROUTING');
    expect(f?.fix).toBe(
      `ip netns exec ${F.vm.netns} iptables-nft -t raw -A peerpod-PREROUTING -m comment --comment 'peerpod [vni:555000]' -s 192.168.200.1/32 -p udp -m udp --dport 4789 -j NOTRACK`,
    );
  });

  it('asks nothing of a host that does not use the peerpod chains', () => {
    expect(peerpodNotrackMissing.run(new SnapshotIndex(FILTERS.nftTunnelOk()))).toEqual([]);
  });
});
