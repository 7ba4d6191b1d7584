import { describe, expect, it } from 'vitest';
import type { Sysctls } from '@hoplens/model';
import { relevantSysctls } from './relevantSysctls.ts';

const READ: Sysctls = {
  all: { ipv4: { rpFilter: 1 } },
  devices: [],
  icmpEchoIgnoreAll: 0,
  bridgeNfCallIptables: 1,
  bridgeNfCallIp6tables: 1,
  bridgeNfCallArptables: 0,
  conntrackCount: 3,
  conntrackMax: 262144,
};

describe('relevantSysctls', () => {
  it('keeps everything in a namespace with a bridge that tracks connections', () => {
    expect(relevantSysctls(READ, true)).toEqual(READ);
  });

  it('leaves out br_netfilter’s switches where no bridge is', () => {
    const out = relevantSysctls(READ, false);
    expect(out).not.toHaveProperty('bridgeNfCallIptables');
    expect(out).not.toHaveProperty('bridgeNfCallIp6tables');
    expect(out).not.toHaveProperty('bridgeNfCallArptables');
    expect(out).toMatchObject({ icmpEchoIgnoreAll: 0, conntrackCount: 3, conntrackMax: 262144 });
  });

  it('leaves out nf_conntrack_max where nothing is tracked, and keeps the count', () => {
    const out = relevantSysctls({ ...READ, conntrackCount: 0 }, true);
    expect(out).not.toHaveProperty('conntrackMax');
    expect(out.conntrackCount).toBe(0);
    expect(out.bridgeNfCallIptables).toBe(1);
  });

  it('keeps nf_conntrack_max where the count was not read', () => {
    const noCount: Sysctls = { ...READ };
    delete noCount.conntrackCount;
    expect(relevantSysctls(noCount, true).conntrackMax).toBe(262144);
  });

  it('changes nothing it is given', () => {
    const copy = structuredClone(READ);
    relevantSysctls(READ, false);
    expect(READ).toEqual(copy);
  });
});
