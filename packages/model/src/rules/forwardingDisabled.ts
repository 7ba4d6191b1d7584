import { commandIn } from '../fix/commands.ts';
import { netnsId, netnsPath } from '../ids.ts';
import type { Finding } from '../schema/finding.ts';
import { ipv6Forwards } from '../trace/netConf.ts';
import type { LinkEntry, NetnsEntry } from '../topology/snapshotIndex.ts';
import type { Rule } from './rule.ts';

/** Whether a gateway's device forwards what arrives on it, by family; undefined where unknown. */
function forwards(owner: LinkEntry, v6: boolean): boolean | undefined {
  return v6 ? ipv6Forwards(owner) : owner.netns.ns.ipForward;
}

/**
 * A namespace that other namespaces use as their gateway must forward — net.ipv4.ip_forward=1 for
 * IPv4, net.ipv6.conf.all.forwarding=1 for IPv6 (a device's own `forwarding` does not forward) — or
 * it drops every packet that is not its own: pods reach their node but nothing beyond it.
 */
export const forwardingDisabled: Rule = {
  id: 'forwarding-disabled',
  run(index) {
    const clients = new Map<string, { gw: NetnsEntry; v6: boolean; users: Set<string> }>();
    for (const ns of index.namespaces) {
      for (const r of ns.ns.routes) {
        if (!r.gateway || r.type !== 'unicast') continue;
        const v6 = r.gateway.includes(':');
        for (const owner of index.withIp(r.gateway)) {
          const gw = owner.netns;
          if (gw === ns || forwards(owner, v6) !== false) continue;
          // A route to an address the gateway holds itself needs no forwarding.
          if (index.isLocal(gw, r.dst.replace(/\/(32|128)$/, ''))) continue;
          const key = `${v6 ? 6 : 4}|${netnsId(gw.ref)}`;
          let entry = clients.get(key);
          if (!entry) clients.set(key, (entry = { gw, v6, users: new Set() }));
          entry.users.add(netnsPath(ns.ref));
        }
      }
    }
    return [...clients.values()].map(({ gw, v6, users }): Finding => ({
      rule: this.id,
      severity: 'critical',
      subjects: [netnsId(gw.ref)],
      message: `${netnsPath(gw.ref)} is the ${v6 ? 'IPv6 ' : ''}gateway of ${[...users].slice(0, 3).join(', ')}${users.size > 3 ? ` and ${users.size - 3} more` : ''} but does not forward (${v6 ? 'net.ipv6.conf.all.forwarding=0' : 'ip_forward=0'}): their traffic stops there`,
      evidence: { netns: netnsPath(gw.ref), clients: String(users.size), family: v6 ? 'ipv6' : 'ipv4' },
      fix: commandIn(gw.ns, ['sysctl', '-w', v6 ? 'net.ipv6.conf.all.forwarding=1' : 'net.ipv4.ip_forward=1']),
    }));
  },
};
