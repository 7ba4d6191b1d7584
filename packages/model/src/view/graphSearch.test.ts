import { describe, expect, it } from 'vitest';
import { analyze } from '../snapshot/analyze.ts';
import { SEED, seedBroken } from '../testing/seedFixtures.ts';
import { GraphSearch } from './graphSearch.ts';

const search = () => {
  const a = analyze(seedBroken());
  return { a, s: new GraphSearch(a.graph, a.findings) };
};

describe('GraphSearch', () => {
  it('finds the interface that has a MAC, in any case, and says where it lives', () => {
    const { s } = search();
    const { hits } = s.search({ q: SEED.podMac.toUpperCase() });
    expect(hits.map((h) => [h.field, h.label, h.where])).toContainEqual(['mac', 'eth0', `worker/${SEED.pod.netns}`]);
    expect(hits.every((h) => h.value.toLowerCase() === SEED.podMac)).toBe(true);
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
