import { setMacCommand } from '../fix/commands.ts';
import { sameMac } from '../net/ip.ts';
import type { Finding } from '../schema/finding.ts';
import { ovsTopology } from '../topology/ovsPorts.ts';
import type { LinkEntry, SnapshotIndex } from '../topology/snapshotIndex.ts';
import { tcRedirects } from '../topology/tcRedirects.ts';
import { tunnelPeer } from '../topology/tunnelPeer.ts';
import { where } from './linkFacts.ts';
import type { Rule } from './rule.ts';

/**
 * OVN's port security admits on a pod's port only frames from the MAC the CNI assigned, which
 * OVN-Kubernetes records on the port as `external_ids:attached_mac`. The interface that really
 * sends into the port — the pod's eth0, or for a peer pod the pod VM's interface at the far end of
 * the tunnel its eth0 is joined to — must have that MAC, or the switch drops every frame it sends
 * (the seed's fault, caught by the switch as well as by the pod VM).
 */
export const ovsPortSecurity: Rule = {
  id: 'ovs-port-security',
  run(index) {
    const findings: Finding[] = [];
    for (const [port, entry] of ovsTopology(index).byLink) {
      const expected = entry.iface.externalIds.attached_mac;
      if (entry.internal || expected === undefined) continue;
      const sender = senderBehind(index, port);
      if (!sender?.link.mac || sameMac(sender.link.mac, expected)) continue;
      findings.push({
        rule: this.id,
        severity: 'fatal',
        subjects: [port.id, sender.id],
        message:
          `${where(sender)} sends with MAC ${sender.link.mac}, but ${entry.sw.bridge.name}'s port ${port.link.name} ` +
          `only admits ${expected} (its attached_mac, the MAC OVN's port security allows): the switch drops every frame it sends`,
        evidence: {
          port: where(port),
          attachedMac: expected,
          sender: where(sender),
          senderMac: sender.link.mac,
          ...(entry.iface.externalIds['iface-id'] === undefined
            ? {}
            : { ifaceId: entry.iface.externalIds['iface-id'] }),
        },
        fix: setMacCommand(sender.netns.ns, sender.link.name, expected),
      });
    }
    return findings;
  },
};

/**
 * The interface whose frames a port receives: its veth peer, unless a tc redirect feeds the peer
 * from a VXLAN tunnel (a peer pod's eth0), then the tunnel's far end.
 */
function senderBehind(index: SnapshotIndex, port: LinkEntry): LinkEntry | undefined {
  const peer = port.link.peer ? index.link(port.link.peer) : undefined;
  if (!peer) return undefined;
  const feed = tcRedirects(index).find((r) => r.to === peer && r.from.link.kind === 'vxlan');
  if (!feed) return peer;
  const far = tunnelPeer(index, feed.from);
  return far.status === 'ok' ? far.partner : peer;
}
