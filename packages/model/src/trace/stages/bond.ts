import { netnsPath } from '../../ids.ts';
import type { LinkEntry } from '../../topology/snapshotIndex.ts';
import type { Outcome } from '../outcome.ts';
import type { Frame } from '../packet.ts';
import type { Walk } from '../walk.ts';

const mode = (bond: LinkEntry): string | undefined =>
  bond.link.kindData?.kind === 'bond' ? bond.link.kindData.mode : undefined;
const state = (slave: LinkEntry): string | undefined =>
  slave.link.slave?.kind === 'bond' ? slave.link.slave.state : undefined;

/**
 * A bond sends (`bond_start_xmit`, drivers/net/bonding): active-backup by its active slave,
 * broadcast by every slave; the other modes pick a slave by a hash of the flow or in turn, which a
 * snapshot cannot tell, so the walk is unknown there unless the bond has a single slave.
 */
export function bondXmit(w: Walk, bond: LinkEntry, frame: Frame): Outcome {
  const slaves = w.index.portsOf(bond);
  const m = mode(bond);
  const hop = (to: LinkEntry, why: string): void =>
    w.hop({
      ns: bond.netns,
      link: bond,
      component: 'bond',
      action: 'forwarded',
      verdict: 'ok',
      reason: `${why}: out of ${to.link.name} (${netnsPath(to.ref)})`,
    });
  const stop = (verdict: 'dropped' | 'unknown', reason: string): Outcome =>
    w.stop({ ns: bond.netns, link: bond, component: 'bond', verdict, reason });
  if (slaves.length === 0) return stop('dropped', `bond ${bond.link.name} has no slaves`);
  if (m === 'broadcast') {
    // A copy out of a slave that hoplens cannot follow might be the one taken: then no drop is certain.
    let unknown = false;
    for (const s of slaves) {
      hop(s, 'broadcast mode');
      const r = w.transmit(s, frame);
      if (r.verdict === 'delivered') return r;
      unknown ||= r.verdict === 'unknown';
    }
    return w.end(unknown ? 'unknown' : 'dropped');
  }
  if (m === 'active-backup') {
    const active = slaves.find((s) => state(s) === 'active');
    const untold = slaves.filter((s) => state(s) === undefined).map((s) => s.link.name);
    if (!active && untold.length > 0)
      return stop(
        'unknown',
        `which slave of bond ${bond.link.name} (active-backup) is active was not collected (${untold.join(', ')}): the frame would leave by the active one, and be dropped if none is`,
      );
    if (!active) return stop('dropped', `bond ${bond.link.name} (active-backup) has no active slave`);
    hop(active, 'active-backup: the active slave');
    return w.transmit(active, frame);
  }
  if (slaves.length === 1) {
    hop(slaves[0]!, `${m ?? 'unknown'} mode, one slave`);
    return w.transmit(slaves[0]!, frame);
  }
  return stop(
    'unknown',
    `bond ${bond.link.name} in ${m ?? 'an uncollected'} mode spreads frames over ${slaves.length} slaves by a hash or in turn: which one this frame leaves by cannot be told`,
  );
}

/**
 * A frame arrives at a bond slave (`bond_handle_frame`): an active slave hands it to the bond; an
 * inactive one (active-backup's backup) passes it only to handlers bound to that very device, so
 * the stack never sees it (UNHANDLED_PROTO).
 */
export function bondRx(w: Walk, bond: LinkEntry, slave: LinkEntry, frame: Frame): Outcome {
  if (mode(bond) === 'active-backup' && state(slave) === 'backup') {
    return w.stop({
      ns: slave.netns,
      link: slave,
      component: 'bond',
      verdict: 'dropped',
      reason: `${slave.link.name} is the backup slave of ${bond.link.name} (active-backup): what arrives there is not passed up`,
      dropReason: 'UNHANDLED_PROTO',
    });
  }
  w.hop({
    ns: slave.netns,
    link: slave,
    component: 'bond',
    action: 'forwarded',
    verdict: 'ok',
    reason: `${slave.link.name} is a slave of ${bond.link.name}`,
  });
  return w.receive(bond, frame);
}
