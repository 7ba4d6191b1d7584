import { maskedIn, type PortRange } from '../net/portRange.ts';
import type { ParsedOfprotoTrace } from './parseOfprotoTrace.ts';

/**
 * A TCP/UDP port the kernel picks (a connect()'s source port, the reply's destination port back to
 * it): ofproto/trace needs a value, so the flow asked about carries a stand-in, the first port of
 * the range it is picked from (where known). What OVS answers holds for the real port only where
 * the answer did not depend on it: see portDependence.
 */
export interface PortStandIn {
  readonly field: 'tp_src' | 'tp_dst';
  readonly port: number;
  readonly range?: PortRange | undefined;
}

/** The stand-in for a port picked from `range` (the first of the default ephemeral ports where not known). */
export const standInPort = (range: PortRange | undefined): number => range?.start ?? 32768;

/**
 * Whether OVS's answer may differ for another port than the stand-in: its megaflow (the fields the
 * datapath flow it installs matches on — every packet it matches takes the same actions) names the
 * field, with a mask that does not cover every port the kernel may pick. Undefined where the answer
 * holds for them all; else why not, in words.
 */
export function portDependence(parsed: ParsedOfprotoTrace, standIns: readonly PortStandIn[]): string | undefined {
  for (const s of standIns) {
    const what = s.field === 'tp_src' ? 'source' : 'destination';
    for (const section of parsed.sections) {
      if (section.megaflow === undefined)
        return `OVS's answer shows no megaflow to tell whether it depends on the ${what} port the kernel picks (asked about ${s.port})`;
      const m = new RegExp(`(?:^|,)${s.field}=([^,]+)`).exec(section.megaflow);
      if (!m) continue;
      if (!covers(m[1] ?? '', s.range))
        return `the switch's flows match on the ${what} port, which the kernel picks${s.range ? ` from ${s.range.start}-${s.range.end}` : ''}: its answer for port ${s.port} may not hold for the others`;
    }
  }
  return undefined;
}

/** Whether a megaflow's `VALUE[/MASK]` of a port matches every port of `range` (see maskedIn). */
function covers(text: string, range: PortRange | undefined): boolean {
  if (range === undefined) return false;
  const [v, m] = text.split('/');
  const value = Number(v);
  const mask = m === undefined ? 0xffff : Number(m);
  if (!Number.isInteger(value) || !Number.isInteger(mask) || value < 0 || mask < 0 || mask > 0xffff) return false;
  return maskedIn(range, value, mask) === true;
}
