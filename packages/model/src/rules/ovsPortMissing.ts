import { commandIn } from '../fix/commands.ts';
import { sameNetns } from '../ids.ts';
import type { Finding } from '../schema/finding.ts';
import type { Pod } from '../schema/snapshot.ts';
import { ovsTopology, type OvsSwitch } from '../topology/ovsPorts.ts';
import type { LinkEntry } from '../topology/snapshotIndex.ts';
import { vethPairs } from '../topology/vethPairs.ts';
import { hasGlobalAddress, where } from './linkFacts.ts';
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
    const topo = ovsTopology(index);
    const podSwitch = new Map<string, OvsSwitch>();
    for (const sw of topo.switches) {
      const pods = sw.ports.filter((p) => !p.internal && p.iface.externalIds['iface-id'] !== undefined).length;
      const best = podSwitch.get(sw.host.name);
      const bestPods = best?.ports.filter((p) => !p.internal && p.iface.externalIds['iface-id'] !== undefined).length;
      if (pods > 0 && (bestPods === undefined || pods > bestPods)) podSwitch.set(sw.host.name, sw);
    }
    if (podSwitch.size === 0) return findings;
    for (const { a, b } of vethPairs(index).pairs) {
      // The host side of a pod is the end in the host's root namespace, without an address of its own.
      const [host, pod] = a.netns.ns.root ? [a, b] : [b, a];
      const sw = podSwitch.get(host.ref.host);
      if (!sw || !host.netns.ns.root || pod.netns === host.netns || pod.ref.host !== host.ref.host) continue;
      if (topo.byLink.has(host) || host.link.masterIfindex !== undefined) continue;
      if (hasGlobalAddress(host) || !hasGlobalAddress(pod)) continue;
      if (host.netns.ns.routes.some((r) => r.dev === host.link.name && r.family !== 'inet6')) continue;
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
