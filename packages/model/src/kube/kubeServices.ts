import type { NetnsRef } from '../schema/refs.ts';
import { nftServicePorts } from './kubeNftServices.ts';
import type { NetnsEntry, SnapshotIndex } from '../topology/snapshotIndex.ts';
import { apiServicePorts } from './kubeApiServices.ts';

/**
 * A Service port: from the Kubernetes API where the collection had a kubeconfig (kubeApiServices.ts),
 * else as kube-proxy programs it on a node, recognised from its iptables nat rule `KUBE-SERVICES -d
 * CLUSTER_IP/32 -p PROTO -m comment --comment "NS/NAME:PORT cluster IP" … --dport N -j KUBE-SVC-…`
 * (or KUBE-SVL-…; the comment carries kube-proxy's name for the port) or, for a Service without
 * (local) endpoints, filter's `KUBE-SERVICES … "NS/NAME:PORT has no endpoints" … -j REJECT` (DROP:
 * `has no local endpoints`), or from its nftables `service-ips` /
 * `no-endpoint-services` elements (see kubeNftServices.ts).
 */
export interface KubeServicePort {
  /** `namespace/name:port`, as kube-proxy writes it (port: the Service port's name). */
  readonly key: string;
  readonly namespace: string;
  readonly name: string;
  readonly portName: string;
  readonly clusterIp: string;
  readonly proto: 'tcp' | 'udp';
  readonly port: number;
  /** The namespace whose rules name it; absent for a Service the Kubernetes API listed. */
  readonly where?: NetnsRef;
}

/** nat KUBE-SERVICES' comment on a ClusterIP's rule; filter KUBE-SERVICES' on one it rejects or drops. */
const CLUSTER_IP = / cluster IP$/;
const NO_ENDPOINTS = / has no (?:local )?endpoints$/;

/** The words after `flag` in a rule, if any. */
const after = (args: readonly string[], flag: string): string | undefined => {
  const i = args.indexOf(flag);
  return i < 0 ? undefined : args[i + 1];
};

/** The Service ports kube-proxy's iptables rules program in one namespace. */
export function servicesIn(ns: NetnsEntry): KubeServicePort[] {
  const out: KubeServicePort[] = [];
  for (const t of ns.ns.firewall?.iptables ?? []) {
    if ((t.name !== 'nat' && t.name !== 'filter') || t.family !== 'ipv4') continue;
    // The ClusterIP goes to the cluster-policy chain, or the local one (internalTrafficPolicy Local);
    // without (local) endpoints filter rejects or drops it.
    const words = t.name === 'nat' ? CLUSTER_IP : NO_ENDPOINTS;
    for (const r of t.rules) {
      if (r.chain !== 'KUBE-SERVICES') continue;
      const to = after(r.args, '-j');
      if (
        t.name === 'nat'
          ? !to?.startsWith('KUBE-SVC-') && !to?.startsWith('KUBE-SVL-')
          : to !== 'REJECT' && to !== 'DROP'
      )
        continue;
      const comment = after(r.args, '--comment');
      const dst = after(r.args, '-d')?.replace(/\/32$/, '');
      const proto = after(r.args, '-p');
      const port = Number(after(r.args, '--dport'));
      if (!comment || !words.test(comment) || !dst || (proto !== 'tcp' && proto !== 'udp')) continue;
      if (!Number.isInteger(port) || port < 1 || port > 65535) continue;
      const key = comment.replace(words, '');
      const m = /^([^/\s]+)\/([^:\s]+):(\S*)$/.exec(key);
      if (!m) continue;
      out.push({
        key,
        namespace: m[1]!,
        name: m[2]!,
        portName: m[3]!,
        clusterIp: dst,
        proto,
        port,
        where: ns.ref,
      });
    }
  }
  for (const t of ns.ns.firewall?.nftables ?? []) out.push(...nftServicePorts(t, ns.ref));
  return out;
}

const allServicePorts = (index: SnapshotIndex): readonly KubeServicePort[] =>
  index.snapshot.kubernetes ? apiServicePorts(index.snapshot.kubernetes) : index.namespaces.flatMap(servicesIn);

/**
 * Every Service port of the snapshot, computed once per index: the Kubernetes API's where the
 * collection had a kubeconfig, else those kube-proxy's iptables or nftables rules name anywhere.
 * The CLI, the API and the dashboard resolve `namespace/service:port` through this one list.
 */
export function kubeServicePorts(index: SnapshotIndex): readonly KubeServicePort[] {
  return index.derive(allServicePorts);
}

/** Whether a trace destination names a Service (`namespace/name:port`) rather than an IP. */
export const isServiceName = (to: string): boolean => to.includes('/');

/**
 * The Service port `namespace/name:port` names (port: kube-proxy's port name, or the port
 * number), as programmed on `host` (where the trace starts) or else on any host; undefined when
 * none, or when more than one differ.
 */
export function findServicePort(index: SnapshotIndex, text: string, host: string): KubeServicePort | undefined {
  const m = /^([^/\s]+)\/([^:\s]+)(?::(\S+))?$/.exec(text);
  if (!m) return undefined;
  const [, namespace, name, port] = m;
  const matches = kubeServicePorts(index).filter(
    (s) =>
      s.namespace === namespace &&
      s.name === name &&
      (port === undefined || s.portName === port || String(s.port) === port),
  );
  const here = matches.filter((s) => s.where?.host === host);
  const pick = here.length > 0 ? here : matches;
  const distinct = new Set(pick.map((s) => `${s.clusterIp} ${s.proto} ${s.port}`));
  return distinct.size === 1 ? pick[0] : undefined;
}
