import { isBroadcastMac, isMulticastMac, sameMac } from '../../net/ip.ts';
import { setMacCommand } from '../../fix/commands.ts';
import type { LinkEntry } from '../../topology/snapshotIndex.ts';
import type { Outcome } from '../outcome.ts';
import type { Frame } from '../packet.ts';
import type { Walk } from '../walk.ts';
import { bridgeIn } from './bridge.ts';
import { deliverUp } from './deliverUp.ts';
import { bondRx } from './bond.ts';
import { ipvlanRx } from './ipvlan.ts';
import { macvlanRx } from './macvlan.ts';
import { mayBeUnreadOvsPort, ovsIn, ovsPortOf, ovsUnreadWords } from './ovs.ts';
import { UNTOLD_COPY } from './untoldCopy.ts';
import { vlanRx } from './vlan.ts';
import { nfHook, stopped } from './netfilter.ts';
import { tcClassify } from './tc.ts';

/**
 * A device receives a frame (`__netif_receive_skb_core`): a device that is down takes nothing; tc
 * ingress runs before anything else (a redirected frame never meets the MAC check), then the netdev
 * family's ingress chains; a bridge port hands every frame to its bridge (rx_handler, as an Open
 * vSwitch port to its switch); otherwise the destination MAC must be the device's, broadcast or
 * multicast — else the kernel marks the frame PACKET_OTHERHOST (eth_type_trans) and the protocol
 * drops it (ip_rcv, ipv6_rcv; arp_rcv consumes it). Promiscuous mode changes none of that: it only
 * lets such frames in for packet sockets (tcpdump) and rx_handlers.
 */
export function receive(w: Walk, le: LinkEntry, arrived: Frame, host = false): Outcome {
  // eth_type_trans sets the frame's pkt_type afresh on every device that receives it.
  let frame = arrived.switched ? unswitched(arrived) : arrived;
  w.lastReceiver = le;
  if (!le.link.adminUp) {
    return w.stop({
      ns: le.netns,
      link: le,
      component: 'l2-receive',
      verdict: 'dropped',
      reason: `${le.link.name} is administratively down`,
    });
  }
  const tc = tcClassify(w, le, 'ingress', frame);
  if (tc) return tc;
  // The netdev family's ingress chains run right after tc ingress (nf_ingress).
  const nf = nfHook(w, le.netns, 'netdev', 'ingress', frame.packet, { iif: le, frame });
  if (stopped(nf)) return nf;
  // A hook without chains hands the packet back as it came: the frame stays the same object.
  if (nf !== frame.packet) frame = { ...frame, packet: nf };
  const handled = rxHandler(w, le, frame);
  if (handled === undefined) return kept(w, le, frame, host);
  if (handled !== UNTOLD_COPY) return handled;
  // A copy the walk could not follow might be the one answered: the device's own drop is then no certain one.
  const own = kept(w, le, frame, host);
  return own.verdict === 'dropped' ? w.end('unknown') : own;
}

/** The device keeps the frame (no rx_handler took it): its MAC check, then up the stack. */
function kept(w: Walk, le: LinkEntry, frame: Frame, host: boolean): Outcome {
  const dst = frame.dstMac;
  const forMe = host || sameMac(dst, le.link.mac) || isBroadcastMac(dst) || isMulticastMac(dst);
  if (!forMe) {
    return w.stop({
      ns: le.netns,
      link: le,
      component: 'l2-receive',
      verdict: 'dropped',
      reason: `frame for ${dst} arrives at ${le.link.name}, whose MAC is ${le.link.mac ?? 'none'}: the kernel marks it PACKET_OTHERHOST and drops it`,
      fix: le.link.mac ? setMacCommand(le.netns.ns, le.link.name, dst) : undefined,
      dropReason: 'OTHERHOST',
    });
  }
  if (!w.silent)
    w.hop({
      ns: le.netns,
      link: le,
      component: 'l2-receive',
      action: 'forwarded',
      verdict: 'ok',
      reason: `${le.link.name} accepts the frame for ${dst}`,
    });
  return deliverUp(w, le, frame);
}

/**
 * A tagged frame's vlan device first (`vlan_do_receive`), then the device's rx_handler, which sees
 * every frame before the protocols do: a bridge port's bridge, a bond slave's bond, an Open vSwitch
 * port's switch (as OVSDB names it: on the userspace datapath the kernel shows no master), the
 * macvlans or ipvlans stacked on a lower device. Undefined where the device keeps the frame.
 */
function rxHandler(w: Walk, le: LinkEntry, frame: Frame): Outcome | typeof UNTOLD_COPY | undefined {
  const tagged = vlanRx(w, le, frame);
  if (tagged) return tagged;
  const master = le.link.masterIfindex === undefined ? undefined : le.netns.linksByIndex.get(le.link.masterIfindex);
  if (master?.link.kind === 'bridge') return bridgeIn(w, master, le, frame);
  if (master?.link.kind === 'bond') return bondRx(w, master, le, frame);
  const ovs = ovsPortOf(w.index, le);
  if (ovs && !ovs.internal) return ovsIn(w, le, ovs, frame);
  // A port of Open vSwitch's kernel datapath (master ovs-system): its rx_handler (netdev_frame_hook)
  // takes every frame, so without the switch's own account of the port nothing can be said.
  if (master?.link.kind === 'openvswitch')
    return w.stop({
      ns: le.netns,
      link: le,
      component: 'ovs',
      verdict: 'unknown',
      reason: `${le.link.name} is a port of the Open vSwitch datapath ${master.link.name}, and this snapshot has no Open vSwitch port for it (the host's OVS was not collected, or does not name it): what the switch does with the frame cannot be told`,
    });
  // On Open vSwitch's userspace datapath (its ovs-netdev device beside) ports show no master:
  // where the host's Open vSwitch was not collected, any device without one may be a port.
  if (!master && mayBeUnreadOvsPort(le))
    return w.stop({
      ns: le.netns,
      link: le,
      component: 'ovs',
      verdict: 'unknown',
      reason: `${le.link.name} may be a port of Open vSwitch's userspace datapath (ovs-netdev is beside it, and its ports show no master), and ${ovsUnreadWords(le)}: what the switch does with the frame cannot be told`,
    });
  return macvlanRx(w, le, frame) ?? ipvlanRx(w, le, frame);
}

function unswitched({ switched: _switched, ...frame }: Frame): Frame {
  return frame;
}
