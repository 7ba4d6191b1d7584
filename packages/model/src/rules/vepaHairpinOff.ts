import { commandIn } from '../fix/commands.ts';
import type { Finding } from '../schema/finding.ts';
import { isMacvlan, macvlanMode, lowerDevices, upperDevices } from '../topology/upperDevices.ts';
import { where } from './linkFacts.ts';
import type { Rule } from './rule.ts';

/**
 * Macvlans in VEPA mode reach each other only through the switch their lower device is plugged
 * into, which must send their frames back out of the port they came in by (hairpin). Raised where
 * that switch is a collected bridge whose port has hairpin off; the fix turns it on.
 */
export const vepaHairpinOff: Rule = {
  id: 'vepa-hairpin-off',
  run(index) {
    const findings: Finding[] = [];
    for (const lower of lowerDevices(index)) {
      const vepa = upperDevices(index, lower).filter((u) => isMacvlan(u) && macvlanMode(u) === 'vepa');
      if (vepa.length < 2) continue;
      const port = lower.link.peer && index.link(lower.link.peer);
      const slave = port?.link.slave;
      if (!port || slave?.kind !== 'bridge' || slave.hairpin) continue;
      findings.push({
        rule: this.id,
        severity: 'warning',
        subjects: [port.id, lower.id],
        message: `${vepa.length} VEPA-mode macvlans of ${where(lower)} reach each other only through ${where(port)}, whose hairpin mode is off: the bridge never sends their frames back`,
        evidence: { port: where(port), lower: where(lower), macvlans: String(vepa.length) },
        fix: commandIn(port.netns.ns, ['bridge', 'link', 'set', 'dev', port.link.name, 'hairpin', 'on']),
      });
    }
    return findings;
  },
};
