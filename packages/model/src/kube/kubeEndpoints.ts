import type { JsonValue } from '../schema/firewall.ts';
import type { NetnsRef } from '../schema/refs.ts';
import type { NetnsEntry, SnapshotIndex } from '../topology/snapshotIndex.ts';

/**
 * A Service endpoint as kube-proxy programs it: in iptables mode the DNAT of a `KUBE-SEP-…` chain,
 * `-p PROTO -m comment --comment "NS/NAME:PORT" -m PROTO -j DNAT --to-destination IP:PORT`; in
 * nftables mode a chain `endpoint-HASH-NS/NAME/PROTO/PORT__IP/TARGETPORT` of table `kube-proxy`
 * whose rule DNATs.
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

/** `endpoint-5OJB2KTY-shop/web/tcp/p80__10.244.2.5/80` (pkg/proxy/nftables/proxier.go). */
const NFT_CHAIN = /^endpoint-[A-Z0-9]+-([^/\s]+)\/([^/\s]+)\/(tcp|udp)\/(\S*)__([0-9a-fA-F:.]+)\/(\d{1,5})$/;

const dnats = (expr: readonly JsonValue[]): boolean =>
  expr.some((e) => e !== null && typeof e === 'object' && !Array.isArray(e) && 'dnat' in e);

function nftEndpointsIn(ns: NetnsEntry): KubeEndpoint[] {
  const out: KubeEndpoint[] = [];
  for (const t of ns.ns.firewall?.nftables ?? []) {
    if (t.name !== 'kube-proxy') continue;
    const dnatChains = new Set(t.rules.filter((r) => dnats(r.expr)).map((r) => r.chain));
    for (const chain of dnatChains) {
      const m = NFT_CHAIN.exec(chain);
      const port = Number(m?.[6]);
      if (!m || port < 1 || port > 65535) continue;
      const [, namespace, name, proto, portName, ip] = m;
      out.push({
        service: `${namespace}/${name}:${portName}`,
        ip: ip!,
        port,
        proto: proto as 'tcp' | 'udp',
        where: ns.ref,
      });
    }
  }
  return out;
}

const allEndpoints = (index: SnapshotIndex): readonly KubeEndpoint[] =>
  index.namespaces.flatMap((ns) => (ns.ns.firewall ? [...endpointsIn(ns), ...nftEndpointsIn(ns)] : []));

/** Every Service endpoint kube-proxy's rules (iptables or nftables mode) send to, anywhere in the snapshot, computed once per index. */
export function kubeEndpoints(index: SnapshotIndex): readonly KubeEndpoint[] {
  return index.derive(allEndpoints);
}
