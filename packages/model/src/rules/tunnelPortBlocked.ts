import { commandIn } from '../fix/commands.ts';
import { netnsId } from '../ids.ts';
import type { Finding } from '../schema/finding.ts';
import type { SnapshotIndex } from '../topology/snapshotIndex.ts';
import { tunnelPeer } from '../topology/tunnelPeer.ts';
import { where } from './linkFacts.ts';
import { describeStop, stopEvidence } from './filterDrop.ts';
import { tunnelFilterStops, type FilterStop } from './filterStops.ts';
import type { Rule } from './rule.ts';

/**
 * A packet filter on either underlay drops a tunnel's own UDP packets (what Calico's cali-INPUT
 * once did to peer-pod tunnels from hosts it did not know): every frame through the tunnel dies
 * there. Found by tracing each tunnel end's outer packet to its partner's socket. The fix accepts
 * the partner's tunnel packets just before the rule that drops them.
 */
export const tunnelPortBlocked: Rule = {
  id: 'tunnel-port-blocked',
  run(index) {
    return tunnelFilterStops(index)
      .filter((s) => s.verdict === 'dropped' && s.tunnel)
      .map((s): Finding => {
        const end = s.tunnel!;
        const vx = end.link.vxlan!;
        const fix = acceptCommand(index, s);
        return {
          rule: this.id,
          severity: 'critical',
          subjects: [netnsId(s.ns.ref), end.id],
          message: `the tunnel of ${where(end)} (VNI ${vx.vni}, UDP ${vx.port} to ${vx.remote ?? '?'}) is blocked: ${describeStop(s)} drops its packets`,
          evidence: { ...stopEvidence(s), tunnel: where(end), vni: String(vx.vni), port: String(vx.port) },
          ...(fix ? { fix } : {}),
        };
      });
  },
};

/** An accept for the tunnel's packets (from its end's address to its port), inserted before the dropping rule. */
function acceptCommand(index: SnapshotIndex, s: FilterStop): string | undefined {
  const end = s.tunnel!;
  const vx = end.link.vxlan!;
  const peer = tunnelPeer(index, end);
  const src = (peer.status === 'ok' ? peer.partner.link.vxlan?.remote : undefined) ?? vx.local;
  if (!src) return undefined;
  const r = s.rule;
  const v6 = src.includes(':');
  if (r.backend === 'iptables-nft' || r.backend === 'iptables-legacy') {
    const tool = `${v6 ? 'ip6tables' : 'iptables'}-${r.backend === 'iptables-nft' ? 'nft' : 'legacy'}`;
    return commandIn(s.ns.ns, [
      tool,
      '-t',
      r.table,
      '-I',
      r.chain,
      String(r.handle ?? 1),
      '-s',
      src,
      '-p',
      'udp',
      '--dport',
      String(vx.port),
      '-j',
      'ACCEPT',
    ]);
  }
  if (r.backend === 'nftables') {
    const at = r.handle === undefined ? [] : ['position', String(r.handle)];
    return commandIn(s.ns.ns, [
      'nft',
      'insert',
      'rule',
      r.family,
      r.table,
      r.chain,
      ...at,
      v6 ? 'ip6' : 'ip',
      'saddr',
      src,
      'udp',
      'dport',
      String(vx.port),
      'accept',
    ]);
  }
  return undefined;
}
