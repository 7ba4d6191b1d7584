import { describe, expect, it } from 'vitest';
import { parseAddresses } from '../parse/parseAddresses.ts';
import { decodeAddresses } from './decodeAddresses.ts';

/** One RTM_NEWADDR message: ifaddrmsg (family, prefixlen, flags, scope, ifindex), IFA_ADDRESS, then IFA_FLAGS. */
function newAddr(address: number[], ifaFlags: number, extended?: number): DataView {
  const attr = (type: number, payload: number[]): number[] => {
    const len = 4 + payload.length;
    return [len & 0xff, len >> 8, type, 0, ...payload, ...Array<number>((4 - (len % 4)) % 4).fill(0)];
  };
  const u32 = (n: number): number[] => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, n >>> 24];
  const body = [
    10,
    64,
    ifaFlags,
    0,
    ...u32(2),
    ...attr(1, address),
    ...(extended === undefined ? [] : attr(8, u32(extended))),
  ];
  const len = 16 + body.length;
  return new DataView(Uint8Array.from([...u32(len), 20, 0, 0, 0, ...u32(0), ...u32(0), ...body]).buffer);
}

const FD00_1 = [0xfd, 0, ...Array<number>(13).fill(0), 1];

describe('the state of an address', () => {
  it('is decoded from IFA_FLAGS where sent, else from ifaddrmsg, by the names ip prints', () => {
    // IFA_F_TENTATIVE | IFA_F_DADFAILED in the header; IFA_FLAGS adds nothing the header lacks here.
    expect(decodeAddresses([newAddr(FD00_1, 0x48, 0x48)])[0]).toEqual({
      ifindex: 2,
      family: 'inet6',
      address: 'fd00::1',
      prefixlen: 64,
      scope: 'global',
      flags: ['dadfailed', 'tentative'],
    });
    expect(decodeAddresses([newAddr(FD00_1, 0x20)])[0]?.flags).toEqual(['deprecated']);
    // IFA_F_PERMANENT (0x80) and IFA_F_NOPREFIXROUTE (0x200) change nothing the tracer reads.
    expect(decodeAddresses([newAddr(FD00_1, 0x80, 0x280)])[0]?.flags).toBeUndefined();
  });

  it('is read from ip -j addr, recorded from a namespace whose duplicate failed DAD', () => {
    const text = JSON.stringify([
      {
        ifindex: 2,
        ifname: 'eth0',
        addr_info: [
          { family: 'inet6', local: 'fd00::2', prefixlen: 64, scope: 'global' },
          { family: 'inet6', local: 'fd00::1', prefixlen: 64, scope: 'global', dadfailed: true, tentative: true },
        ],
      },
    ]);
    expect(parseAddresses(text).map((a) => a.flags)).toEqual([undefined, ['dadfailed', 'tentative']]);
  });
});
