import { BROADCAST_MAC, icmpEcho, type Frame, type IcmpEcho } from '../trace/packet.ts';
import { ovsTopology, type OvsPortEntry } from '../topology/ovsPorts.ts';
import type { LinkEntry, SnapshotIndex } from '../topology/snapshotIndex.ts';
import { ovsFlow, type OvsQuery } from './ovsFlow.ts';

/** An endpoint on a switch: its port, MAC and IPv4 address. */
interface End {
  readonly port: OvsPortEntry;
  readonly ofport: number;
  readonly mac: string;
  readonly ip: string;
}

/**
 * The packets users trace most through a host's switches, to record OVS's answers for at
 * collection: for every pod port and every management port (an internal port holding an address,
 * OVN-K's `ovn-k8s-mp0`), ARP and its answer each way, an echo request and its reply each way, and the pod's ARP for
 * its default gateway. The pod's side is its veth peer (its eth0): the MAC and address it sends with.
 */
export function ovsProbes(index: SnapshotIndex, host: string): OvsQuery[] {
  const queries = new Map<string, OvsQuery>();
  const add = (sw: string, inPort: number, frame: Frame): void => {
    const f = ovsFlow(inPort, frame);
    if ('unknown' in f) return;
    const q = { host, bridge: sw, flow: f.flow, ...(f.ctNext === undefined ? {} : { ctNext: f.ctNext }) };
    queries.set(`${q.flow}\u0000${q.ctNext ?? ''}\u0000${sw}`, q);
  };
  for (const sw of ovsTopology(index).switches) {
    if (sw.host.name !== host) continue;
    const mgmt: End[] = [];
    const pods: (End & { readonly gateway?: string })[] = [];
    for (const port of sw.ports) {
      const { link, iface } = port;
      if (!link || iface.ofport === undefined) continue;
      if (port.internal && iface.name !== sw.bridge.name) {
        const ip = ipv4Of(link);
        if (ip && link.link.mac) mgmt.push({ port, ofport: iface.ofport, mac: link.link.mac, ip });
        continue;
      }
      const peer = link.link.kind === 'veth' && link.link.peer ? index.link(link.link.peer) : undefined;
      const ip = peer && ipv4Of(peer);
      if (!peer?.link.mac || !ip) continue;
      const gw = peer.netns.ns.routes.find((r) => r.dst === 'default' && r.family !== 'inet6' && r.gateway)?.gateway;
      pods.push({ port, ofport: iface.ofport, mac: peer.link.mac, ip, ...(gw === undefined ? {} : { gateway: gw }) });
    }
    const name = sw.bridge.name;
    for (const pod of pods) {
      for (const m of mgmt) {
        add(name, pod.ofport, arp(pod, m.ip));
        add(name, m.ofport, arp(m, pod.ip));
        add(name, m.ofport, arpAnswer(m, pod));
        add(name, pod.ofport, arpAnswer(pod, m));
        for (const type of ['echo-request', 'echo-reply'] as const) {
          add(name, pod.ofport, echo(pod, m, type));
          add(name, m.ofport, echo(m, pod, type));
        }
      }
      if (pod.gateway !== undefined && !mgmt.some((m) => m.ip === pod.gateway))
        add(name, pod.ofport, arp(pod, pod.gateway));
    }
  }
  return [...queries.values()];
}

const arp = (from: End, dst: string): Frame => ({
  srcMac: from.mac,
  dstMac: BROADCAST_MAC,
  packet: { kind: 'arp', src: from.ip, dst },
});

/** `from`'s answer to `to`'s ARP request for it. */
const arpAnswer = (from: End, to: End): Frame => ({
  srcMac: from.mac,
  dstMac: to.mac,
  packet: { kind: 'arp', op: 'reply', src: from.ip, dst: to.ip, sha: from.mac, tha: to.mac },
});

const echo = (from: End, to: End, type: IcmpEcho['type']): Frame => ({
  srcMac: from.mac,
  dstMac: to.mac,
  packet: icmpEcho({ src: from.ip, dst: to.ip, type }),
});

function ipv4Of(le: LinkEntry): string | undefined {
  return le.netns.ns.addresses.find((a) => a.ifindex === le.link.ifindex && a.family === 'inet' && a.scope === 'global')
    ?.address;
}
