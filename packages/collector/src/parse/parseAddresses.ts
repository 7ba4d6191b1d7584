import Type from 'typebox';
import type { Address } from '@hoplens/model';
import { checked, isIp, parseJsonOutput } from './ipJson.ts';

const IpAddrSchema = Type.Array(
  Type.Object({
    ifindex: Type.Integer(),
    addr_info: Type.Array(
      Type.Object({
        family: Type.String(),
        local: Type.Optional(Type.String()),
        prefixlen: Type.Optional(Type.Integer({ minimum: 0, maximum: 128 })),
        scope: Type.Optional(Type.String()),
        tentative: Type.Optional(Type.Boolean()),
        dadfailed: Type.Optional(Type.Boolean()),
        optimistic: Type.Optional(Type.Boolean()),
        deprecated: Type.Optional(Type.Boolean()),
      }),
    ),
  }),
);

/** The address states `ip -j addr` prints as keys, in the order the netlink decoder names them. */
const STATE_FLAGS = ['optimistic', 'dadfailed', 'deprecated', 'tentative'] as const;

/** Parses `ip -j addr show`; keeps IPv4 and IPv6 addresses, and the state of one not plainly usable. */
export function parseAddresses(text: string): Address[] {
  const out: Address[] = [];
  for (const l of parseJsonOutput(IpAddrSchema, text, 'ip -j addr')) {
    for (const a of l.addr_info) {
      if ((a.family !== 'inet' && a.family !== 'inet6') || a.local === undefined) continue;
      const flags = STATE_FLAGS.filter((f) => a[f] === true);
      out.push({
        ifindex: l.ifindex,
        family: a.family,
        address: checked('ip -j addr', 'local', a.local, isIp),
        prefixlen: a.prefixlen ?? (a.family === 'inet' ? 32 : 128),
        scope: a.scope ?? 'global',
        ...(flags.length > 0 ? { flags } : {}),
      });
    }
  }
  return out;
}
