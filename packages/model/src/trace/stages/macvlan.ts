import { netnsPath } from '../../ids.ts';
import { isBroadcastMac, isMulticastMac, sameMac } from '../../net/ip.ts';
import { isMacvlan, macvlanMode, upperDevices } from '../../topology/upperDevices.ts';
import type { LinkEntry } from '../../topology/snapshotIndex.ts';
import type { Outcome } from '../outcome.ts';
import type { Frame } from '../packet.ts';
import type { Walk } from '../walk.ts';
import { UNTOLD_COPY } from './untoldCopy.ts';

/** The modes a broadcast reaches, by the mode of the macvlan that sent it (`macvlan_process_broadcast`). */
function floodModes(srcMode: string | undefined): readonly string[] {
  if (srcMode === undefined) return ['private', 'vepa', 'passthru', 'bridge'];
  return srcMode === 'vepa' ? ['vepa', 'bridge'] : ['vepa'];
}

/**
 * A macvlan device transmits (`macvlan_queue_xmit`, drivers/net/macvlan.c): in bridge mode a frame
 * for another bridge-mode macvlan of the same lower device goes straight to it (through the lower
 * device's receive path), and a broadcast reaches the other bridge-mode ones before it leaves;
 * everything else leaves by the lower device. The lower device itself never receives what its
 * macvlans send: a parent cannot reach its children. Where the sender's mode, or a sibling's, was
 * not collected and the frame is for that sibling, whether it goes straight there or leaves by the
 * lower device is what decides: the walk stops unknown, naming the mode.
 */
export function macvlanXmit(w: Walk, le: LinkEntry, frame: Frame): Outcome {
  const lower = le.link.parent && w.index.link(le.link.parent);
  const mode = macvlanMode(le);
  if (!lower) {
    return w.stop({
      ns: le.netns,
      link: le,
      component: 'macvlan',
      verdict: 'unknown',
      reason: `the lower device of macvlan ${le.link.name} was not collected: where the frame goes cannot be told`,
    });
  }
  const hop = (reason: string): void =>
    w.hop({ ns: le.netns, link: le, component: 'macvlan', action: 'forwarded', verdict: 'ok', reason });
  const where = `${lower.link.name} (${netnsPath(lower.ref)})`;
  // A copy to a sibling that hoplens cannot follow might be the one taken: then no drop is certain.
  let unknown = false;
  const broadcast = isBroadcastMac(frame.dstMac) || isMulticastMac(frame.dstMac);
  const others = upperDevices(w.index, lower).filter((u) => u !== le && isMacvlan(u));
  // Siblings that bridge mode would switch to, but whose pairing with this sender is not known: every
  // possible bridge-mode one where this sender's mode was not collected, else those of unknown mode.
  const untold =
    mode === 'bridge' || mode === undefined
      ? others.filter((u) => macvlanMode(u) === undefined || (mode === undefined && macvlanMode(u) === 'bridge'))
      : [];
  // A broadcast whose copies to such siblings would be the ones taken (an ARP request for one of them).
  let untoldCopies: string | undefined;
  if (broadcast) {
    const labels = untold.map(siblingLabel).join(', ');
    const whose = mode === undefined ? `macvlan ${le.link.name} (${netnsPath(le.ref)})` : labels;
    if (untold.length > 0)
      untoldCopies =
        `the mode of ${whose} was not collected: whether this broadcast also goes straight to ${labels} ` +
        'is not known (with both in bridge mode it would; otherwise it only leaves by the lower device)';
  } else {
    const sibling = untold.find((s) => sameMac(s.link.mac, frame.dstMac));
    if (sibling) return untoldSibling(w, le, sibling, where);
  }
  if (mode === 'bridge') {
    const siblings = others.filter((u) => macvlanMode(u) === 'bridge');
    if (broadcast) {
      hop(`bridge mode: a broadcast reaches the other bridge-mode macvlans of ${where}, then leaves by it`);
      for (const s of siblings) {
        const r = w.receive(s, frame);
        if (r.verdict === 'delivered') return r;
        unknown ||= r.verdict === 'unknown';
      }
    } else {
      const dest = siblings.find((s) => sameMac(s.link.mac, frame.dstMac));
      if (dest) {
        hop(
          `bridge mode: ${frame.dstMac} is macvlan ${dest.link.name} (${netnsPath(dest.ref)}) of the same lower device ${where}`,
        );
        return w.receive(lower, frame);
      }
    }
  }
  if (mode !== 'bridge') hop(`${mode ?? 'unknown'} mode: leaves by its lower device ${where}`);
  else if (!broadcast) hop(`no bridge-mode macvlan of ${where} has ${frame.dstMac}: leaves by ${lower.link.name}`);
  const out = w.transmit(lower, frame);
  if (untoldCopies && out.verdict === 'dropped')
    return w.stop({ ns: le.netns, link: le, component: 'macvlan', verdict: 'unknown', reason: untoldCopies });
  return unknown && out.verdict === 'dropped' ? w.end('unknown') : out;
}

