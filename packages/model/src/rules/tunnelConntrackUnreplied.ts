import { commandIn, type NetnsTarget } from '../fix/commands.ts';
import { netnsId, netnsPath } from '../ids.ts';
import type { Finding } from '../schema/finding.ts';
import type { LinkEntry, NetnsEntry } from '../topology/snapshotIndex.ts';
import { where } from './linkFacts.ts';
import type { Rule } from './rule.ts';

/**
 * From this many unreplied entries on a tunnel's port the tracking is a pile-up, not a flow or two:
 * each lives nf_conntrack_udp_timeout (30 s), so 1,000 means some 30 new inner flows a second.
 */
export const PILE_UP = 1000;

/**
 * A VXLAN tunnel whose packets conntrack follows (cloud-api-adaptor's worker-to-pod-VM tunnels
 * without NOTRACK rules): each end sends to the other's port from a source port hashed from the
 * inner flow, so neither direction is ever the other's reply and every inner flow leaves UNREPLIED
 * entries — they fill the table shared with every pod's connections, and each tunnel packet pays
 * for a lookup. Read from the entries counted in the socket's namespace. The fix exempts the port
 * from tracking in the raw table and deletes the entries already there (which would otherwise
 * expire within 30 s); a firewall that accepts the tunnel only in `ct state new` must then accept
 * `untracked` too.
 */
export const tunnelConntrackUnreplied: Rule = {
  id: 'tunnel-conntrack-unreplied',
  run(index) {
    const bySocket = new Map<NetnsEntry, Map<number, LinkEntry[]>>();
    for (const le of index.vxlans) {
      const vx = le.link.vxlan;
      const socket = vx?.socketNetns && index.netns(vx.socketNetns);
      if (!vx || !socket?.ns.conntrackUnreplied?.some((e) => e.port === vx.port)) continue;
      const ports = bySocket.get(socket) ?? new Map<number, LinkEntry[]>();
      bySocket.set(socket, ports.set(vx.port, [...(ports.get(vx.port) ?? []), le]));
    }
    const findings: Finding[] = [];
    for (const [socket, ports] of bySocket) {
      for (const [port, devices] of ports) {
        const count = socket.ns.conntrackUnreplied!.find((e) => e.port === port)!.count;
        const max = socket.ns.sysctls?.conntrackMax;
        const share = max ? ` (${((100 * count) / max).toFixed(1)}% of nf_conntrack_max ${max})` : '';
        const v6 = devices.some((d) => (d.link.vxlan?.remote ?? d.link.vxlan?.local ?? '').includes(':'));
        findings.push({
          rule: this.id,
          severity: count >= PILE_UP ? 'warning' : 'info',
          subjects: [...devices.map((d) => d.id), netnsId(socket.ref)],
          message: `${netnsPath(socket.ref)} tracks the VXLAN packets of ${devices.map(where).join(', ')}: ${count} unreplied conntrack entries for UDP port ${port}${share}, one per inner flow and direction — exempt the tunnel from tracking (NOTRACK)`,
          evidence: { netns: netnsPath(socket.ref), port: String(port), unreplied: String(count) },
          fix: notrackCommand(socket.ns, port, v6),
        });
      }
    }
    return findings;
  },
};

/** Exempts a UDP port from conntrack both ways (raw table), then deletes its entries. */
function notrackCommand(ns: NetnsTarget, port: number, v6: boolean): string {
  const tables = v6 ? 'ip6tables' : 'iptables';
  const notrack = (chain: string): string =>
    commandIn(ns, [tables, '-t', 'raw', '-I', chain, '-p', 'udp', '--dport', String(port), '-j', 'NOTRACK']);
  // conntrack(8) may be missing, and exits 1 when nothing matched: the entries then expire on their own.
  const flush = `${commandIn(ns, ['conntrack', '-D', '-f', v6 ? 'ipv6' : 'ipv4', '-p', 'udp', '--dport', String(port)])} || true`;
  return [notrack('PREROUTING'), notrack('OUTPUT'), flush].join('\n');
}
