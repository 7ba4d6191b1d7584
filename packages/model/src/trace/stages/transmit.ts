import type { Outcome } from '../outcome.ts';
import type { Frame } from '../packet.ts';
import type { Walk } from '../walk.ts';
import type { LinkEntry } from '../../topology/snapshotIndex.ts';
import { bridgeForward } from './bridge.ts';
import { nfHook, stopped } from './netfilter.ts';
import { bondXmit } from './bond.ts';
import { ipvlanXmit } from './ipvlan.ts';
import { macvlanXmit } from './macvlan.ts';
import { ovsIn, ovsPortOf } from './ovs.ts';
import { vlanXmit } from './vlan.ts';
import { tcClassify } from './tc.ts';
import { switchUnderlay } from './underlay.ts';
import { throughVeth } from './veth.ts';
import { encapsulate } from './vxlan.ts';

/**
 * A device transmits a frame (`dev_queue_xmit`): a device that is down takes nothing, the netdev
 * egress chains and tc egress filters run first; what the host sends out of an Open vSwitch internal
 * port enters the switch there; otherwise the device's own kind decides where the frame goes.
 */
export function transmit(w: Walk, le: LinkEntry, sent: Frame): Outcome {
  let frame = sent;
  if (!le.link.adminUp) {
    return w.stop({
      ns: le.netns,
      link: le,
      component: 'l2-receive',
      verdict: 'dropped',
      reason: `${le.link.name} is administratively down`,
    });
  }
  // The netdev family's egress chains run before tc egress (nf_hook_egress, then sch_handle_egress).
  const nf = nfHook(w, le.netns, 'netdev', 'egress', frame.packet, { oif: le, frame });
  if (stopped(nf)) return nf;
  // A hook without chains hands the packet back as it came: the frame stays the same object.
  if (nf !== frame.packet) frame = { ...frame, packet: nf };
  const tc = tcClassify(w, le, 'egress', frame);
  if (tc) return tc;
  const ovs = ovsPortOf(w.index, le);
  if (ovs?.internal) return ovsIn(w, le, ovs, frame);
  switch (le.link.kind) {
    case 'veth':
      return throughVeth(w, le, frame);
    case 'vxlan':
      return encapsulate(w, le, frame);
    case 'loopback':
      return w.receive(le, frame);
    case 'bridge':
      return bridgeForward(w, le, undefined, frame);
    case 'device':
      return switchUnderlay(w, le, frame);
    case 'macvlan':
    case 'macvtap':
      return macvlanXmit(w, le, frame);
    case 'ipvlan':
      return ipvlanXmit(w, le, frame);
    case 'vlan':
      return vlanXmit(w, le, frame);
    case 'bond':
      return bondXmit(w, le, frame);
    default:
      w.hop({
        ns: le.netns,
        link: le,
        component: 'underlay',
        action: 'forwarded',
        verdict: 'unknown',
        reason: `${le.link.name} (${le.link.kind}) leads outside the collected hosts`,
      });
      return w.end('unknown');
  }
}
