import { recreateVxlanCommand } from '../fix/recreateVxlan.ts';
import type { Finding } from '../schema/finding.ts';
import { mismatchedTunnels } from '../topology/mismatchedTunnels.ts';
import { where } from './linkFacts.ts';
import type { Rule } from './rule.ts';

/**
 * The two ends of a VXLAN tunnel must use one VNI: the receiver hands a packet only to the device
 * with the VNI in its header, so with two VNIs every frame is dropped at decapsulation.
 */
export const vniMismatch: Rule = {
  id: 'vni-mismatch',
  run(index) {
    return mismatchedTunnels(index, 'vni-mismatch').map(({ end, partner, fixAt, keep }): Finding => {
      const [a, b] = [end.link.vxlan!, partner.link.vxlan!];
      const fix = recreateVxlanCommand(index, fixAt, { vni: keep.link.vxlan!.vni });
      return {
        rule: this.id,
        severity: 'fatal',
        subjects: [end.id, partner.id],
        message:
          `tunnel ends disagree on the VNI: ${where(end)} sends VNI ${a.vni} to ${a.remote ?? '?'}:${a.port}, ` +
          `where ${where(partner)} has VNI ${b.vni}: no device takes VNI ${a.vni} there, so every frame is dropped`,
        evidence: { end: where(end), endVni: String(a.vni), partner: where(partner), partnerVni: String(b.vni) },
        ...(fix ? { fix } : {}),
      };
    });
  },
};
