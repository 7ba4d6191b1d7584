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
      }),
    ),
  }),
);

/** Parses `ip -j addr show`; keeps IPv4 and IPv6 addresses. */
export function parseAddresses(text: string): Address[] {
  const out: Address[] = [];
  for (const l of parseJsonOutput(IpAddrSchema, text, 'ip -j addr')) {
    for (const a of l.addr_info) {
      if ((a.family !== 'inet' && a.family !== 'inet6') || a.local === undefined) continue;
      out.push({
        ifindex: l.ifindex,
        family: a.family,
        address: checked('ip -j addr', 'local', a.local, isIp),
        prefixlen: a.prefixlen ?? (a.family === 'inet' ? 32 : 128),
        scope: a.scope ?? 'global',
      });
    }
  }
  return out;
}
