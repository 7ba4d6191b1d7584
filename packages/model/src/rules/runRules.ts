import type { Finding } from '../schema/finding.ts';
import type { SnapshotIndex } from '../topology/snapshotIndex.ts';
import { arpUnanswered } from './arpUnanswered.ts';
import { conntrackNearFull } from './conntrackNearFull.ts';
import { duplicateIp } from './duplicateIp.ts';
import { duplicateMac } from './duplicateMac.ts';
import { duplicateVni } from './duplicateVni.ts';
import { filterDrop } from './filterDrop.ts';
import { filterUnevaluated } from './filterUnevaluated.ts';
import { forwardingDisabled } from './forwardingDisabled.ts';
import { ipv6DisabledOnPath } from './ipv6DisabledOnPath.ts';
import { kubeProxyMasqueradeMissing } from './kubeProxyMasqueradeMissing.ts';
import { kubeProxyNotSynced } from './kubeProxyNotSynced.ts';
import { linkDown } from './linkDown.ts';
import { macvlanParentIsolation } from './macvlanParentIsolation.ts';
import { macMismatchAcrossTunnel } from './macMismatchAcrossTunnel.ts';
import { mtuMismatch } from './mtuMismatch.ts';
import { neighborFailed } from './neighborFailed.ts';
import { neighborMacMismatch } from './neighborMacMismatch.ts';
import { ovsFlowDrop } from './ovsFlowDrop.ts';
import { ovsIfaceIdUnknown } from './ovsIfaceIdUnknown.ts';
import { ovsPortMissing } from './ovsPortMissing.ts';
import { ovsPortSecurity } from './ovsPortSecurity.ts';
import { peerPodIntentMismatch } from './peerPodIntentMismatch.ts';
import { peerpodNotrackMissing } from './peerpodNotrackMissing.ts';
import { podvmTunnelMtu } from './podvmTunnelMtu.ts';
import { routeMissing } from './routeMissing.ts';
import { rpFilterDrop } from './rpFilterDrop.ts';
import { serviceEndpointNoListener } from './serviceEndpointNoListener.ts';
import { sourceIsLocal } from './sourceIsLocal.ts';
import type { Rule } from './rule.ts';
import { SEVERITY_RANK } from './severity.ts';
import { staleTunnel } from './staleTunnel.ts';
import { tcRedirectMissing } from './tcRedirectMissing.ts';
import { tunnelPortBlocked } from './tunnelPortBlocked.ts';
import { tunnelConntrackUnreplied } from './tunnelConntrackUnreplied.ts';
import { tunnelRemoteUnknown } from './tunnelRemoteUnknown.ts';
import { underlayUnreachable } from './underlayUnreachable.ts';
import { vepaHairpinOff } from './vepaHairpinOff.ts';
import { bridgeVlanMismatch } from './bridgeVlanMismatch.ts';
import { bridgeFdbStale } from './bridgeFdbStale.ts';
import { collectionIncomplete } from './collectionIncomplete.ts';
import { vethPeerMissing } from './vethPeerMissing.ts';
import { vniMismatch } from './vniMismatch.ts';
import { vxlanPortMismatch } from './vxlanPortMismatch.ts';

/** Every rule (DESIGN §5, in its order), in the order findings of one severity are reported. */
export const RULES: readonly Rule[] = [
  macMismatchAcrossTunnel,
  neighborMacMismatch,
  vniMismatch,
  vxlanPortMismatch,
  tunnelRemoteUnknown,
  underlayUnreachable,
  linkDown,
  vethPeerMissing,
  tcRedirectMissing,
  duplicateIp,
  duplicateMac,
  mtuMismatch,
  routeMissing,
  duplicateVni,
  staleTunnel,
  neighborFailed,
  forwardingDisabled,
  peerPodIntentMismatch,
  ovsPortSecurity,
  ovsFlowDrop,
  ovsPortMissing,
  ovsIfaceIdUnknown,
  filterDrop,
  kubeProxyMasqueradeMissing,
  tunnelPortBlocked,
  peerpodNotrackMissing,
  podvmTunnelMtu,
  filterUnevaluated,
  rpFilterDrop,
  sourceIsLocal,
  arpUnanswered,
  macvlanParentIsolation,
  vepaHairpinOff,
  bridgeVlanMismatch,
  bridgeFdbStale,
  ipv6DisabledOnPath,
  conntrackNearFull,
  tunnelConntrackUnreplied,
  serviceEndpointNoListener,
  kubeProxyNotSynced,
  collectionIncomplete,
];

/** Runs every rule; findings come most severe first. `onRule` hears after each rule how many have run. */
export function runRules(index: SnapshotIndex, onRule?: (done: number, total: number) => void): Finding[] {
  return RULES.flatMap((r, i) => {
    const found = r.run(index);
    onRule?.(i + 1, RULES.length);
    return found;
  }).sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity]);
}