/** A frame for a sibling macvlan where a mode that decides whether it goes straight there was not collected. */
function untoldSibling(w: Walk, le: LinkEntry, sibling: LinkEntry, where: string): Outcome {
  const notCollected = [le, sibling]
    .filter((u) => macvlanMode(u) === undefined)
    .map((u) => `macvlan ${u.link.name} (${netnsPath(u.ref)})`);
  return w.stop({
    ns: le.netns,
    link: le,
    component: 'macvlan',
    verdict: 'unknown',
    reason:
      `the mode of ${notCollected.join(' and of ')} was not collected: whether the frame for ${siblingLabel(sibling)} ` +
      `goes straight to it is not known — with both in bridge mode it would; in private, vepa or passthru ` +
      `mode it would leave by the lower device ${where} and come back only if the switch there returns it`,
  });
}

const siblingLabel = (sibling: LinkEntry): string =>
  `${sibling.link.mac ?? '?'} (macvlan ${sibling.link.name}, ${netnsPath(sibling.ref)})`;

/**
 * A frame arrives at a device macvlans are stacked on (`macvlan_handle_frame`, the lower device's
 * rx_handler). A broadcast goes to the macvlans its sender's mode allows — back to the sender alone
 * when a private or passthru macvlan sent it — and to the lower device too. A unicast frame goes to
 * the macvlan with its destination MAC (the only one in passthru mode), else to the lower device.
 * Returns undefined where the lower device keeps the frame, UNTOLD_COPY where it keeps a broadcast
 * a macvlan's copy of which could not be told (then the lower device's drop is no certain drop).
 */
export function macvlanRx(w: Walk, lower: LinkEntry, frame: Frame): Outcome | typeof UNTOLD_COPY | undefined {
  const uppers = upperDevices(w.index, lower).filter(isMacvlan);
  if (uppers.length === 0) return undefined;
  const hop = (to: LinkEntry, reason: string): void =>
    w.hop({
      ns: lower.netns,
      link: lower,
      component: 'macvlan',
      action: 'forwarded',
      verdict: 'ok',
      reason: `${reason} ${to.link.name} (${netnsPath(to.ref)})`,
    });
  if (isBroadcastMac(frame.dstMac) || isMulticastMac(frame.dstMac)) {
    const src = uppers.find((u) => sameMac(u.link.mac, frame.srcMac));
    const srcMode = src && macvlanMode(src);
    if (src && srcMode !== 'vepa' && srcMode !== 'bridge') return w.receive(src, frame, true);
    const modes = floodModes(srcMode);
    let unknown = false;
    for (const u of uppers) {
      if (u === src || !modes.includes(macvlanMode(u) ?? '')) continue;
      const r = w.receive(u, frame, true);
      if (r.verdict === 'delivered') return r;
      unknown ||= r.verdict === 'unknown';
    }
    return unknown ? UNTOLD_COPY : undefined;
  }
  const passthru = uppers.find((u) => macvlanMode(u) === 'passthru');
  const dest = passthru ?? uppers.find((u) => sameMac(u.link.mac, frame.dstMac));
  if (!dest) return undefined;
  if (!dest.link.adminUp) {
    return w.stop({
      ns: dest.netns,
      link: dest,
      component: 'macvlan',
      verdict: 'dropped',
      reason: `macvlan ${dest.link.name} has ${frame.dstMac} but is administratively down`,
      dropReason: 'NOT_SPECIFIED',
    });
  }
  hop(dest, `${frame.dstMac} belongs to ${passthru ? 'passthru ' : ''}macvlan`);
  return w.receive(dest, frame, true);
}
