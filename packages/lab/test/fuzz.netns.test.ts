import { afterAll, describe, expect, it } from 'vitest';
import { canBuildNetns } from '@hoplens/collector/testing';
import { fuzzCase, type FuzzBase, type FuzzResult } from '../src/fuzz/fuzzCase.ts';
import { labDown } from '../src/labDown.ts';
import { newLabPrefix } from '../src/prefix.ts';

/**
 * Random faults against the real kernel: each case builds a healthy lab, makes two changes picked
 * by a seeded die (an interface down or re-addressed, a wrong neighbour entry, a route, an address,
 * forwarding or rp_filter, an iptables or nftables drop, an MTU, a detached bridge port, a lost tc
 * filter, a gateway nobody holds; where the lab runs servers, also a port dropped or refused, one of
 * kube-proxy's chains cut or its DNAT sent elsewhere, a server stopped), collects, and compares
 * trace's verdict with a real ping, or for TCP/UDP flows with real connections (the endpoints that
 * answer, and whether some fail), for every flow. hoplens may say `unknown`; a confident verdict the
 * kernel contradicts is a defect. HOPLENS_FUZZ_CASES (default: one case per base) and
 * HOPLENS_FUZZ_SEED (default 1) widen the search by hand; HOPLENS_FUZZ_SEEDS replays cases.
 */
const BASES: readonly FuzzBase[] = [
  { scenario: 'seed', variant: 'fixed' },
  { scenario: 'bridged-nodes', variant: 'ok' },
  { scenario: 'policy-routing', variant: 'ok' },
  { scenario: 'reverse-path', variant: 'symmetric' },
  { scenario: 'bridge-ports', variant: 'ok' },
  { scenario: 'route-mtu', variant: 'ok' },
  { scenario: 'bridged-tunnel', variant: 'ok' },
  { scenario: 'ipv6', variant: 'forward' },
  { scenario: 'cni-plugins', variant: 'bridge' },
  { scenario: 'macvlan', variant: 'bridge' },
  { scenario: 'peer-pod-filters', variant: 'iptables-ok' },
  { scenario: 'node-filters', variant: 'br-forward-ok' },
  { scenario: 'arp', variant: 'gateway-on-lo' },
  { scenario: 'arp', variant: 'proxy-arp' },
  { scenario: 'macvlan', variant: 'vepa' },
  { scenario: 'cni-plugins', variant: 'ptp' },
  { scenario: 'cni-plugins', variant: 'bridge-masq' },
  { scenario: 'peer-pod-filters', variant: 'nft-tunnel-ok' },
  { scenario: 'peer-pod-filters', variant: 'dual-stack' },
  { scenario: 'node-filters', variant: 'u32-pass' },
  { scenario: 'ovn-seed', variant: 'ok' },
  { scenario: 'kube-service', variant: 'ok' },
  { scenario: 'kube-service', variant: 'ok-nft' },
  { scenario: 'asymmetric-return', variant: 'ok' },
];
const CASES = Number(process.env.HOPLENS_FUZZ_CASES ?? BASES.length);
const FIRST_SEED = Number(process.env.HOPLENS_FUZZ_SEED ?? 1);
/** The seeds to run: HOPLENS_FUZZ_SEEDS (a comma-separated list, to replay a case), or CASES from FIRST_SEED. */
const SEEDS =
  process.env.HOPLENS_FUZZ_SEEDS?.split(',').map(Number) ?? Array.from({ length: CASES }, (_, i) => FIRST_SEED + i);
// The base is the seed's too: a seed names its case whatever ran beside it.
const cases = SEEDS.map((seed) => [BASES[seed % BASES.length]!, seed] as const);

const prefixes = new Set<string>();
const results: FuzzResult[] = [];

describe.skipIf(!canBuildNetns())('random faults: trace agrees with the kernel', () => {
  afterAll(async () => {
    for (const p of prefixes) await labDown(p).catch(() => undefined);
    const rows = results.flatMap((r) => r.rows);
    const count = (f: (x: (typeof rows)[number]) => boolean): number => rows.filter(f).length;
    console.log(
      `${results.length} cases, ${rows.length} flows: ${count((x) => x.trace === 'delivered')} delivered, ` +
        `${count((x) => x.trace === 'dropped')} dropped, ${count((x) => x.trace === 'unknown')} unknown, ` +
        `${count((x) => x.wrong)} wrong`,
    );
  });

  it.each(cases)(
    '%o seed %i',
    async (base, seed) => {
      const prefix = newLabPrefix();
      prefixes.add(prefix);
      const r = await fuzzCase(base, seed, prefix);
      prefixes.delete(prefix);
      results.push(r);
      // Each case as it ends: the changes, then every flow (kernel, trace, where trace stopped).
      const refused = r.refused.length ? ` (refused: ${r.refused.join('; ')})` : '';
      console.log(
        [
          `${base.scenario}/${base.variant} seed ${seed}: ${r.mutations.map((m) => m.label).join('; ')}${refused}`,
          ...r.rows.flatMap((x) => [
            `  ${x.flow} | kernel ${x.kernel} | trace ${x.trace}${x.predicted === undefined ? '' : ` (${x.predicted})`}${x.wrong ? ' WRONG' : ''} | ${x.stop}`,
            ...(x.hops ?? []).map((h) => `      ${h}`),
          ]),
        ].join('\n'),
      );
      expect(r.rows.length).toBeGreaterThan(0);
      expect(r.rows.filter((x) => x.wrong)).toEqual([]);
    },
    120_000,
  );

  // Random faults that break nothing, or everything, would prove little: both fates must be seen.
  it('saw flows both delivered and dropped, with the changes made', () => {
    const rows = results.flatMap((r) => r.rows);
    expect(rows.some((x) => x.kernel === 'delivered' && x.trace === 'delivered')).toBe(true);
    expect(rows.some((x) => x.kernel === 'dropped' && x.trace === 'dropped')).toBe(true);
    expect(results.every((r) => r.mutations.length > 0)).toBe(true);
  });
});
