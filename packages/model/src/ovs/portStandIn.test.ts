import { describe, expect, it } from 'vitest';
import { ovsTraceText } from '../testing/ovnFixtures.ts';
import { parseOfprotoTrace } from './parseOfprotoTrace.ts';
import { portDependence, type PortStandIn } from './portStandIn.ts';

const EPHEMERAL = { start: 32768, end: 60999 };
const asked: PortStandIn = { field: 'tp_src', port: 32768, range: EPHEMERAL };

/**
 * Answers recorded from a scratch bridge (scripts/record-ovs.sh) for a SYN from port 32768: one
 * rule on the port's top bit (megaflow tp_src=0x8000/0x8000), then a drop of port 40000 above it
 * (tp_src=0x8000/0xf000: OVS tells 32768 from 40000 by the top four bits).
 */
describe('whether an answer for a stand-in port holds for every port the kernel may pick', () => {
  it('reads the megaflow of each pass', () => {
    const parsed = parseOfprotoTrace(ovsTraceText('tcp-sport-covered'));
    expect(parsed.sections.map((s) => s.megaflow)).toEqual([
      'recirc_id=0,eth,tcp,in_port=2,nw_frag=no,tp_src=0x8000/0x8000',
    ]);
  });

  it('holds where the megaflow covers the whole range, or does not read the port', () => {
    expect(portDependence(parseOfprotoTrace(ovsTraceText('tcp-sport-covered')), [asked])).toBeUndefined();
    // The lab's own pipeline never reads the port (its megaflows say nothing of tp_src).
    expect(portDependence(parseOfprotoTrace(ovsTraceText('output')), [{ ...asked, field: 'tp_dst' }])).toBeUndefined();
  });

  it('does not hold where the switch tells the ports apart, nor without the range, nor without a megaflow', () => {
    expect(portDependence(parseOfprotoTrace(ovsTraceText('tcp-sport-split')), [asked])).toBe(
      "the switch's flows match on the source port, which the kernel picks from 32768-60999: its answer for port 32768 may not hold for the others",
    );
    expect(
      portDependence(parseOfprotoTrace(ovsTraceText('tcp-sport-covered')), [{ field: 'tp_src', port: 32768 }]),
    ).toMatch(/match on the source port/);
    const bare = ovsTraceText('tcp-sport-covered').replace(/^Megaflow:.*\n/m, '');
    expect(portDependence(parseOfprotoTrace(bare), [asked])).toMatch(/shows no megaflow/);
    // Nothing stood in: nothing to depend on.
    expect(portDependence(parseOfprotoTrace(bare), [])).toBeUndefined();
  });
});
