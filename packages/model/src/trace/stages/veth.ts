import { netnsPath } from '../../ids.ts';
import type { LinkEntry } from '../../topology/snapshotIndex.ts';
import type { Outcome } from '../outcome.ts';
import { scrubbed, sizeOf, VLAN_HLEN, type Frame } from '../packet.ts';
import type { Walk } from '../walk.ts';

/**
 * A veth hands the frame to its peer (`veth_xmit` → `__dev_forward_skb`): the peer takes frames up
 * to its MTU plus a VLAN header (`is_skb_forwardable`). A peer on another host stands for a wire.
 */
export function throughVeth(w: Walk, le: LinkEntry, frame: Frame): Outcome {
  const peer = le.link.peer && w.index.link(le.link.peer);
  if (!peer) {
    // A veth never lives without its peer (deleting either end deletes both; only a teardown in
    // progress drops in veth_xmit): one missing here was not collected, never a confident drop.
    const named = le.link.peer;
    const where = !named
      ? `its namespace was not found in this snapshot (ifindex ${le.link.peerIfindex ?? 'unknown'})`
      : w.index.netns(named)
        ? `${netnsPath(named)} was collected without an interface of ifindex ${named.ifindex}`
        : `its namespace ${netnsPath(named)} was not collected`;
    return w.stop({
      ns: le.netns,
      link: le,
      component: 'veth',
      verdict: 'unknown',
      reason: `the veth peer of ${le.link.name} is not in this snapshot — ${where}: where the frame goes cannot be told`,
    });
  }
  const size = sizeOf(frame.packet);
  if (size > peer.link.mtu + VLAN_HLEN) {
    return w.stop({
      ns: peer.netns,
      link: peer,
      component: 'veth',
      verdict: 'dropped',
      reason: `a ${size}-byte packet from ${le.link.name} (MTU ${le.link.mtu}) exceeds the MTU ${peer.link.mtu} of its peer ${peer.link.name}: dropped on receive`,
      // __dev_forward_skb2 frees it without a reason.
      dropReason: 'NOT_SPECIFIED',
    });
  }
  if (!w.silent)
    w.hop({
      ns: le.netns,
      link: le,
      component: peer.ref.host !== le.ref.host ? 'underlay' : 'veth',
      action: 'forwarded',
      verdict: 'ok',
      reason: `${le.link.name} → ${peer.link.name} (${netnsPath(peer.ref)})`,
    });
  return w.receive(peer, peer.netns === le.netns ? frame : scrubbed(frame));
}
