import { recreateVxlanCommand } from '../fix/recreateVxlan.ts';
import type { Finding } from '../schema/finding.ts';
import { mismatchedTunnels } from '../topology/mismatchedTunnels.ts';
import { where } from './linkFacts.ts';
import type { Rule } from './rule.ts';

/**
 * The two ends of a VXLAN tunnel must use one UDP port: each end listens on its own `dstport`, so
 * packets sent to another port meet no socket and are dropped (ICMP port unreachable).
 */
export const vxlanPortMismatch: Rule = {
  id: 'vxlan-port-mismatch',
  run(index) {
    return mismatchedTunnels(index, 'port-mismatch').map(({ end, partner, fixAt, keep }): Finding => {
      const [a, b] = [end.link.vxlan!, partner.link.vxlan!];
      const fix = recreateVxlanCommand(index, fixAt, { port: keep.link.vxlan!.port });
      return {
        rule: this.id,
        severity: 'fatal',
        subjects: [end.id, partner.id],
        message:
          `tunnel ends disagree on the UDP port: ${where(end)} sends VNI ${a.vni} to port ${a.port}, ` +
          `but ${where(partner)} listens on port ${b.port}: the packets meet no socket and are dropped`,
        evidence: { end: where(end), endPort: String(a.port), partner: where(partner), partnerPort: String(b.port) },
        ...(fix ? { fix } : {}),
      };
    });
  },
};
