import { compareProbe, type CompareInput, type ProbeResult } from '@hoplens/model';
import { probePcapng } from './pcapng.ts';
import { newProbeId } from './probeMark.ts';

/**
 * The end of every probe, local or through agents: the prediction compared with what the kernel
 * did, under a fresh id, and the pcap of every captured probe packet.
 */
export function finishProbe(run: Omit<CompareInput, 'id'>): { result: ProbeResult; pcap: Uint8Array } {
  return { result: compareProbe({ id: newProbeId(), ...run }), pcap: probePcapng(run.observation.packets) };
}
