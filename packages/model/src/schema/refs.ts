import Type from 'typebox';

/** A network namespace on a host. `netns: null` is the collector process's own (unnamed) namespace. */
export const NetnsRefSchema = Type.Object({
  host: Type.String(),
  netns: Type.Union([Type.String(), Type.Null()]),
});
export type NetnsRef = Type.Static<typeof NetnsRefSchema>;

/** An interface, addressed the only way that is unique across a cluster: (host, netns, ifindex). */
export const LinkRefSchema = Type.Object({
  host: Type.String(),
  netns: Type.Union([Type.String(), Type.Null()]),
  ifindex: Type.Integer({ minimum: 0 }),
});
export type LinkRef = Type.Static<typeof LinkRefSchema>;
