import Type from 'typebox';
import { HostKindSchema } from './inventory.ts';
import { NETNS_NAME, NETNS_PATH } from './netnsPatterns.ts';

/** Host names become path segments of graph ids, so they are DNS-like. */
export const HostNameSchema = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$' });

/** A netns name as iproute2 accepts it: a file name under /run/netns. */
export const NetnsNameSchema = Type.String({ ...NETNS_NAME });

/** A device name as the kernel accepts it (dev_valid_name): 1-15 bytes, no '/', ':' or white space. */
export const DeviceNameSchema = Type.String({ minLength: 1, maxLength: 15, pattern: '^(?!\\.{1,2}$)[^/:\\s]+$' });

/** A namespace reached by a file rather than by name: one only a process holds (/proc/PID/ns/net). */
export const HeldNetnsSchema = Type.Object({
  /** What to call it in the snapshot (unique on the host; not a name under /run/netns). */
  name: NetnsNameSchema,
  /** An absolute path without `..`: /proc/PID/ns/net, or a runtime's bind mount. */
  path: Type.String({ ...NETNS_PATH }),
  holder: Type.Optional(Type.String({ maxLength: 512 })),
});
export type HeldNetns = Type.Static<typeof HeldNetnsSchema>;

export const HostMapEntrySchema = Type.Object({
  name: HostNameSchema,
  kind: HostKindSchema,
  /** The namespace that plays this host's root; null is the collector's own namespace. */
  root: Type.Union([NetnsNameSchema, Type.Null()]),
  /** The host's other namespaces: names under /run/netns, or files of namespaces only processes hold. */
  netns: Type.Array(Type.Union([NetnsNameSchema, HeldNetnsSchema])),
  /** cloud-api-adaptor's apf.json on a pod VM (/run/peerpod/apf.json there), to read the intended pod network from. */
  peerPodConfig: Type.Optional(Type.String({ minLength: 2, maxLength: 4096, pattern: '^/' })),
  /** Open vSwitch's OVSDB socket on this host (default /var/run/openvswitch/db.sock); its directory holds the switch's other sockets. */
  ovsDbSocket: Type.Optional(
    Type.String({ minLength: 2, maxLength: 100, pattern: '^/(?!(.*/)?\\.\\.(/|$))[^\\u0000]+$' }),
  ),
});
export type HostMapEntry = Type.Static<typeof HostMapEntrySchema>;

/** Groups local namespaces into hosts: how one machine stands in for a node and a pod VM. */
export const HostMapSchema = Type.Object({ hosts: Type.Array(HostMapEntrySchema, { minItems: 1 }) });
export type HostMap = Type.Static<typeof HostMapSchema>;
