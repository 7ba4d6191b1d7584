import type { Finding } from '../schema/finding.ts';
import type { LinkEntry } from '../topology/snapshotIndex.ts';
import { where } from './linkFacts.ts';
import type { Rule } from './rule.ts';

/**
 * One host, one VNI per tunnel: cloud-api-adaptor gives each peer pod its own (555000 + n). Two
 * devices with one VNI (the kernel allows it on different ports or sockets) mean a VNI was handed
 * out twice, and a tunnel end that is moved or fixed will meet the wrong partner.
 */
export const duplicateVni: Rule = {
  id: 'duplicate-vni',
  run(index) {
    const byHostVni = new Map<string, LinkEntry[]>();
    for (const le of index.vxlans) {
      const vx = le.link.vxlan;
      if (!vx) continue;
      const key = `${le.ref.host}|${vx.vni}`;
      const list = byHostVni.get(key);
      if (list) list.push(le);
      else byHostVni.set(key, [le]);
    }
    const findings: Finding[] = [];
    for (const list of byHostVni.values()) {
      if (list.length < 2) continue;
      const vni = list[0]!.link.vxlan!.vni;
      const host = list[0]!.ref.host;
      findings.push({
        rule: this.id,
        severity: 'warning',
        subjects: list.map((le) => le.id),
        message: `VNI ${vni} is used by ${list.length} VXLAN devices on ${host} (${list.map((le) => `${where(le)} port ${le.link.vxlan!.port}`).join(', ')}): each tunnel needs its own`,
        evidence: { host, vni: String(vni), devices: list.map(where).join(', ') },
      });
    }
    return findings;
  },
};
