import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { probeFixture } from '../testing/probeFixtures.ts';
import { probePcapng } from './pcapng.ts';

const tcpdump = (args: string[]): string =>
  execFileSync('tcpdump', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

const hasTcpdump = ((): boolean => {
  try {
    tcpdump(['--version']);
    return true;
  } catch {
    return false;
  }
})();

describe('the probe as a pcap file', () => {
  // setup.sh installs tcpdump; in CI a missing one fails rather than skips.
  it.skipIf(!hasTcpdump && !process.env.CI)(
    'is read by tcpdump, every packet, each interface named host/netns/interface',
    () => {
      const packets = probeFixture('seed-broken').observation.packets;
      const dir = mkdtempSync(join(tmpdir(), 'hoplens-pcap-'));
      try {
        const file = join(dir, 'probe.pcapng');
        const pcap = probePcapng(packets);
        writeFileSync(file, pcap);
        expect(Buffer.from(pcap).includes('podvm/hl-prbf-podns/vxlan0')).toBe(true);
        const out = tcpdump(['-r', file, '-n']);
        expect(out).toMatch(/ICMP echo request, id \d+, seq 1/);
        expect(out).toMatch(/VXLAN, flags \[I\] \(0x08\), vni 555000/);
        expect(tcpdump(['-r', file, '--count'])).toContain(`${packets.length} packets`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
