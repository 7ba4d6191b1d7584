import { bridgeVlanAddCommand } from '../../fix/commands.ts';
import { sameMac } from '../../net/ip.ts';
import type { BridgeVlan } from '../../schema/inventory.ts';
import type { LinkEntry } from '../../topology/snapshotIndex.ts';
import type { Outcome } from '../outcome.ts';
import type { Frame } from '../packet.ts';
import type { Walk } from '../walk.ts';

/*
 * A bridge with vlan_filtering on (net/bridge/br_vlan.c). Each port, and the bridge's own port (its
 * stack, `self`), has a VLAN group: an untagged or priority-tagged frame entering joins the port's
 * PVID, or is dropped where there is none; a tagged one must be in the group. The fdb is looked up
 * per VLAN, a frame leaves only by ports whose group has its VLAN, with the tag taken off where the
 * VLAN is `untagged` there. Read from the 6.18 source (this lab's kernel is built without
 * CONFIG_BRIDGE_VLAN_FILTERING, so no verdict here could be checked against a running kernel).
 * Not modelled: per-VLAN STP state and MST (taken as forwarding: they are not collected), VLAN
 * tunnel ports, per-VLAN multicast snooping.
 */

/** Whether the bridge filters by VLAN: only where the kernel said so (snapshots before it was collected: off). */
export const vlanFiltering = (bridge: LinkEntry): boolean =>
  bridge.link.kindData?.kind === 'bridge' && bridge.link.kindData.vlanFiltering;

/** The VLAN entry for `vid` in a VLAN group (runs included). */
const entryFor = (group: readonly BridgeVlan[], vid: number): BridgeVlan | undefined =>
  group.find((v) => vid >= v.vid && vid <= (v.vidEnd ?? v.vid));

const pvidOf = (group: readonly BridgeVlan[]): number | undefined => group.find((v) => v.pvid)?.vid;

/** The text of a VLAN group, as `bridge vlan show` lists it. */
export function groupText(group: readonly BridgeVlan[]): string {
  if (group.length === 0) return 'no VLAN';
  const one = (v: BridgeVlan): string =>
    `${v.vid}${v.vidEnd === undefined ? '' : `-${v.vidEnd}`}${v.pvid ? ' PVID' : ''}${v.untagged ? ' untagged' : ''}`;
  return `VLANs ${group.map(one).join(', ')}`;
}

/** A port's name as `bridge vlan` takes it: the bridge's own port is `dev BRIDGE self`. */
const portName = (bridge: LinkEntry, port: LinkEntry): string =>
  port === bridge ? `${bridge.link.name} self` : port.link.name;

/**
 * `br_allowed_ingress`: the frame entering `port` (the bridge itself for what its stack sends,
 * `br_dev_xmit`) is put in its VLAN, carried as the frame's tag inside the bridge. Dropped where
 * the port has no PVID for an untagged frame or lacks the tagged VLAN (`__allowed_ingress` frees
 * it with kfree_skb: NOT_SPECIFIED); unknown where hoplens cannot tell. The frame unchanged where
 * the bridge does not filter.
 */
export function vlanIngress(w: Walk, bridge: LinkEntry, port: LinkEntry, frame: Frame): Frame | Outcome {
  if (!vlanFiltering(bridge)) return frame;
  const unknown = (reason: string): Outcome =>
    w.stop({ ns: bridge.netns, link: port, component: 'bridge', verdict: 'unknown', reason });
  const data = bridge.link.kindData?.kind === 'bridge' ? bridge.link.kindData : undefined;
  if (data?.vlanProtocol !== undefined && data.vlanProtocol !== '802.1Q') {
    return unknown(
      `${bridge.link.name} filters ${data.vlanProtocol} VLANs: hoplens models 802.1Q filtering only, so whether ${portName(bridge, port)} lets the frame in cannot be told`,
    );
  }
  const group = port.link.bridgeVlans;
  if (group === undefined) {
    return unknown(
      `${bridge.link.name} filters VLANs, and the VLANs of ${portName(bridge, port)} were not collected — carrying the frame's VLAN: it would go on; not: it would be dropped (NOT_SPECIFIED)`,
    );
  }
  const tagged = frame.vlan !== undefined && frame.vlan !== 0;
  const drop = (why: string, fixVid: number): Outcome =>
    w.stop({
      ns: bridge.netns,
      link: port,
      component: 'bridge',
      verdict: 'dropped',
      reason: `${bridge.link.name} filters VLANs and ${why}: the bridge drops the frame`,
      fix: bridgeVlanAddCommand(bridge.netns.ns, port.link.name, fixVid, { pvid: !tagged, self: port === bridge }),
      dropReason: 'NOT_SPECIFIED',
    });
  const vid = tagged ? frame.vlan : pvidOf(group);
  if (vid === undefined) {
    const other = peersVid(w, bridge, port);
    return drop(`${portName(bridge, port)} (${groupText(group)}) has no PVID for an untagged frame`, other ?? 1);
  }
  if (tagged && !entryFor(group, vid)) {
    return drop(
      `the frame is tagged VLAN ${vid}, which ${portName(bridge, port)} (${groupText(group)}) does not carry`,
      vid,
    );
  }
  // Let in: where it may leave depends on every other port's VLANs (and the bridge's own), and one
  // not collected would read as carrying none, a frame it takes as dropped.
  const untold = [bridge, ...w.index.portsOf(bridge)].find((p) => p !== port && p.link.bridgeVlans === undefined);
  if (untold) {
    return unknown(
      `${bridge.link.name} filters VLANs, and the VLANs of ${portName(bridge, untold)} were not collected: whether the frame may leave by it (or, for the bridge itself, reach its stack) cannot be told`,
    );
  }
  if (!w.silent)
    w.hop({
      ns: bridge.netns,
      link: port,
      component: 'bridge',
      action: 'forwarded',
      verdict: 'ok',
      reason: `${portName(bridge, port)} puts the ${tagged ? 'tagged' : 'untagged'} frame in VLAN ${vid} (${groupText(group)})`,
    });
  return { ...frame, vlan: vid };
}

