import { commandIn } from '../fix/commands.ts';
import { sameNetns } from '../ids.ts';
import type { Finding } from '../schema/finding.ts';
import { ovsTopology } from '../topology/ovsPorts.ts';
import { where } from './linkFacts.ts';
import type { Rule } from './rule.ts';

/**
 * A pod's port on an OVN node names its logical switch port by `external_ids:iface-id`
 * (`<namespace>_<pod>`). One that names no pod is never bound: OVN installs no flows for it and
 * the pod's traffic is dropped. Seen two ways: ovn-controller has not marked it `ovn-installed`
 * while it has the host's other ports, or Kubernetes names the pod behind it otherwise.
 */
export const ovsIfaceIdUnknown: Rule = {
  id: 'ovs-iface-id-unknown',
  run(index) {
    const findings: Finding[] = [];
    const pods = index.snapshot.pods;
    const switches = ovsTopology(index).switches;
    // Made only where there is a switch: 10⁵ pod names for nothing in a cluster without Open vSwitch.
    const names = switches.length === 0 ? new Set<string>() : new Set(pods.map((p) => `${p.namespace}_${p.name}`));
    for (const sw of switches) {
      const ovnHost = sw.ports.some((p) => p.iface.externalIds['ovn-installed'] === 'true');
      for (const port of sw.ports) {
        const id = port.iface.externalIds['iface-id'];
        if (port.internal || id === undefined || !port.link || names.has(id)) continue;
        const peer = port.link.link.peer ? index.link(port.link.link.peer) : undefined;
        const behind = peer && pods.find((p) => p.netns.some((ref) => sameNetns(ref, peer.ref)));
        const kube = behind && !behind.inferred ? behind : undefined;
        const unbound = ovnHost && port.iface.externalIds['ovn-installed'] !== 'true';
        if (!kube && !unbound) continue;
        const why = kube
          ? `Kubernetes names the pod behind it ${kube.namespace}/${kube.name}`
          : 'OVN has not bound it (no ovn-installed, as the host’s other ports have)';
        const right = kube ? `${kube.namespace}_${kube.name}` : undefined;
        findings.push({
          rule: this.id,
          severity: 'critical',
          subjects: [port.link.id, ...(peer ? [peer.id] : [])],
          message:
            `${where(port.link)} is plugged into ${sw.bridge.name} as iface-id ${id}, which names no pod: ${why}; ` +
            `OVN installs no flows for a port it cannot bind, so the pod's traffic is dropped`,
          evidence: { port: where(port.link), ifaceId: id, ...(right ? { expected: right } : {}) },
          ...(right
            ? {
                fix: commandIn(port.link.netns.ns, [
                  'ovs-vsctl',
                  'set',
                  'interface',
                  port.link.link.name,
                  `external_ids:iface-id=${right}`,
                ]),
              }
            : {}),
        });
      }
    }
    return findings;
  },
};
