import type { NetnsRef } from '../schema/refs.ts';
import type { NetnsEntry, SnapshotIndex } from '../topology/snapshotIndex.ts';

/**
 * A Service endpoint as kube-proxy (iptables mode) programs it: the DNAT of a `KUBE-SEP-…` chain,
 * `-p PROTO -m comment --comment "NS/NAME:PORT" -m PROTO -j DNAT --to-destination IP:PORT`.
 */
export interface KubeEndpoint {
  /** The Service port, `namespace/name:port` as kube-proxy's comment names it. */
  readonly service: string;
  readonly ip: string;
  readonly port: number;
  readonly proto: 'tcp' | 'udp';
  /** The namespace whose rules send connections there. */
  readonly where: NetnsRef;
}

const after = (args: readonly string[], flag: string): string | undefined => {
  const i = args.indexOf(flag);
  return i < 0 ? undefined : args[i + 1];
};

/** `10.244.1.3:8080` or `[fd00::3]:8080`. */
const TARGET = /^(?:\[([0-9a-fA-F:.]+)\]|([0-9.]+)):(\d{1,5})$/;

function endpointsIn(ns: NetnsEntry): KubeEndpoint[] {
  const out: KubeEndpoint[] = [];
  for (const t of ns.ns.firewall?.iptables ?? []) {
    if (t.name !== 'nat') continue;
    for (const r of t.rules) {
      if (!r.chain.startsWith('KUBE-SEP-') || after(r.args, '-j') !== 'DNAT') continue;
      const m = TARGET.exec(after(r.args, '--to-destination') ?? '');
      const proto = after(r.args, '-p');
      const service = after(r.args, '--comment');
      const port = Number(m?.[3]);
      if (!m || !service || (proto !== 'tcp' && proto !== 'udp') || port < 1 || port > 65535) continue;
      out.push({ service, ip: (m[1] ?? m[2])!, port, proto, where: ns.ref });
    }
  }
  return out;
}

const allEndpoints = (index: SnapshotIndex): readonly KubeEndpoint[] => index.namespaces.flatMap(endpointsIn);

/** Every Service endpoint kube-proxy's iptables rules send to, anywhere in the snapshot, computed once per index. */
export function kubeEndpoints(index: SnapshotIndex): readonly KubeEndpoint[] {
  return index.derive(allEndpoints);
}
