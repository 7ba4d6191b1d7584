import Type from 'typebox';
import { MAX_UNREPLIED_PORTS } from './bounds.ts';

/**
 * UDP conntrack entries that never saw a reply (`[UNREPLIED]` in /proc/net/nf_conntrack), counted
 * by the original direction's destination port. A tunnel whose packets are tracked leaves one such
 * entry per inner flow and direction (each end sends to the other's port from a hashed source port,
 * so neither direction is the other's reply) until nf_conntrack_udp_timeout expires them.
 */
export const UnrepliedUdpSchema = Type.Array(
  Type.Object({
    port: Type.Integer({ minimum: 0, maximum: 65535 }),
    count: Type.Integer({ minimum: 1 }),
  }),
  { maxItems: MAX_UNREPLIED_PORTS },
);
export type UnrepliedUdp = Type.Static<typeof UnrepliedUdpSchema>;
