import { netnsPath } from '../../ids.ts';
import { upperDevices } from '../../topology/upperDevices.ts';
import type { LinkEntry } from '../../topology/snapshotIndex.ts';
import type { Outcome } from '../outcome.ts';
import type { Frame } from '../packet.ts';
import type { Walk } from '../walk.ts';

const vlanId = (le: LinkEntry): number | undefined =>
  le.link.kindData?.kind === 'vlan' ? le.link.kindData.id : undefined;

/** A vlan sub-interface sends (`vlan_dev_hard_start_xmit`): the frame leaves its lower device tagged with its id. */
export function vlanXmit(w: Walk, le: LinkEntry, frame: Frame): Outcome {
  const lower = le.link.parent && w.index.link(le.link.parent);
  const id = vlanId(le);
  if (!lower || id === undefined) {
    const why = !lower ? 'lower device' : 'VLAN id';
    return w.stop({
      ns: le.netns,
      link: le,
      component: 'vlan',
      verdict: 'unknown',
      reason: `the ${why} of vlan ${le.link.name} was not collected: where the tagged frame goes cannot be told`,
    });
  }
  w.hop({
    ns: le.netns,
    link: le,
    component: 'vlan',
    action: 'forwarded',
    verdict: 'ok',
    reason: `tagged VLAN ${id}, out of ${lower.link.name} (${netnsPath(lower.ref)})`,
  });
  return w.transmit(lower, { ...frame, vlan: id });
}

/**
 * A tagged frame arrives (`vlan_do_receive`, before any rx_handler): the vlan device of that id on
 * the receiving device takes it untagged; without one the kernel marks it PACKET_OTHERHOST and it is
 * dropped — unless a bridge takes the device's frames, tags and all, or the tag is a priority tag
 * (VLAN 0), which the device takes as untagged. Undefined for an untagged frame,
 * or one a bridge takes.
 */
export function vlanRx(w: Walk, le: LinkEntry, frame: Frame): Outcome | undefined {
  if (frame.vlan === undefined) return undefined;
  const { vlan: id, ...untagged } = frame;
  const dev = upperDevices(w.index, le).find((u) => u.link.kind === 'vlan' && vlanId(u) === id);
  if (dev) {
    w.hop({
      ns: le.netns,
      link: le,
      component: 'vlan',
      action: 'forwarded',
      verdict: 'ok',
      reason: `VLAN ${id} belongs to ${dev.link.name}`,
    });
    return w.receive(dev, untagged);
  }
  const master = le.link.masterIfindex === undefined ? undefined : le.netns.linksByIndex.get(le.link.masterIfindex);
  if (master?.link.kind === 'bridge') return undefined;
  // A priority tag (VLAN 0) without a vlan device for it: the kernel takes the frame as untagged
  // (__netif_receive_skb_core's check_vlan_id; proven in collector/test/taggedFrame.netns.test.ts).
  if (id === 0) return undefined;
  return w.stop({
    ns: le.netns,
    link: le,
    component: 'vlan',
    verdict: 'dropped',
    reason: `the frame is tagged VLAN ${id}, and ${le.link.name} has no vlan device for it: marked PACKET_OTHERHOST, dropped`,
    dropReason: 'OTHERHOST',
  });
}
