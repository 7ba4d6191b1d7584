import { commandIn } from '../fix/commands.ts';
import { sameNetns } from '../ids.ts';
import type { Finding } from '../schema/finding.ts';
import type { Pod } from '../schema/snapshot.ts';
import type { LinkEntry } from '../topology/snapshotIndex.ts';
import { unpluggedOvsPorts } from '../topology/unpluggedOvsPorts.ts';
import { where } from './linkFacts.ts';
import type { Rule } from './rule.ts';

/**
 * On a node whose pods hang off an Open vSwitch bridge (its ports carry OVN-K's `iface-id`), the
 * host side of every pod's veth must be a port of that bridge: one that is not — the CNI failed
 * half-way, or the port was deleted — leaves its pod cut off, unless the node reaches it some
 * other way (a kernel bridge, an address or a route of its own).
 */
export const ovsPortMissing: Rule = {
  id: 'ovs-port-missing',
  run(index) {
    const findings: Finding[] = [];
    for (const { host, pod, sw } of unpluggedOvsPorts(index)) {
      const named = podIn(index.snapshot.pods, pod);
      const fix =
        named && !named.inferred && pod.link.mac
          ? commandIn(host.netns.ns, [
              'ovs-vsctl',
              'add-port',
              sw.bridge.name,
              host.link.name,
              '--',
              'set',
              'interface',
              host.link.name,
              `external_ids:iface-id=${named.namespace}_${named.name}`,
              `external_ids:attached_mac=${pod.link.mac}`,
            ])
          : undefined;
      findings.push({
        rule: this.id,
        severity: 'critical',
        subjects: [host.id, pod.id],
        message:
          `${where(host)}, the host side of ${where(pod)}, is not a port of ${sw.bridge.name} and nothing else reaches it: ` +
          `the pod behind it is cut off${fix ? '' : ' (its Kubernetes name is not known here, so neither is the iface-id to plug it with)'}`,
        evidence: { interface: where(host), peer: where(pod), bridge: sw.bridge.name },
        ...(fix ? { fix } : {}),
      });
    }
    return findings;
  },
};

const podIn = (pods: readonly Pod[], le: LinkEntry): Pod | undefined =>
  pods.find((p) => p.netns.some((ref) => sameNetns(ref, le.ref)));
