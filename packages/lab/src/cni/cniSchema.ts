import Type from 'typebox';

/** One network of a CNI configuration list: its plugins run in order on ADD, in reverse on DEL. */
export interface CniNetwork {
  readonly cniVersion: string;
  readonly name: string;
  /** Each plugin's configuration, as the plugin reads it (`type` names its binary). */
  readonly plugins: readonly ({ readonly type: string } & Readonly<Record<string, unknown>>)[];
}

/**
 * A pod attached the way a container runtime attaches it: the plugins run from inside the node's
 * namespace, given the pod's namespace, interface name and container id.
 */
export interface CniAttachment {
  /** The namespace that plays the node (where the runtime runs). */
  readonly nodeNetns: string;
  /** The pod's namespace, under /run/netns. */
  readonly podNetns: string;
  readonly containerId: string;
  readonly ifname: string;
  readonly network: CniNetwork;
  /** What the runtime passes to plugins that declare the capability (`portMappings`). */
  readonly runtimeConfig?: Readonly<Record<string, unknown>>;
}

/** The part of a CNI result hoplens reads back (the spec's result, version 1.0.0). */
export const CniResultSchema = Type.Object({
  cniVersion: Type.String(),
  interfaces: Type.Optional(
    Type.Array(
      Type.Object({ name: Type.String(), mac: Type.Optional(Type.String()), sandbox: Type.Optional(Type.String()) }),
    ),
  ),
  ips: Type.Optional(
    Type.Array(
      Type.Object({
        address: Type.String(),
        gateway: Type.Optional(Type.String()),
        interface: Type.Optional(Type.Integer()),
      }),
    ),
  ),
  routes: Type.Optional(Type.Array(Type.Object({ dst: Type.String(), gw: Type.Optional(Type.String()) }))),
});
export type CniResult = Type.Static<typeof CniResultSchema>;

/** A plugin's error, as the spec has it printed on stdout. */
export const CniErrorSchema = Type.Object({
  code: Type.Integer(),
  msg: Type.String(),
  details: Type.Optional(Type.String()),
});

/** What the lab keeps of an attachment, to DEL it on `lab down`: the runtime's cache. */
export const CniCacheSchema = Type.Object({
  nodeNetns: Type.String(),
  podNetns: Type.String(),
  containerId: Type.String(),
  ifname: Type.String(),
  network: Type.Object({
    cniVersion: Type.String(),
    name: Type.String(),
    plugins: Type.Array(
      Type.Intersect([Type.Object({ type: Type.String() }), Type.Record(Type.String(), Type.Unknown())]),
    ),
  }),
  runtimeConfig: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  result: Type.Optional(Type.Unknown()),
});
