import type { LinkEntry } from '../../topology/snapshotIndex.ts';
import type { Outcome } from '../outcome.ts';
import type { Frame, IpPacket, Packet } from '../packet.ts';
import type { Walk } from '../walk.ts';
import { ipFamily } from './ipLocal.ts';
import { nfHook, stopped } from './netfilter.ts';

/** Which bridge hook: NF_BR_PRE_ROUTING, LOCAL_IN, FORWARD, LOCAL_OUT, POST_ROUTING. */
export type BridgeHook = 'prerouting' | 'input' | 'forward' | 'output' | 'postrouting';

/**
 * A bridge hook for a frame: the bridge family's nftables chains (their `iif`/`oif` are the
 * ports), then — when br_netfilter is loaded and `bridge-nf-call-iptables` (`-ip6tables`) is on,
 * for a frame bridged in from a port (`ipHooks`) — the IPv4 or IPv6 hook of the same name, as
 * br_netfilter calls it: in and out are the bridge device, `physdev` the ports. Returns the frame
 * (its packet's mark and conntrack state as the hooks left them) or where it stopped.
 */
export function bridgeHook(
  w: Walk,
  bridge: LinkEntry,
  hook: BridgeHook,
  frame: Frame,
  ports: { readonly in?: LinkEntry | undefined; readonly out?: LinkEntry | undefined },
  ipHooks: boolean,
): Frame | Outcome {
  const ns = bridge.netns;
  const br = nfHook(w, ns, 'bridge', hook, frame.packet, { iif: ports.in, oif: ports.out, frame });
  if (stopped(br)) return br;
  let packet: Packet = br;
  if (ipHooks && packet.kind === 'ip' && hook !== 'input' && hook !== 'output' && callsIpHooks(bridge, packet)) {
    const ip = nfHook(w, ns, ipFamily(packet), hook, packet, {
      iif: hook === 'postrouting' ? undefined : bridge,
      oif: hook === 'prerouting' ? undefined : bridge,
      physIn: ports.in,
      physOut: ports.out,
      frame,
    });
    if (stopped(ip)) return ip;
    packet = ip;
  }
  return { ...frame, packet };
}

/** Does br_netfilter hand this packet to the IP hooks (module loaded and the sysctl on)? */
export function callsIpHooks(bridge: LinkEntry, pkt: IpPacket): boolean {
  const s = bridge.netns.ns.sysctls;
  const v = ipFamily(pkt) === 'ipv4' ? s?.bridgeNfCallIptables : s?.bridgeNfCallIp6tables;
  return v !== undefined && v !== 0;
}

export const frameStopped = (r: Frame | Outcome): r is Outcome => 'verdict' in r;
