/**
 * Re-records the probe fixtures (packages/model/fixtures/probe) from the real lab: for a few lab
 * flows, what one machine's probe read (the tracefs `trace` text and formats, the captured frames,
 * ping's answer) and what it made of it, with the trace's prediction. The unit tests of the drop
 * attribution and of the comparison run on these. Needs root and tracefs. Names as arguments
 * re-record only those fixtures; HOPLENS_FIXTURE_PREFIX builds the lab under another prefix.
 * A `parts` case observes as a server does when it reaches each host of the path separately
 * (`probeInParts`: one observation per host, each tracing only its own interfaces, on this kernel).
 *   sudo pnpm exec tsx packages/lab/scripts/recordProbeFixtures.ts [name...]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { collectLocal, createSnapshot, newProbeMark, observeProbe, type ProbeRecording } from '@hoplens/collector';
import { offPathTargets, SnapshotIndex, trace, watchList } from '@hoplens/model';
import { labDown, labUp, probeInParts } from '../src/index.ts';

const CASES: readonly {
  name: string;
  scenario: string;
  variant: string;
  flow: number;
  parts?: true;
  count?: number;
}[] = [
  { name: 'seed-broken', scenario: 'seed', variant: 'broken', flow: 0 },
  { name: 'seed-fixed', scenario: 'seed', variant: 'fixed', flow: 0 },
  { name: 'seed-no-redirect-df', scenario: 'seed', variant: 'no-redirect', flow: 1 },
  { name: 'seed-underlay-down', scenario: 'seed', variant: 'underlay-down', flow: 0 },
  { name: 'seed-remote-unknown-df', scenario: 'seed', variant: 'remote-unknown', flow: 1 },
  { name: 'bridged-stale-arp', scenario: 'bridged-nodes', variant: 'stale-arp', flow: 0 },
  { name: 'bridged-stale-arp-reply', scenario: 'bridged-nodes', variant: 'stale-arp', flow: 1 },
  { name: 'bridged-gateway-failed', scenario: 'bridged-nodes', variant: 'gateway-failed', flow: 0 },
  { name: 'bridged-no-route', scenario: 'bridged-nodes', variant: 'no-route', flow: 0 },
  { name: 'seed-broken-parts', scenario: 'seed', variant: 'broken', flow: 0, parts: true, count: 3 },
];
const PREFIX = process.env.HOPLENS_FIXTURE_PREFIX ?? 'hl-prbf-';
const out = new URL('../../model/fixtures/probe/', import.meta.url);
mkdirSync(out, { recursive: true });

const NEAR_NS = 10_000_000n;
const stamp = (l: string): bigint | undefined => {
  const m = / (\d+)\.(\d{6}): /.exec(l);
  return m ? BigInt(m[1]!) * 1_000_000_000n + BigInt(m[2]!) * 1000n : undefined;
};
const address = (l: string): string | undefined => /skbaddr=(\S+)/.exec(l)?.[1];

/**
 * What attribution reads, without the bulk of the machine's other traffic: every free and failed
 * neighbour of the probe's window, the device events within 10 ms of a captured probe packet or of
 * a failed neighbour (other people's packets there included: that is the noise attribution must
 * see through), and every event of the buffers those name.
 */
function trimmed(r: ProbeRecording): string {
  const lines = r.trace.split('\n').filter((l) => !l.startsWith('#'));
  const [start, end] = [BigInt(r.startNs), BigInt(r.endNs)];
  const anchors = [
    ...r.captures.map((c) => BigInt(c.monoNs)),
    ...lines.filter((l) => l.includes('neigh_timer_handler')).map((l) => stamp(l)!),
  ];
  const near = (t: bigint): boolean => anchors.some((a) => (a > t ? a - t : t - a) <= NEAR_NS);
  const kept = lines.filter((l) => {
    const t = stamp(l);
    if (t === undefined) return false;
    if (/kfree_skb|neigh_timer_handler/.test(l)) return t >= start && t <= end + NEAR_NS;
    return /netif_receive_skb|net_dev_queue/.test(l) && near(t);
  });
  const addresses = new Set(kept.map(address).filter((a) => a !== undefined));
  return lines.filter((l) => kept.includes(l) || addresses.has(address(l) ?? '')).join('\n');
}

const only = process.argv.slice(2);
const unknown = only.filter((n) => !CASES.some((c) => c.name === n));
if (unknown.length > 0) throw new Error(`no such fixture: ${unknown.join(', ')}`);
for (const c of CASES.filter((k) => only.length === 0 || only.includes(k.name))) {
  await labDown(PREFIX).catch(() => undefined);
  const plan = await labUp({ scenario: c.scenario, variant: c.variant, prefix: PREFIX });
  try {
    const index = new SnapshotIndex(createSnapshot(await collectLocal(plan.hostMap), 'probe fixture'));
    const f = plan.flows[c.flow]!;
    const send = { from: f.from, to: f.to, count: c.count ?? 2, size: f.size ?? 56, df: f.df ?? false };
    const predicted = trace(index, f.from, f.to, { size: send.size, df: send.df });
    const offPath = offPathTargets(predicted, index);
    if (c.parts) {
      const recordings: ProbeRecording[] = [];
      const { parts } = await probeInParts({
        map: plan.hostMap,
        index,
        send,
        predicted,
        record: (i, r) => (recordings[i] = { ...r, trace: trimmed(r) }),
      });
      const fixture = {
        send,
        predicted,
        offPath,
        parts: parts.map((observation, i) => ({ observation, recording: recordings[i] })),
      };
      writeFileSync(new URL(`${c.name}.json`, out), `${JSON.stringify(fixture)}\n`);
      console.log(`recorded ${c.name} in ${parts.length} parts`);
      continue;
    }
    let recording: ProbeRecording | undefined;
    const observation = await observeProbe({
      map: plan.hostMap,
      mark: newProbeMark(),
      send,
      watch: watchList(predicted, offPath),
      windowMs: 0,
      record: (r) => (recording = r),
    });
    const file = new URL(`${c.name}.json`, out);
    const fixture = {
      send,
      predicted,
      offPath,
      observation,
      recording: recording && { ...recording, trace: trimmed(recording) },
    };
    writeFileSync(file, `${JSON.stringify(fixture)}\n`);
    console.log(`recorded ${file.pathname}`);
  } finally {
    await labDown(PREFIX);
  }
}
