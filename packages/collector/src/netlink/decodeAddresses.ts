import type { Address } from '@hoplens/model';
import { attrs, messagesOfType } from './rtattr.ts';
import { scopeName } from './names.ts';

const RTM_NEWADDR = 20;
const IFA_ADDRESS = 1;
const IFA_LOCAL = 2;
const IFA_FLAGS = 8;
/** The IFA_F_* bits that change what an address may do, by the names `ip addr` prints. */
const STATE_FLAGS: readonly (readonly [number, string])[] = [
  [0x04, 'optimistic'],
  [0x08, 'dadfailed'],
  [0x20, 'deprecated'],
  [0x40, 'tentative'],
];
const STATE_MASK = STATE_FLAGS.reduce((m, [bit]) => m | bit, 0);
const AF_INET = 2;
const AF_INET6 = 10;

/** RTM_NEWADDR messages as `parseAddresses` reads `ip -j addr show`: the local address of each, and its state. */
export function decodeAddresses(buffers: readonly DataView[]): Address[] {
  const out: Address[] = [];
  const msgs = messagesOfType(buffers, RTM_NEWADDR);
  for (let i = 0; i < msgs.length; i++) {
    const m = msgs[i]!;
    const family = m.body.getUint8(0);
    if (family !== AF_INET && family !== AF_INET6) continue;
    const a = attrs(m.body, 8);
    const address = a.has(IFA_LOCAL) ? a.ip(IFA_LOCAL) : a.ip(IFA_ADDRESS);
    if (address === undefined) continue;
    // ifa_flags holds the low 8 bits; IFA_FLAGS, where sent, all 32.
    const bits = a.u32(IFA_FLAGS) ?? m.body.getUint8(2);
    const row: Address = {
      ifindex: m.body.getUint32(4, true),
      family: family === AF_INET ? 'inet' : 'inet6',
      address,
      prefixlen: m.body.getUint8(1),
      scope: scopeName(m.body.getUint8(3)),
    };
    if (bits & STATE_MASK) row.flags = STATE_FLAGS.filter(([bit]) => bits & bit).map(([, name]) => name);
    out.push(row);
  }
  return out;
}
