import { setMtuCommand } from '../fix/commands.ts';
import type { Finding } from '../schema/finding.ts';
import { where } from './linkFacts.ts';
import type { Rule } from './rule.ts';

/** What cloud-api-adaptor gives a pod VM's tunnel: a 1500-byte underlay minus VXLAN's 50 bytes. */
const PODVM_TUNNEL_MTU = 1450;

/**
 * A pod VM's tunnel device with an MTU above 1450: the pod sends frames the worker's side of the
 * tunnel (a 1500-byte underlay) cannot carry whole — its VXLAN packets exceed 1500 bytes and die
 * on the way, so large replies vanish while pings pass.
 */
export const podvmTunnelMtu: Rule = {
  id: 'podvm-tunnel-mtu',
  run(index) {
    const findings: Finding[] = [];
    for (const le of index.vxlans) {
      if (le.netns.host.kind !== 'pod-vm' || le.link.mtu <= PODVM_TUNNEL_MTU) continue;
      findings.push({
        rule: this.id,
        severity: 'warning',
        subjects: [le.id],
        message: `the pod VM's tunnel ${where(le)} has MTU ${le.link.mtu}, above ${PODVM_TUNNEL_MTU}: a full-size frame from the pod becomes a ${le.link.mtu + 50}-byte VXLAN packet, more than a 1500-byte underlay carries`,
        evidence: { interface: where(le), mtu: String(le.link.mtu), limit: String(PODVM_TUNNEL_MTU) },
        fix: setMtuCommand(le.netns.ns, le.link.name, PODVM_TUNNEL_MTU),
      });
    }
    return findings;
  },
};
