import { describe, expect, it } from 'vitest';
import { parseIp } from '../net/ip.ts';
import { addressKey, nextRule } from './chainIndex.ts';
import type { Chain, Rule } from './ir.ts';
import type { NfPacket } from './nfPacket.ts';

const rule = (to?: string): Rule => ({
  ref: {
    backend: 'iptables-nft',
    host: 'h',
    netns: null,
    family: 'ipv4',
    table: 'nat',
    chain: 'C',
    text: '',
    command: '',
  },
  steps: [],
  ...(to === undefined ? {} : { onlyTo: addressKey(parseIp(to)!) }),
});
const packet = (dst: string | undefined, family: NfPacket['family'] = 'ipv4'): NfPacket =>
  ({ family, dst: dst === undefined ? undefined : parseIp(dst) }) as NfPacket;

// Rules 0–19 each need a ClusterIP (10.96.0.i, rule 12 a second time for .5), rule 20 any packet.
const chain: Chain = {
  name: 'KUBE-SERVICES',
  rules: [...Array.from({ length: 20 }, (_, i) => rule(`10.96.0.${i === 12 ? 5 : i}`)), rule(), rule('10.96.0.7')],
};

describe("a chain's rules indexed by the one destination each needs", () => {
  it('goes from the first rule to the first that names the packet’s destination, then to its next one', () => {
    expect(nextRule(chain, 0, packet('10.96.0.5'))).toBe(5);
    expect(nextRule(chain, 6, packet('10.96.0.5'))).toBe(12);
  });

  it('goes past the run to the rule that needs no destination, and never skips that one', () => {
    expect(nextRule(chain, 0, packet('10.244.1.1'))).toBe(20);
    expect(nextRule(chain, 13, packet('10.96.0.5'))).toBe(20);
    expect(nextRule(chain, 20, packet('10.244.1.1'))).toBe(20);
  });

  it('reads rule by rule a packet whose destination is not known, and skips the run for ARP', () => {
    expect(nextRule(chain, 3, packet(undefined))).toBe(3);
    expect(nextRule(chain, 0, packet(undefined, 'arp'))).toBe(20);
  });

  it('ends past the last rule when the last run has no rule for the destination', () => {
    expect(nextRule(chain, 21, packet('10.96.0.8'))).toBe(22);
  });
});
