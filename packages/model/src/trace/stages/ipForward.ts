import type { Outcome } from '../outcome.ts';
import type { IpPacket } from '../packet.ts';
import type { Walk } from '../walk.ts';
import { isLinkLocal6, parseIp } from '../../net/ip.ts';
import { onLinkAddress } from '../deviceSubnets.ts';
import type { LinkEntry } from '../../topology/snapshotIndex.ts';
import { confDev, ipv6Forwards } from '../netConf.ts';
import { forwardMtu } from './egressMtu.ts';
import { finishOutput } from './finishOutput.ts';
import { ipFamily } from './ipLocal.ts';
import { nfHook, stopped } from './netfilter.ts';
import { isOutcome, route } from './route.ts';
import { validateSource } from './validateSource.ts';

/**
 * A packet received for another address (`ip_forward` / `ip6_forward`): only forwarded where the
 * device it came in on forwards — IPv4 reads that device's `forwarding` (what `ip_forward` sets on
 * every device), IPv6 `conf.all.forwarding` or the device's `force_forwarding`. Then a lookup that
 * knows the device it came in on, and for IPv4 the source check against the route chosen; then the
 * MTU check of `ip_forward` / `ip6_forward` (before the hook), the FORWARD and POSTROUTING hooks.
 */
export function ipForward(w: Walk, iif: LinkEntry, pkt: IpPacket): Outcome {
  const ns = iif.netns;
  const v6 = pkt.dst.includes(':');
  const dev = confDev(iif, 'forwarding');
  const forwards = v6 ? ipv6Forwards(iif) : dev === undefined ? ns.ns.ipForward : dev !== 0;
  const what = v6 ? 'IPv6 forwarding (net.ipv6.conf.all.forwarding, or force_forwarding on the device)' : 'ip_forward';
  if (forwards === undefined) {
    return w.stop({
      ns,
      link: iif,
      component: 'routing',
      verdict: 'unknown',
      reason: `${pkt.dst} is not local here, and whether this namespace forwards (${what}) was not collected — forwarding on: it would be routed on; off: it would be dropped (IP_INADDRERRORS)`,
    });
  }
  if (!forwards) {
    const where =
      !v6 && dev === 0 && ns.ns.ipForward
        ? `forwarding is off on ${iif.link.name}, where it came in`
        : `${what} is off`;
    return w.stop({
      ns,
      link: iif,
      component: 'routing',
      verdict: 'dropped',
      reason: `${pkt.dst} is not local here and ${where}`,
      dropReason: 'IP_INADDRERRORS',
    });
  }
  const decision = route(w, ns, pkt, iif);
  if (isOutcome(decision)) return decision;
  const refused = validateSource(w, iif, pkt, decision.out);
  if (refused) return refused;
  redirected(w, iif, pkt, decision.out, decision.nexthop);
  const scoped = v6 ? beyondScope(w, iif, pkt, decision.out) : undefined;
  if (scoped) return scoped;
  const tooBig = forwardMtu(w, decision, pkt, iif);
  if (tooBig) return tooBig;
  const family = ipFamily(pkt);
  const fwd = nfHook(w, ns, family, 'forward', { ...pkt, src: decision.src }, { iif, oif: decision.out });
  if (stopped(fwd)) return fwd;
  const post = nfHook(w, ns, family, 'postrouting', fwd, { oif: decision.out });
  if (stopped(post)) return post;
  return finishOutput(w, decision, post, iif);
}

/**
 * `ip6_forward`: a packet from a link-local source never leaves its link. Routed out of another
 * device than it came in by, it is answered with ICMPv6 destination unreachable (beyond scope of
 * source address) and dropped at the same label as forwarding off; out of the same device (the
 * redirect branch) it is not checked.
 */
function beyondScope(w: Walk, iif: LinkEntry, pkt: IpPacket, out: LinkEntry): Outcome | undefined {
  const src = pkt.src === undefined ? undefined : parseIp(pkt.src);
  if (!src || !isLinkLocal6(src) || out === iif) return undefined;
  return w.stop({
    ns: iif.netns,
    link: iif,
    component: 'routing',
    verdict: 'dropped',
    reason:
      `the source ${pkt.src} is link-local: ${pkt.dst} is routed out of ${out.link.name}, off the link it came in by, ` +
      'so the kernel answers "destination unreachable: beyond scope of source address" and drops it',
    dropReason: 'IP_INADDRERRORS',
  });
}

/**
 * `__mkroute_input` and `ip_forward`: an IPv4 packet forwarded back out of the device it came in
 * on, from a sender on that device's link, makes the router send the sender an ICMP redirect to
 * the next hop (send_redirects, on by default); the sender, accepting it (accept_redirects, on by
 * default for a host), asks ARP for that next hop at once (`ip_do_redirect`) — a request that teaches
 * the next hop the sender's MAC. Neither sysctl is collected: noted for the reply (see neighbor).
 */
function redirected(w: Walk, iif: LinkEntry, pkt: IpPacket, out: LinkEntry, nexthop: string): void {
  // Only a trace's run keeps them: the rules' silent walks pay nothing here.
  const redirects = w.run.redirects;
  const src = pkt.src;
  if (!redirects || out !== iif || src === undefined || src.includes(':') || nexthop === src) return;
  if (onLinkAddress(iif, src)) redirects.set(src, nexthop);
}
