import { commandIn } from '../fix/commands.ts';
import { netnsId, netnsPath } from '../ids.ts';
import type { Finding } from '../schema/finding.ts';
import type { NetnsEntry } from '../topology/snapshotIndex.ts';
import type { Rule } from './rule.ts';

/**
 * A namespace that other namespaces use as their gateway must forward (net.ipv4.ip_forward=1), or
 * it drops every packet that is not its own: pods reach their node but nothing beyond it.
 */
export const forwardingDisabled: Rule = {
  id: 'forwarding-disabled',
  run(index) {
    const clients = new Map<NetnsEntry, Set<string>>();
    for (const ns of index.namespaces) {
      for (const r of ns.ns.routes) {
        if (!r.gateway || r.type !== 'unicast' || r.family === 'inet6') continue;
        for (const owner of index.withIp(r.gateway)) {
          const gw = owner.netns;
          if (gw === ns || gw.ns.ipForward !== false) continue;
          // A route to an address the gateway holds itself needs no forwarding.
          if (index.isLocal(gw, r.dst.replace(/\/(32|128)$/, ''))) continue;
          let set = clients.get(gw);
          if (!set) clients.set(gw, (set = new Set()));
          set.add(netnsPath(ns.ref));
        }
      }
    }
    return [...clients].map(([gw, users]): Finding => ({
      rule: this.id,
      severity: 'critical',
      subjects: [netnsId(gw.ref)],
      message: `${netnsPath(gw.ref)} is the gateway of ${[...users].slice(0, 3).join(', ')}${users.size > 3 ? ` and ${users.size - 3} more` : ''} but does not forward (ip_forward=0): their traffic stops there`,
      evidence: { netns: netnsPath(gw.ref), clients: String(users.size) },
      fix: commandIn(gw.ns, ['sysctl', '-w', 'net.ipv4.ip_forward=1']),
    }));
  },
};
