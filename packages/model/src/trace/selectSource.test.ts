import { describe, expect, it } from 'vitest';
import { NetBuilder } from '../testing/netBuilder.ts';
import { SnapshotIndex } from '../topology/snapshotIndex.ts';
import { selectSource4 } from './selectSource.ts';

/** A namespace whose eth0 holds `addrs` in the order given (as the kernel lists them), and lo 127.0.0.1. */
function source(addrs: [string, string?][], route: { gateway?: string; scope?: string }, loAddr?: string) {
  const b = new NetBuilder();
  const other = b.netns('h', 'other');
  const ns = b.netns('h', 'x');
  b.veth(ns, 'eth0', other, 'eth0');
  for (const [cidr, scope] of addrs) b.addr(ns, 'eth0', cidr, scope === undefined ? {} : { scope });
  if (loAddr !== undefined) b.addr(ns, 'lo', loAddr);
  const index = new SnapshotIndex(b.snapshot());
  const entry = index.netns(ns.ref)!;
  return selectSource4(entry, entry.linksByName.get('eth0')!, route);
}

describe('the IPv4 source the kernel picks for a route without src (inet_select_addr)', () => {
  it("takes the address in the gateway's subnet, not the device's first", () => {
    expect(source([['10.72.0.2/24'], ['10.62.1.2/24']], { gateway: '10.62.1.1' })).toBe('10.62.1.2');
  });

  it('takes the first primary where no address holds the gateway (onlink), and never a secondary', () => {
    expect(source([['10.62.1.2/32'], ['10.63.0.5/24']], { gateway: '10.62.1.1' })).toBe('10.62.1.2');
    // 10.62.1.9 shares 10.62.1.2's subnet: secondary, never chosen, whatever the gateway.
    expect(source([['10.62.1.2/24'], ['10.62.1.9/24']], { gateway: '10.62.1.9' })).toBe('10.62.1.2');
  });

  it("leaves out link-scoped addresses for a global route, and then takes another device's global one", () => {
    expect(source([['169.254.0.2/16', 'link']], { gateway: '169.254.0.1' }, '10.9.9.9/32')).toBe('10.9.9.9');
    expect(source([['169.254.0.2/16', 'link']], { scope: 'link' })).toBe('169.254.0.2');
  });
});