/** The PVID most of the bridge's other ports use: what a port without one most likely lacks. */
function peersVid(w: Walk, bridge: LinkEntry, port: LinkEntry): number | undefined {
  const count = new Map<number, number>();
  for (const p of [bridge, ...w.index.portsOf(bridge)]) {
    const pvid = p === port ? undefined : pvidOf(p.link.bridgeVlans ?? []);
    if (pvid !== undefined) count.set(pvid, (count.get(pvid) ?? 0) + 1);
  }
  return [...count].sort((a, b) => b[1] - a[1])[0]?.[0];
}

/**
 * `br_allowed_egress`: whether a frame of the bridge's VLAN `frame.vlan` may leave by `out` (a
 * port, or the bridge itself for its own stack): its VLAN group must hold the VLAN. Always where
 * the bridge does not filter; the ingress check has already said unknown where any of the bridge's
 * groups was not collected.
 */
export function vlanEgressAllowed(bridge: LinkEntry, out: LinkEntry, frame: Frame): boolean {
  if (!vlanFiltering(bridge) || frame.vlan === undefined) return true;
  return entryFor(out.link.bridgeVlans ?? [], frame.vlan) !== undefined;
}

/** `br_handle_vlan`: the frame as it leaves `out`, its tag taken off where the VLAN is untagged there. */
export function vlanEgress(bridge: LinkEntry, out: LinkEntry, frame: Frame): Frame {
  if (!vlanFiltering(bridge) || frame.vlan === undefined) return frame;
  if (!entryFor(out.link.bridgeVlans ?? [], frame.vlan)?.untagged) return frame;
  return untag(frame);
}

const untag = ({ vlan: _vlan, ...frame }: Frame): Frame => frame;

/** Why the frame cannot leave by `out`, for a hop: the port's VLANs and the fix. */
export function egressRefusal(bridge: LinkEntry, out: LinkEntry, frame: Frame): { reason: string; fix: string } {
  const vid = frame.vlan!;
  return {
    reason: `${portName(bridge, out)} (${groupText(out.link.bridgeVlans ?? [])}) does not carry VLAN ${vid}`,
    fix: bridgeVlanAddCommand(bridge.netns.ns, out.link.name, vid, { pvid: true, self: out === bridge }),
  };
}

/**
 * The port an fdb entry of the frame's VLAN names for `mac` (`br_fdb_find_rcu(br, mac, vid)`):
 * a filtering bridge learns and looks up each MAC per VLAN, so an entry of another VLAN leads
 * nowhere. Undefined where there is none, or the bridge does not filter.
 */
export function vlanFdbPort(bridge: LinkEntry, mac: string, vid: number): LinkEntry | undefined {
  const e = (bridge.netns.ns.fdb ?? []).find(
    (x) =>
      x.master === bridge.link.name &&
      x.vlan === vid &&
      (x.state === 'dynamic' || x.state === 'static') &&
      sameMac(x.mac, mac),
  );
  const port = e && bridge.netns.linksByName.get(e.dev);
  return port && port.link.masterIfindex === bridge.link.ifindex ? port : undefined;
}
