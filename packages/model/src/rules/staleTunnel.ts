import { ipIn } from '../fix/commands.ts';
import type { Finding } from '../schema/finding.ts';
import { carriesTraffic, where } from './linkFacts.ts';
import type { Rule } from './rule.ts';

/**
 * A VXLAN device that carries nothing — no address, no bridge, no tc redirect, no route — is left
 * over from a pod that is gone. It holds its VNI and port, so the next pod given that VNI collides.
 */
export const staleTunnel: Rule = {
  id: 'stale-tunnel',
  run(index) {
    const findings: Finding[] = [];
    for (const le of index.vxlans) {
      const vx = le.link.vxlan;
      if (!vx || carriesTraffic(index, le)) continue;
      findings.push({
        rule: this.id,
        severity: 'warning',
        subjects: [le.id],
        message: `${where(le)} (VNI ${vx.vni} to ${vx.remote ?? 'no remote'}) carries no pod's traffic: no address, bridge, tc redirect or route uses it; a left-over of a deleted pod?`,
        evidence: { interface: where(le), vni: String(vx.vni), remote: vx.remote ?? '' },
        fix: ipIn(le.netns.ns, ['link', 'del', le.link.name]),
      });
    }
    return findings;
  },
};
