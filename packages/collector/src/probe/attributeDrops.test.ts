import { compareProbe, mergeObservations } from '@hoplens/model';
import { describe, expect, it } from 'vitest';
import { attributionInput, probeFixture, probePartsFixture } from '../testing/probeFixtures.ts';
import { attributeDrops } from './attributeDrops.ts';

const where = (d: { site: { netns: string | null; interface: string | null; stage: string } }): string =>
  `${d.site.netns ?? '(root)'}/${d.site.interface ?? '-'} ${d.site.stage}`;

describe('attributing kernel drops to the probe (recorded on the lab, with other tests running)', () => {
  it('finds the seed fault: each echo dropped as OTHERHOST while the pod VM vxlan0 received it', () => {
    const { drops } = attributeDrops(attributionInput(probeFixture('seed-broken')));
    expect(drops.map((d) => [d.seq, d.reason, where(d), d.location, d.attribution])).toEqual([
      [1, 'OTHERHOST', 'hl-prbf-podns/vxlan0 receive', 'ip_rcv_core+0x22c/0x350', 'skb'],
      [2, 'OTHERHOST', 'hl-prbf-podns/vxlan0 receive', 'ip_rcv_core+0x22c/0x350', 'skb'],
    ]);
  });

  it('counts no loss when ping got its replies: the freed copy beside its raw socket is no drop', () => {
    const { drops } = attributeDrops(attributionInput(probeFixture('seed-fixed')));
    expect(drops.length).toBeGreaterThan(0);
    expect(drops.every((d) => d.reason === 'NO_SOCKET' && !d.lostEcho && d.packet === 'reply')).toBe(true);
  });

  it('follows the reply in pieces to vxlan1 on the worker, where it is not for the interface', () => {
    const { drops } = attributeDrops(attributionInput(probeFixture('seed-no-redirect-df')));
    expect(new Set(drops.map((d) => `${d.packet} ${d.reason} ${where(d)}`))).toEqual(
      new Set(['reply OTHERHOST hl-prbf-pod/vxlan1 receive']),
    );
  });

  it('names the neighbour that gave up: the worker ens3 asking for the pod VM behind a dead link', () => {
    const { drops } = attributeDrops(attributionInput(probeFixture('seed-underlay-down')));
    expect(new Set(drops.map((d) => `${d.reason} ${where(d)}`))).toEqual(
      new Set(['NEIGH_FAILED hl-prbf-worker/ens3 neighbor']),
    );
  });

  it('ties the pieces of a fragmented echo to the failed neighbour its own ARP requests asked for', () => {
    const input = attributionInput(probeFixture('seed-remote-unknown-df'));
    expect(input.arpRequests?.some((r) => r.ip === '192.168.200.9')).toBe(true);
    const { drops } = attributeDrops(input);
    expect(drops.length).toBeGreaterThan(0);
    expect(new Set(drops.map((d) => `${d.reason} ${where(d)} ${d.attribution}`))).toEqual(
      new Set(['NEIGH_FAILED hl-prbf-worker/ens3 neighbor timing']),
    );
  });

  it('claims nothing from that neighbour when the probe saw no ARP request for it and others failed too', () => {
    const input = attributionInput(probeFixture('seed-remote-unknown-df'));
    const others = input.events.filter((e) => e.event === 'neigh_timer_handler');
    const noisy = {
      ...input,
      arpRequests: [],
      // Another lab's neighbour of the same interface name gives up during the probe.
      events: [...input.events, ...others.map((e) => ({ ...e, tsNs: e.tsNs + 1000n, cpu: 9 }))],
    };
    const { drops, notes } = attributeDrops(noisy);
    expect(drops).toEqual([]);
    expect(notes.join()).toMatch(/neighbours of interfaces named ens3 failed/);
  });

  it("claims nothing from another lab's lone failing ens3 when the probe's own ens3 asked for another neighbour", () => {
    const input = attributionInput(probeFixture('seed-remote-unknown-df'));
    const failures = input.events.filter((e) => e.event === 'neigh_timer_handler' && e.nudState === 0x20);
    expect(failures.map((e) => e.device)).toEqual(['ens3']);
    // The probe's ens3 resolved its next hop (answered: no failure of its own); a twin elsewhere failed.
    const answeredElsewhere = {
      ...input,
      arpRequests: (input.arpRequests ?? []).map((r) => ({ ...r, ip: '192.168.200.2' })),
    };
    expect(attributeDrops(answeredElsewhere).drops.filter((d) => d.attribution === 'timing')).toEqual([]);
    expect(attributeDrops(input).drops.some((d) => d.attribution === 'timing')).toBe(true);
  });

  it('places the flooded copy where the kernel dropped it: the other pod, off the predicted path', () => {
    const { drops } = attributeDrops(attributionInput(probeFixture('bridged-stale-arp')));
    expect(drops.map((d) => `${d.seq} ${d.reason} ${where(d)}`)).toEqual([
      '1 OTHERHOST hl-prbf-na-p3/eth0 receive',
      '2 OTHERHOST hl-prbf-na-p3/eth0 receive',
    ]);
  });

  it('places the flooded reply at the pod it reached, not at the eth0 its request crossed microseconds before', () => {
    const input = attributionInput(probeFixture('bridged-stale-arp-reply'));
    const expected = ['1 reply OTHERHOST hl-prbf-na-p3/eth0 receive', '2 reply OTHERHOST hl-prbf-na-p3/eth0 receive'];
    const placed = (i: typeof input): string[] =>
      attributeDrops(i).drops.map((d) => `${d.seq} ${d.packet} ${d.reason} ${where(d)}`);
    expect(placed(input)).toEqual(expected);
    // A capture stamped late (CI: the capture helper preempted while it converted the kernel's
    // clock, now read between two monotonic readings) by 3/4 of the gap to its reply's capture at the
    // other eth0 lies nearer to the reply's arrival there than to its own: pairing each device
    // name's frames in time order still gives each capture its own event.
    const isInto = (p: (typeof input.packets)[number], kind: string, netns: string): boolean =>
      p.kind === kind && p.direction === 'in' && p.target.netns === netns;
    const replyAt = new Map(
      input.packets.filter((p) => isInto(p, 'reply', 'hl-prbf-na-p3')).map((p) => [p.seq, p.monoNs]),
    );
    const late = {
      ...input,
      packets: input.packets.map((p) => {
        const reply = replyAt.get(p.seq);
        if (!isInto(p, 'request', 'hl-prbf-na-p2') || reply === undefined) return p;
        expect(reply > p.monoNs).toBe(true);
        return { ...p, monoNs: p.monoNs + ((reply - p.monoNs) * 3n) / 4n };
      }),
    };
    expect(late.packets.filter((p, i) => p !== input.packets[i]).length).toBe(2);
    expect(placed(late)).toEqual(expected);
  });

  it('attributes a request that never left the pod to the failed gateway neighbour of its eth0', () => {
    const { drops } = attributeDrops(attributionInput(probeFixture('bridged-gateway-failed')));
    expect(drops.length).toBeGreaterThan(0);
    expect(new Set(drops.map((d) => `${d.reason} ${where(d)}`))).toEqual(
      new Set(['NEIGH_FAILED hl-prbf-na-p2/eth0 neighbor']),
    );
  });

  it('attributes nothing when the captures no longer vouch for the device events', () => {
    const input = attributionInput(probeFixture('seed-broken'));
    const late = { ...input, packets: input.packets.map((p) => ({ ...p, monoNs: p.monoNs + 50_000_000n })) };
    expect(attributeDrops(late).drops).toEqual([]);
  });

  it("gives each captured packet to the closest buffer: another lab's twin half a millisecond later is not the probe's", () => {
    const input = attributionInput(probeFixture('seed-broken'));
    const twin = input.events.map((e) => ({
      ...e,
      skbaddr: e.skbaddr ? `f${e.skbaddr}` : '',
      tsNs: e.tsNs + 500_000n,
    }));
    const { drops } = attributeDrops({ ...input, events: [...input.events, ...twin] });
    expect(drops.map((d) => d.seq)).toEqual([1, 2]);
  });
});

