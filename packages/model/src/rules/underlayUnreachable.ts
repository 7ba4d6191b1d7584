import { linkUpCommand } from '../fix/commands.ts';
import { netnsPath } from '../ids.ts';
import type { Finding } from '../schema/finding.ts';
import { where } from './linkFacts.ts';
import type { Rule } from './rule.ts';

/**
 * A tunnel's packets leave from its socket's namespace: there must be a route to the remote, and
 * the device it leaves through must be up with a carrier, or the tunnel carries nothing.
 */
export const underlayUnreachable: Rule = {
  id: 'underlay-unreachable',
  run(index) {
    const findings: Finding[] = [];
    for (const le of index.vxlans) {
      const vx = le.link.vxlan;
      const socket = vx?.socketNetns && index.netns(vx.socketNetns);
      if (!vx?.remote || !socket) continue;
      const m = index.routes(socket).lookup(vx.remote, { src: vx.local });
      // An unknown lookup (a rule hoplens cannot evaluate) is no evidence of an unreachable remote.
      if (m?.kind === 'unknown') continue;
      const base = { rule: this.id, severity: 'fatal' as const };
      const evidence = { interface: where(le), remote: vx.remote, socketNetns: netnsPath(socket.ref) };
      if (!m || m.kind === 'rule' || m.route.type !== 'unicast') {
        const why = !m
          ? 'there is no route'
          : m.kind === 'rule'
            ? `policy rule ${m.rule.priority} says ${m.rule.action}`
            : `the route is of type ${m.route.type}`;
        findings.push({
          ...base,
          subjects: [le.id],
          message: `${where(le)} sends its packets from ${netnsPath(socket.ref)}, where ${why} to the remote ${vx.remote}`,
          evidence,
        });
        continue;
      }
      const out = m.route.dev === undefined ? undefined : socket.linksByName.get(m.route.dev);
      if (!out || (out.link.adminUp && out.link.carrier)) continue;
      const state = out.link.adminUp ? 'has no carrier' : 'is down';
      findings.push({
        ...base,
        subjects: [le.id, out.id],
        message: `${where(le)} reaches its remote ${vx.remote} through ${where(out)}, which ${state}`,
        evidence: { ...evidence, egress: where(out), state },
        ...(out.link.adminUp ? {} : { fix: linkUpCommand(out.netns.ns, out.link.name) }),
      });
    }
    return findings;
  },
};
