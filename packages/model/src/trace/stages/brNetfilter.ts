import type { LinkEntry } from '../../topology/snapshotIndex.ts';
import type { Outcome } from '../outcome.ts';
import type { Frame, IpPacket, Packet } from '../packet.ts';
import type { Walk } from '../walk.ts';
import { ipFamily } from './ipLocal.ts';
import { nfHook, stopped } from './netfilter.ts';
import { firewallOf } from '../../netfilter/firewallOf.ts';

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
  if (packet.kind === 'ip' && hook !== 'input' && hook !== 'output') {
    // Bridged in from a port (not only where the PREROUTING call was known to be made: with the
    // sysctl untold, that was not known either).
    const untold = ports.in === undefined ? undefined : untoldIpHook(w, bridge, hook, packet);
    if (untold) return untold;
    if (ipHooks && callsIpHooks(bridge, packet)) {
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
  }
  return { ...frame, packet };
}

/**
 * Where the namespace's sysctls were not collected, whether br_netfilter hands the packet to the IP
 * hook is not known (on by default in every namespace where the module is loaded); it matters only
 * where chains wait at that hook: then the walk stops unknown, naming the sysctl and both outcomes.
 */
function untoldIpHook(w: Walk, bridge: LinkEntry, hook: BridgeHook, pkt: IpPacket): Outcome | undefined {
  const ns = bridge.netns;
  if (ns.ns.sysctls !== undefined) return undefined;
  const family = ipFamily(pkt);
  const chains = firewallOf(w.index, ns)?.chainsAt(family, hook);
  if (!chains || chains.length === 0) return undefined;
  const name = family === 'ipv4' ? 'net.bridge.bridge-nf-call-iptables' : 'net.bridge.bridge-nf-call-ip6tables';
  return w.stop({
    ns,
    link: bridge,
    component: 'netfilter',
    verdict: 'unknown',
    reason: `${bridge.link.name} bridges the packet, and whether its ${family} ${hook} rules see it depends on ${name}, which was not collected: on (the default where br_netfilter is loaded), those rules decide; off, it is bridged unfiltered`,
  });
}

/** Does br_netfilter hand this packet to the IP hooks (module loaded and the sysctl on)? */
export function callsIpHooks(bridge: LinkEntry, pkt: IpPacket): boolean {
  const s = bridge.netns.ns.sysctls;
  const v = ipFamily(pkt) === 'ipv4' ? s?.bridgeNfCallIptables : s?.bridgeNfCallIp6tables;
  return v !== undefined && v !== 0;
}

export const frameStopped = (r: Frame | Outcome): r is Outcome => 'verdict' in r;
