import type { Address } from '@hoplens/model';
import { attrs, ipAddress, messages } from './rtattr.ts';
import { scopeName } from './names.ts';

const RTM_NEWADDR = 20;
const IFA_ADDRESS = 1;
const IFA_LOCAL = 2;
const AF_INET = 2;
const AF_INET6 = 10;

/** RTM_NEWADDR messages as `parseAddresses` reads `ip -j addr show`: the local address of each. */
export function decodeAddresses(buffers: readonly DataView[]): Address[] {
  const out: Address[] = [];
  for (const buf of buffers) {
    for (const m of messages(buf)) {
      if (m.type !== RTM_NEWADDR) continue;
      const family = m.body.getUint8(0);
      if (family !== AF_INET && family !== AF_INET6) continue;
      const a = attrs(m.body, 8);
      const address = ipAddress(a.get(IFA_LOCAL) ?? a.get(IFA_ADDRESS));
      if (address === undefined) continue;
      out.push({
        ifindex: m.body.getUint32(4, true),
        family: family === AF_INET ? 'inet' : 'inet6',
        address,
        prefixlen: m.body.getUint8(1),
        scope: scopeName(m.body.getUint8(3)),
      });
    }
  }
  return out;
}
