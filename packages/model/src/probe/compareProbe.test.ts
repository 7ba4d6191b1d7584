import { describe, expect, it } from 'vitest';
import bridgedNoRoute from '../../fixtures/probe/bridged-no-route.json' with { type: 'json' };
import bridgedStaleArp from '../../fixtures/probe/bridged-stale-arp.json' with { type: 'json' };
import seedBroken from '../../fixtures/probe/seed-broken.json' with { type: 'json' };
import seedFixed from '../../fixtures/probe/seed-fixed.json' with { type: 'json' };
import seedRemoteUnknownDf from '../../fixtures/probe/seed-remote-unknown-df.json' with { type: 'json' };
import type { DropSite, OffPathTarget, ProbeObservation, ProbeSend } from '../schema/probe.ts';
import { ProbeResultSchema } from '../schema/probe.ts';
import type { TraceResult } from '../schema/trace.ts';
import { validate } from '../schema/validate.ts';
import { compareProbe } from './compareProbe.ts';

interface Fixture {
  send: ProbeSend;
  predicted: TraceResult;
  offPath: OffPathTarget[];
  observation: ProbeObservation;
}
const recorded: Record<string, unknown> = {
  'seed-broken': seedBroken,
  'seed-fixed': seedFixed,
  'seed-remote-unknown-df': seedRemoteUnknownDf,
  'bridged-stale-arp': bridgedStaleArp,
  'bridged-no-route': bridgedNoRoute,
};
/** Probes recorded on the lab (packages/lab/scripts/recordProbeFixtures.ts). */
const fixture = (name: string): Fixture => recorded[name] as Fixture;

const compare = (f: Fixture, predicted = f.predicted) =>
  validate(
    ProbeResultSchema,
    compareProbe({
      id: 'probe-id-0123456789',
      snapshotId: null,
      createdAt: '2026-11-26T00:00:00.000Z',
      send: f.send,
      mark: { icmpId: 1, pattern: '686c70' },
      predicted,
      offPath: f.offPath,
      observation: f.observation,
    }),
    'probe result',
  );

describe('a probe beside its trace (recorded on the lab)', () => {
  it("agrees with the broken seed's prediction and says the kernel's verdict in words", () => {
    const r = compare(fixture('seed-broken'));
    expect(r.observed.verdict).toBe('dropped');
    expect(r.agreement).toMatchObject({ verdict: 'agree', dropSite: 'agree' });
    expect(r.agreement.summary).toMatch(
      /dropped the request \(icmp_seq 1\) at podvm\/hl-prbf-podns\/vxlan0: OTHERHOST — the frame's destination MAC is not this interface's/,
    );
    const last = r.hops[r.hops.length - 1]!;
    expect(last.request).toBe('seen');
    expect(last.drops.map((d) => d.reason)).toEqual(['OTHERHOST', 'OTHERHOST']);
    expect(last.how).toContain('request in (otherhost)');
    expect(r.lastSeen).toMatchObject({ interface: 'vxlan0', packet: 'request' });
  });

  it('sees every hop of the fixed twin, the request on the way there and the reply on the way back', () => {
    const r = compare(fixture('seed-fixed'));
    expect(r.agreement).toMatchObject({ verdict: 'agree', dropSite: 'none' });
    expect(r.kernelDrop).toBeNull();
    r.hops.forEach((h, i) => expect(h[r.predicted.hops[i]!.direction], `hop ${i}`).toBe('seen'));
    expect(r.hops.every((h) => h.request === 'seen' && h.reply === 'seen')).toBe(true);
  });

  it('disagrees loudly when the trace predicted delivery and the kernel dropped it', () => {
    const r = compare(fixture('seed-broken'), fixture('seed-fixed').predicted);
    expect(r.agreement.verdict).toBe('disagree');
    expect(r.agreement.dropSite).toBe('disagree');
    expect(r.agreement.details[0]).toMatch(
      /the kernel disagrees with the trace: the trace predicted delivered, ping says dropped/,
    );
  });

  it('disagrees when the trace predicted a drop and ping got its replies', () => {
    const r = compare(fixture('seed-fixed'), fixture('seed-broken').predicted);
    expect(r.agreement).toMatchObject({ verdict: 'disagree', dropSite: 'none' });
  });

  it('counts a drop after vxlan1 sent the packet on, at the neighbour of the underlay, as the predicted hop', () => {
    const r = compare(fixture('seed-remote-unknown-df'));
    expect(r.kernelDrop).toMatchObject({ reason: 'NEIGH_FAILED', site: { interface: 'ens3', stage: 'neighbor' } });
    expect(r.agreement.dropSite).toBe('agree');
  });

  it('counts the copy a bridge flooded to another pod as the hop right after the flooding bridge', () => {
    const r = compare(fixture('bridged-stale-arp'));
    expect(r.offPath.map((t) => `${t.netns}/${t.interface}`)).toContain('hl-prbf-na-p3/eth0');
    expect(r.kernelDrop).toMatchObject({ reason: 'OTHERHOST', site: { netns: 'hl-prbf-na-p3', interface: 'eth0' } });
    expect(r.agreement.dropSite).toBe('agree');
  });

  it('takes the kernel refusing to send for the drop, at the namespace ping ran in', () => {
    const r = compare(fixture('bridged-no-route'));
    expect(r.kernelDrop).toMatchObject({ reason: 'ENETUNREACH', attribution: 'send-error', site: { stage: 'origin' } });
    expect(r.agreement).toMatchObject({ verdict: 'agree', dropSite: 'agree' });
  });

  it('says the drop site was not observed when the kernel could not be traced', () => {
    const f = fixture('seed-broken');
    const r = compare({
      ...f,
      observation: { ...f.observation, kernel: { available: false, why: 'tracefs is not mounted' } },
    });
    expect(r.agreement).toMatchObject({ verdict: 'agree', dropSite: 'unobserved' });
    expect(r.agreement.summary).toMatch(/last seen on podvm\/hl-prbf-podns\/vxlan0/);
  });

  it('shows a drop left between two places once, and says the site is uncertain rather than agreeing', () => {
    const f = fixture('seed-broken');
    const kernel = f.observation.kernel;
    if (!kernel.available) throw new Error('the fixture traced the kernel');
    const ens3: DropSite = { host: 'worker', netns: 'hl-prbf-worker', interface: 'ens3', stage: 'transmit' };
    const between = (also: DropSite): Fixture => ({
      ...f,
      observation: {
        ...f.observation,
        kernel: { ...kernel, drops: kernel.drops.map((d) => ({ ...d, alsoPossible: [also] })) },
      },
    });
    const r = compare(between(ens3));
    expect(r.agreement.dropSite).toBe('uncertain');
    expect(r.agreement.summary).toMatch(
      /at podvm\/hl-prbf-podns\/vxlan0, or at worker\/hl-prbf-worker\/ens3 \(its site is uncertain/,
    );
    expect(r.hops.filter((h) => h.drops.length > 0).map((h) => h.hop)).toEqual([10]);
    // Both places agreeing with the prediction (vxlan0, or just after it) is agreement all the same.
    expect(compare(between({ ...kernel.drops[0]!.site, stage: 'transmit' })).agreement.dropSite).toBe('agree');
  });
});
