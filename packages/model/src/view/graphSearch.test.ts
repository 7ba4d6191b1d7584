import { describe, expect, it } from 'vitest';
import { analyze } from '../snapshot/analyze.ts';
import { SEED, seedBroken } from '../testing/seedFixtures.ts';
import { GraphSearch, macForm } from './graphSearch.ts';

const search = () => {
  const a = analyze(seedBroken());
  return { a, s: new GraphSearch(a.graph, a.findings) };
};

describe('GraphSearch', () => {
  it('finds the interface that has a MAC, in any case, and says where it lives', () => {
    const { s } = search();
    const { hits } = s.search({ q: SEED.podMac.toUpperCase() });
    expect(hits.map((h) => [h.field, h.label, h.where])).toContainEqual(['mac', 'eth0', `worker/${SEED.pod.netns}`]);
    expect(hits.filter((h) => h.field === 'mac').every((h) => h.value.toLowerCase() === SEED.podMac)).toBe(true);
    // The worker's ARP entry for the pod names that MAC too.
    expect(hits.filter((h) => h.field === 'arp').map((h) => h.value)).toEqual([`${SEED.podIp} at ${SEED.podMac}`]);
  });

  it('finds a MAC written with dashes, with Cisco dots, or cut short as one types', () => {
    const { s } = search();
    for (const q of ['0A-58-0A-84-02-2E', '0a58.0a84.022e', '0a-58-0a-8']) {
      const { hits } = s.search({ q, field: 'mac' });
      expect(hits.map((h) => [h.label, h.where])).toContainEqual(['eth0', `worker/${SEED.pod.netns}`]);
    }
  });

  it('reads dashes and dots as a MAC only when every group has a MAC group size, never an IP', () => {
    expect(macForm('0a-58-0a-84-02-2e')).toBe('0a:58:0a:84:02:2e');
    expect(macForm('0a58.0a84.022e')).toBe('0a:58:0a:84:02:2e');
    expect(macForm('10.132.2.46')).toBeUndefined();
    expect(macForm('hl-seed')).toBeUndefined();
  });

  it('finds both ends of a tunnel by its VNI', () => {
    const { s } = search();
    const { hits } = s.search({ q: '555000' });
    expect(
      hits
        .filter((h) => h.field === 'vni')
        .map((h) => h.where)
        .sort(),
    ).toEqual([`podvm/${SEED.podns.netns}`, `worker/${SEED.pod.netns}`]);
  });

  it('finds the ARP entry that names an IP or a MAC, after the interface that owns it', () => {
    const { s } = search();
    const { hits } = s.search({ q: SEED.podIp });
    const arp = hits.find((h) => h.field === 'arp');
    expect(arp).toMatchObject({
      label: 'ovn-k8s-pod',
      where: `worker/${SEED.worker.netns}`,
      value: `${SEED.podIp} at ${SEED.podMac}`,
    });
    expect(hits.findIndex((h) => h.field === 'arp')).toBeGreaterThan(hits.findIndex((h) => h.field === 'ip'));
    const byMac = s.search({ q: SEED.podMac.replaceAll(':', '-'), field: 'arp' }).hits;
    expect(byMac.map((h) => h.value)).toEqual([`${SEED.podIp} at ${SEED.podMac}`]);
  });

  it('finds a pod by its IP, exact matches first, and names the hosts to expand', () => {
    const { s } = search();
    const { hits } = s.search({ q: SEED.podIp });
    expect(hits[0]?.value.startsWith(SEED.podIp)).toBe(true);
    const pod = hits.find((h) => h.kind === 'pod');
    expect(pod?.hosts.sort()).toEqual(['host:podvm', 'host:worker']);
  });

  it('keeps to one kind of value when asked', () => {
    const { s } = search();
    const { hits } = s.search({ q: 'hl-seed', field: 'netns' });
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.every((h) => h.kind === 'netns' && h.field === 'netns')).toBe(true);
    expect(s.search({ q: 'hl-seed', field: 'mac' }).total).toBe(0);
  });

  it('lists only elements with a finding at least as severe, even with no text', () => {
    const { a, s } = search();
    const fatal = new Set(a.findings.filter((f) => f.severity === 'fatal').flatMap((f) => f.subjects));
    const { hits } = s.search({ q: '', severity: 'fatal' });
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.every((h) => h.severity === 'fatal' && fatal.has(h.id))).toBe(true);
  });

  it('caps the hits but counts them all', () => {
    const { s } = search();
    const all = s.search({ q: '' });
    const one = s.search({ q: '', limit: 1 });
    expect(one.hits).toHaveLength(1);
    expect(one.total).toBe(all.total);
  });
});
