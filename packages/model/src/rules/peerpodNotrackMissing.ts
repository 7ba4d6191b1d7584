import { commandIn } from '../fix/commands.ts';
import { netnsId, netnsPath } from '../ids.ts';
import type { Finding } from '../schema/finding.ts';
import { vxlanPacket } from '../trace/packet.ts';
import { hookVerdict } from '../trace/stages/netfilter.ts';
import type { LinkEntry, NetnsEntry, SnapshotIndex } from '../topology/snapshotIndex.ts';
import { tunnelPeer } from '../topology/tunnelPeer.ts';
import { where } from './linkFacts.ts';
import type { Rule } from './rule.ts';

/**
 * cloud-api-adaptor exempts each peer-pod tunnel from connection tracking on both ends: in the
 * raw table of the namespace that holds the tunnel's socket, `peerpod-OUTPUT` NOTRACKs its packets
 * to the remote and `peerpod-PREROUTING` those from it (pkg/podnetwork/tunneler/vxlan/iptables.go).
 * Where those chains exist, a tunnel whose packets one of them does not exempt is missing its rule:
 * its packets are tracked, and a stateful rule or a full conntrack table can drop them.
 */
export const peerpodNotrackMissing: Rule = {
  id: 'peerpod-notrack-missing',
  run(index) {
    const findings: Finding[] = [];
    for (const end of index.vxlans) {
      const vx = end.link.vxlan;
      const socket = vx?.socketNetns && index.netns(vx.socketNetns);
      const peer = tunnelPeer(index, end);
      if (!vx?.remote || !socket || peer.status !== 'ok' || !usesPeerpodChains(socket)) continue;
      const local = peer.partner.link.vxlan?.remote ?? vx.local;
      if (!local) continue;
      for (const [hook, chain, src, dst] of [
        ['output', 'peerpod-OUTPUT', local, vx.remote],
        ['prerouting', 'peerpod-PREROUTING', vx.remote, local],
      ] as const) {
        if (untracked(index, socket, end, hook, src, dst)) continue;
        const addr = hook === 'output' ? ['-d', `${vx.remote}/32`] : ['-s', `${vx.remote}/32`];
        const backend =
          socket.ns.firewall?.iptables.find((t) => t.name === 'raw' && t.chains.some((c) => c.name === chain))
            ?.backend ?? 'nft';
        findings.push({
          rule: this.id,
          severity: 'warning',
          subjects: [netnsId(socket.ref), end.id],
          message: `cloud-api-adaptor's NOTRACK rule for the tunnel of ${where(end)} (VNI ${vx.vni}, ${hook === 'output' ? `to ${vx.remote}` : `from ${vx.remote}`}, UDP ${vx.port}) is missing from ${chain} in the raw table of ${netnsPath(socket.ref)}: its packets are connection-tracked`,
          evidence: {
            interface: where(end),
            netns: netnsPath(socket.ref),
            chain,
            vni: String(vx.vni),
            remote: vx.remote,
          },
          fix: commandIn(socket.ns, [
            `iptables-${backend}`,
            '-t',
            'raw',
            '-A',
            chain,
            '-m',
            'comment',
            '--comment',
            `peerpod [vni:${vx.vni}]`,
            ...addr,
            '-p',
            'udp',
            '-m',
            'udp',
            '--dport',
            String(vx.port),
            '-j',
            'NOTRACK',
          ]),
        });
      }
    }
    return findings;
  },
};

/** Does this namespace use cloud-api-adaptor's chains (so each tunnel there should have its rules)? */
function usesPeerpodChains(ns: NetnsEntry): boolean {
  return (ns.ns.firewall?.iptables ?? []).some(
    (t) => t.name === 'raw' && t.chains.some((c) => c.name.startsWith('peerpod-')),
  );
}

/** Is the tunnel's packet between these addresses exempted from conntrack at this hook? */
function untracked(
  index: SnapshotIndex,
  socket: NetnsEntry,
  end: LinkEntry,
  hook: 'output' | 'prerouting',
  src: string,
  dst: string,
): boolean {
  const vx = end.link.vxlan!;
  const inner = {
    srcMac: null,
    dstMac: '00:00:00:00:00:00',
    packet: { kind: 'arp' as const, src: undefined, dst: '0.0.0.0' },
  };
  const pkt = vxlanPacket({ src, dst, port: vx.port, vni: vx.vni, inner });
  const r = hookVerdict(index, socket, src.includes(':') ? 'ipv6' : 'ipv4', hook, pkt, {});
  return r?.verdict === 'accept' && r.state.notrack;
}
