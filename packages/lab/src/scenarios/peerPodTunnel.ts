import { ip } from './labCommands.ts';
import { tcRedirect } from './tcRedirect.ts';

/** A neighbour entry cloud-api-adaptor copies from the worker's pod into the pod VM's podns. */
export interface PinnedNeighbour {
  readonly ip: string;
  readonly mac: string;
}

/**
 * A peer pod's tunnel (DESIGN §1): vxlan1 made in the worker root (so its UDP socket stays there)
 * and moved into the pod's netns, where tc joins it to the pod's eth0 both ways; vxlan0 made in the
 * pod VM root and moved into podns, which holds the pod IP, the pinned neighbours and the default
 * route. The optional faults are the seed's variants; the pod's eth0 is the caller's.
 */
export interface PeerPodTunnel {
  readonly worker: string;
  readonly pod: string;
  readonly vm: string;
  readonly podns: string;
  /** The underlay addresses the two tunnel ends send to, and the devices they leave by. */
  readonly workerIp: string;
  readonly vmIp: string;
  readonly workerDev: string;
  readonly vmDev: string;
  readonly vni: string;
  readonly podIp: string;
  /** The MAC vxlan0 gets: the pod's own when healthy. */
  readonly vmMac: string;
  readonly gateway: string;
  readonly neighbours: readonly PinnedNeighbour[];
  readonly faults?: {
    /** Where vxlan1 sends instead of the pod VM, without learning (a learnt entry would hide it). */
    readonly workerRemote?: string;
    readonly vmVni?: string;
    readonly vmPort?: string;
    readonly noRedirectBack?: boolean;
    /** eth0 redirects nothing into the tunnel: what reaches it stays in the worker's pod namespace. */
    readonly noRedirectOut?: boolean;
    /** eth0's redirect into the tunnel takes only this protocol (`arp`): the rest stays in the pod's namespace. */
    readonly redirectOnly?: string;
  };
}

/** `ip link add NAME type vxlan id VNI remote R dstport PORT dev DEV` inside a namespace. */
export function vxlanLink(ns: string, name: string, vni: string, remote: string, port: string, dev: string): string[] {
  return ip(ns, 'link', 'add', name, 'type', 'vxlan', 'id', vni, 'remote', remote, 'dstport', port, 'dev', dev);
}

/** The commands that build both tunnel ends, in the order cloud-api-adaptor plumbs them. */
export function peerPodTunnelCommands(t: PeerPodTunnel): string[][] {
  const f = t.faults ?? {};
  const workerEnd = vxlanLink(t.worker, 'vxlan1', t.vni, f.workerRemote ?? t.vmIp, '4789', t.workerDev);
  return [
    f.workerRemote === undefined ? workerEnd : [...workerEnd, 'nolearning'],
    ip(t.worker, 'link', 'set', 'vxlan1', 'netns', t.pod),
    ip(t.pod, 'link', 'set', 'vxlan1', 'up'),
    ...(f.noRedirectOut ? [] : tcRedirect(t.pod, 'eth0', 'vxlan1', f.redirectOnly)),
    ...(f.noRedirectBack ? [] : tcRedirect(t.pod, 'vxlan1', 'eth0')),
    vxlanLink(t.vm, 'vxlan0', f.vmVni ?? t.vni, t.workerIp, f.vmPort ?? '4789', t.vmDev),
    ip(t.vm, 'link', 'set', 'vxlan0', 'netns', t.podns),
    ip(t.podns, 'link', 'set', 'dev', 'vxlan0', 'address', t.vmMac),
    ip(t.podns, 'addr', 'add', `${t.podIp}/24`, 'dev', 'vxlan0'),
    ip(t.podns, 'link', 'set', 'lo', 'up'),
    ip(t.podns, 'link', 'set', 'vxlan0', 'up'),
    ...t.neighbours.map((n) =>
      ip(t.podns, 'neigh', 'replace', n.ip, 'lladdr', n.mac, 'dev', 'vxlan0', 'nud', 'permanent'),
    ),
    ip(t.podns, 'route', 'add', 'default', 'via', t.gateway, 'dev', 'vxlan0'),
  ];
}

/**
 * What cloud-api-adaptor writes on the pod VM for agent-protocol-forwarder (apf.json): the network
 * it intends for the pod — the healthy tunnel, whatever faults the lab then builds.
 */
export function peerPodIntent(t: PeerPodTunnel, podMac: string, pod: { namespace: string; name: string }): object {
  return {
    'pod-network': {
      podip: `${t.podIp}/24`,
      'pod-hw-addr': podMac,
      interface: 'vxlan0',
      'worker-node-ip': `${t.workerIp}/24`,
      'tunnel-type': 'vxlan',
      routes: [{ Dst: '0.0.0.0/0', GW: t.gateway, Dev: 'vxlan0', Protocol: 0, Scope: 0 }],
      mtu: 1500,
      index: 0,
      'vxlan-port': 4789,
      'vxlan-id': Number(t.vni),
      dedicated: false,
    },
    'pod-namespace': pod.namespace,
    'pod-name': pod.name,
  };
}
