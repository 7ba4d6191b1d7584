import type { LinkEntry, NetnsEntry } from '../../topology/snapshotIndex.ts';
import type { Outcome } from '../outcome.ts';
import type { Frame, IpPacket } from '../packet.ts';
import type { Walk } from '../walk.ts';

/** The netfilter hooks NAT chains hang on. */
export type NatHook = 'prerouting' | 'input' | 'output' | 'postrouting';

/**
 * NAT at a netfilter hook, in a snapshot that lists the namespace's NAT chains (nftables base chains
 * of type nat, iptables-nft's nat table) but not their rules — one collected before hoplens read
 * firewalls. A packet that opens a connection may be rewritten there; a connection's later packets
 * only follow that first decision. Without the rules the walk cannot say what NAT does, so it stops
 * `unknown` there, naming the chains — a verdict past them could be wrong. Where the firewall was
 * collected, the netfilter evaluator runs those chains rule by rule (natApply.ts rewrites).
 */
export function natHook(w: Walk, ns: NetnsEntry, pkt: IpPacket, hook: NatHook, link?: LinkEntry): Outcome | undefined {
  // Where the firewall was collected, the netfilter evaluator runs the NAT chains rule by rule (a
  // NAT target it meets is unknown there, naming the rule): this coarse stop is for the others.
  if (pkt.ct !== 'new' || !ns.ns.natChains?.length || ns.ns.firewall) return undefined;
  const family = pkt.dst.includes(':') ? 'ip6' : 'ip';
  const chains = ns.ns.natChains.filter((c) => c.hook === hook && (c.family === family || c.family === 'inet'));
  if (chains.length === 0) return undefined;
  const names = chains.map((c) => `${c.family} ${c.table} ${c.chain}`).join(', ');
  return w.stop({
    ns,
    ...(link ? { link } : {}),
    component: 'nat',
    verdict: 'unknown',
    reason: `NAT: ${names} may rewrite this packet at ${hook}, and this snapshot holds no firewall rules to tell how (collected before hoplens read them: collect again)`,
  });
}

/**
 * A bridge passing an IP frame between its ports: with br_netfilter's bridge-nf-call-iptables (or
 * -ip6tables) on in its namespace, the frame meets the IP hooks — NAT's PREROUTING and POSTROUTING
 * among them — as if routed.
 */
export function bridgedNat(w: Walk, bridge: LinkEntry, frame: Frame): Outcome | undefined {
  const pkt = frame.packet;
  if (pkt.kind !== 'ip') return undefined;
  const s = bridge.netns.ns.sysctls;
  if (!(pkt.dst.includes(':') ? s?.bridgeNfCallIp6tables : s?.bridgeNfCallIptables)) return undefined;
  return natHook(w, bridge.netns, pkt, 'prerouting', bridge) ?? natHook(w, bridge.netns, pkt, 'postrouting', bridge);
}
