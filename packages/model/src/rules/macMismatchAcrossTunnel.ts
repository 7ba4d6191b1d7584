import { setMacCommand } from '../fix/commands.ts';
import { linkPath } from '../ids.ts';
import { sameMac } from '../net/ip.ts';
import type { Finding } from '../schema/finding.ts';
import { tcRedirects } from '../topology/tcRedirects.ts';
import { tunnelPeer } from '../topology/tunnelPeer.ts';
import type { LinkEntry } from '../topology/snapshotIndex.ts';
import type { Rule } from './rule.ts';

const where = (le: LinkEntry): string => linkPath(le.ref, le.link.name);

/**
 * Peer pods: on the worker, tc moves frames between the pod's eth0 and a VXLAN device at layer 2,
 * so every frame the CNI sends to the pod carries eth0's MAC. The tunnel's far end, the pod VM's
 * interface, must have that MAC too, or the VM drops every frame as PACKET_OTHERHOST.
 */
export const macMismatchAcrossTunnel: Rule = {
  id: 'mac-mismatch-across-tunnel',
  run(index) {
    const findings: Finding[] = [];
    const redirects = tcRedirects(index);
    // Pairs seen: a pod interface's first tunnel by their ids (made once), other pairs joined. A
    // key joining every pair was a new string for each of ~30,000 redirects at 5,000 nodes.
    const firstTunnel = new Map<string, string>();
    const seen = new Set<string>();
    const redirected = new Set(redirects.map((x) => x.from.id));
    for (const r of redirects) {
      const toTunnel = r.to?.link.kind === 'vxlan';
      const podIf = toTunnel ? r.from : r.to;
      const tunnel = toTunnel ? r.to : r.from;
      if (!podIf || !tunnel || tunnel.link.kind !== 'vxlan' || podIf.link.kind === 'vxlan') continue;
      const first = firstTunnel.get(podIf.id);
      if (first === undefined) firstTunnel.set(podIf.id, tunnel.id);
      else if (first === tunnel.id) continue;
      else {
        const key = `${podIf.id}|${tunnel.id}`;
        if (seen.has(key)) continue;
        seen.add(key);
      }
      const match = tunnelPeer(index, tunnel);
      if (match.status !== 'ok') continue;
      const vmIf = match.partner;
      const terminal = !redirected.has(vmIf.id);
      if (!terminal || sameMac(podIf.link.mac, vmIf.link.mac) || !podIf.link.mac) continue;
      // The kernel's own count of frames it dropped as another host's, where it reports one.
      const dropped = vmIf.link.stats?.rxOtherhostDropped;
      const counted = dropped ? ` (its counter rx_otherhost_dropped stands at ${dropped})` : '';
      findings.push({
        rule: this.id,
        severity: 'fatal',
        subjects: [podIf.id, vmIf.id, tunnel.id],
        message:
          `${where(vmIf)} has MAC ${vmIf.link.mac ?? 'none'} but the pod's ${podIf.link.name} on ${where(podIf)} has ${podIf.link.mac}: ` +
          `frames through tunnel VNI ${tunnel.link.vxlan?.vni} carry ${podIf.link.mac} and the pod VM drops them as not its own${counted}`,
        evidence: {
          workerInterface: where(podIf),
          workerMac: podIf.link.mac,
          podVmInterface: where(vmIf),
          podVmMac: vmIf.link.mac ?? 'none',
          vni: String(tunnel.link.vxlan?.vni),
          ...(dropped !== undefined ? { rxOtherhostDropped: String(dropped) } : {}),
        },
        fix: setMacCommand(vmIf.netns.ns, vmIf.link.name, podIf.link.mac),
      });
    }
    return findings;
  },
};
