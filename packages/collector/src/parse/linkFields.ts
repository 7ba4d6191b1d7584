import type { KindData, Link, SlaveData } from '@hoplens/model';

// What both backends make of a link (parseLinks from `ip -d -j link`, decodeLinks from netlink),
// apart from the schema library that checks iproute2's JSON: the netlink backend never loads it.

/**
 * A link as parsed from one namespace, before references that cross namespaces are resolved:
 * the peer and the VXLAN socket are known only by the nsid this namespace gives the other one.
 */
export interface ParsedLink {
  readonly link: Omit<Link, 'peer' | 'vxlan' | 'masterIfindex' | 'parent'>;
  readonly master?: string;
  readonly peer?: { readonly ifindex: number; readonly nsid?: number };
  /** The lower device of a vlan, macvlan or ipvlan, by ifindex in the namespace `nsid` names. */
  readonly parent?: { readonly ifindex: number; readonly nsid?: number };
  readonly vxlan?: {
    readonly vni: number;
    readonly remote?: string;
    readonly local?: string;
    readonly port: number;
    readonly srcPorts?: { readonly low: number; readonly high: number };
    readonly learning: boolean;
    /** Underlay device name as `ip` printed it: resolved in *this* namespace, which is wrong when nsid is set. */
    readonly underlayName?: string;
    readonly socketNsid?: number;
  };
}

/** Kinds stacked on a lower device that IFLA_LINK names. */
export const STACKED: ReadonlySet<string> = new Set(['vlan', 'macvlan', 'macvtap', 'ipvlan', 'ipvtap']);

/** A bridge's kind data, the same from both backends. */
export function bridgeData(vlanFiltering: boolean, vlanProtocol?: string, defaultPvid?: number): KindData {
  return {
    kind: 'bridge',
    vlanFiltering,
    ...(vlanProtocol !== undefined ? { vlanProtocol } : {}),
    ...(defaultPvid !== undefined ? { defaultPvid } : {}),
  };
}

type PortFlags = NonNullable<Extract<SlaveData, { kind: 'bridge' }>['flags']>;

/** A bridge port's flags where all of them were read (an older kernel or iproute2 may lack one). */
export function portFlags(f: { [K in keyof PortFlags]: boolean | undefined }): PortFlags | undefined {
  const { learning, flood, mcastFlood, bcastFlood, isolated } = f;
  if (learning === undefined || flood === undefined || mcastFlood === undefined) return undefined;
  if (bcastFlood === undefined || isolated === undefined) return undefined;
  return { learning, flood, mcastFlood, bcastFlood, isolated };
}