describe('a probe observed in parts on one kernel (a server reaching the worker and the pod VM separately)', () => {
  const fixture = probePartsFixture('seed-broken-parts');
  const parts = fixture.parts.map((p) => {
    const drops = attributeDrops(attributionInput({ send: fixture.send, recording: p.recording })).drops;
    const kernel = p.observation.kernel.available ? { ...p.observation.kernel, drops } : p.observation.kernel;
    return { ...p.observation, kernel };
  });
  const partDrops = (i: number): string[] => {
    const k = parts[i]!.kernel;
    return k.available ? k.drops.map((d) => `${d.seq} ${d.site.host}/${where(d)}`) : [];
  };

  it('sees each OTHERHOST free in both parts: the worker only up to its ens3, the pod VM at vxlan0', () => {
    // The raw evidence: each part's trace instance filters device events to its own interfaces,
    // and both read every kfree_skb of the kernel.
    expect(partDrops(0)).toEqual([1, 2, 3].map((s) => `${s} worker/hl-prb-f-worker/ens3 transmit`));
    expect(partDrops(1)).toEqual([1, 2, 3].map((s) => `${s} podvm/hl-prb-f-podns/vxlan0 receive`));
  });

  it('shows one free at one hop: vxlan0, where the kernel and its rx_otherhost_dropped counter put it', () => {
    const observation = mergeObservations(parts);
    const result = compareProbe({
      id: 'p',
      snapshotId: null,
      createdAt: '2026-11-28T15:33:00Z',
      send: fixture.send,
      mark: fixture.parts[0]!.recording.mark,
      predicted: fixture.predicted,
      offPath: fixture.offPath,
      observation,
    });
    const shown = result.hops.flatMap((h) =>
      h.drops.filter((d) => d.lostEcho).map((d) => `${h.hop} ${d.seq} ${where(d)}`),
    );
    expect(shown).toEqual([1, 2, 3].map((s) => `10 ${s} hl-prb-f-podns/vxlan0 receive`));
    expect(result.predicted.hops[10]?.interface).toBe('vxlan0');
    const counter = observation.counters.find((c) => c.interface === 'vxlan0');
    expect(counter?.rxOtherhostDropped).toBe(shown.length);
    expect(result.agreement.dropSite).toBe('agree');
    expect(result.kernelDrop?.alsoPossible).toBeUndefined();
  });
});
