import { describe, expect, it } from 'vitest';
import type { DropSite, FreeEvent, KernelDrop } from '../schema/probe.ts';
import { mergeDrops } from './mergeDrops.ts';

const ENS3_OUT: DropSite = { host: 'worker', netns: 'w', interface: 'ens3', stage: 'transmit' };
const VXLAN0_IN: DropSite = { host: 'podvm', netns: 'podns', interface: 'vxlan0', stage: 'receive' };
const ETH0_IN: DropSite = { host: 'podvm', netns: 'other', interface: 'eth0', stage: 'receive' };

/** The seed's first OTHERHOST free as the two parts of a server's probe attributed it (seed-broken-parts). */
const drop = (site: DropSite, free: Partial<FreeEvent> & { last?: FreeEvent['last'] }, seq = 1): KernelDrop => ({
  reason: 'OTHERHOST',
  reasonCode: 13,
  location: 'ip_rcv_core+0x22c/0x350',
  packet: 'request',
  seq,
  site,
  attribution: 'skb',
  lostEcho: true,
  free: { key: 'k1', atNs: '71467972162000', vouched: true, ...free },
});
const workerPart = drop(ENS3_OUT, {
  last: { atNs: '71467972120000', device: 'ens3', direction: 'out' },
});
const vmPart = drop(VXLAN0_IN, {
  atNs: '71467972161000',
  last: { atNs: '71467972151000', device: 'vxlan0', direction: 'in' },
});
const sites = (drops: KernelDrop[]): string[] =>
  drops.map((d) => [d.site, ...(d.alsoPossible ?? [])].map((s) => `${s.interface} ${s.stage}`).join(' | '));

describe('merging the drops of the parts of one probe', () => {
  it('counts a free both parts saw once, at the later device event of its life, whichever part came first', () => {
    expect(sites(mergeDrops([[workerPart], [vmPart]]))).toEqual(['vxlan0 receive']);
    expect(sites(mergeDrops([[vmPart], [workerPart]]))).toEqual(['vxlan0 receive']);
  });

  it('on one device event both parts traced, keeps the place a capture vouched for', () => {
    const last = { atNs: '71467972151000', device: 'vxlan0', direction: 'in' as const };
    const byName = drop(ETH0_IN, { atNs: '71467972161000', last: { ...last, atNs: '71467972152000' }, vouched: false });
    expect(sites(mergeDrops([[byName], [drop(VXLAN0_IN, { last })]]))).toEqual(['vxlan0 receive']);
    expect(sites(mergeDrops([[drop(VXLAN0_IN, { last })], [byName]]))).toEqual(['vxlan0 receive']);
  });

  it('says one drop with its site uncertain where nothing ranks the places, not two drops', () => {
    const last = { atNs: '71467972151000', device: 'eth0', direction: 'in' as const };
    const a = drop(VXLAN0_IN, { last, vouched: false });
    const b = drop(ETH0_IN, { atNs: '71467972161000', last, vouched: false });
    const merged = mergeDrops([[a], [b]]);
    expect(sites(merged)).toEqual(['vxlan0 receive | eth0 receive']);
  });

  it('keeps the pieces of one part apart, and pairs each with its nearest twin in the other part', () => {
    // A buffer freed and reused for the next piece at the same place 30 µs later: two frees.
    const pieces = (site: DropSite, skew: bigint, last: bigint, dir: 'in' | 'out'): KernelDrop[] =>
      [0n, 30_000n].map((t) =>
        drop(site, {
          atNs: String(71467972162000n + t + skew),
          last: { atNs: String(last + t), device: site.interface!, direction: dir },
        }),
      );
    const merged = mergeDrops([
      pieces(ENS3_OUT, 0n, 71467972120000n, 'out'),
      pieces(VXLAN0_IN, 1_000n, 71467972151000n, 'in'),
    ]);
    expect(sites(merged)).toEqual(['vxlan0 receive', 'vxlan0 receive']);
    expect(merged.map((d) => d.free?.atNs)).toEqual(['71467972163000', '71467972193000']);
    expect(mergeDrops([pieces(VXLAN0_IN, 0n, 71467972151000n, 'in')])).toHaveLength(2);
  });

  it("merges nothing of another kernel's, nor drops stored without their free", () => {
    const elsewhere = { ...vmPart, free: { ...vmPart.free!, key: 'k2' } };
    expect(mergeDrops([[workerPart], [elsewhere]])).toHaveLength(2);
    const old = { ...workerPart };
    const oldVm = { ...vmPart };
    delete old.free;
    delete oldVm.free;
    expect(mergeDrops([[old], [oldVm]])).toHaveLength(2);
  });
});
