import { describe, expect, it } from 'vitest';
import type { Pod } from '../schema/snapshot.ts';
import { podPage } from './podPage.ts';

const pod = (name: string, ip: string): Pod => ({
  name,
  namespace: 'default',
  ips: [ip],
  netns: [{ host: 'worker-1', netns: name }],
  inferred: false,
});
const pods = Array.from({ length: 120 }, (_, i) => pod(`web-${i}`, `10.1.${Math.floor(i / 10)}.${i % 10}`));

describe('podPage', () => {
  it('sends one page of the pods and says how many there are in all', () => {
    const page = podPage(pods, {});
    expect(page.pods).toHaveLength(40);
    expect(page.total).toBe(120);
    expect(podPage(pods, { offset: 100, limit: 50 }).pods.map((p) => p.name)[0]).toBe('web-100');
  });

  it('finds pods by a part of their name, case-insensitive, or of an IP', () => {
    expect(podPage(pods, { q: 'WEB-11' }).pods.map((p) => p.name)).toEqual([
      'web-11',
      'web-110',
      'web-111',
      'web-112',
      'web-113',
      'web-114',
      'web-115',
      'web-116',
      'web-117',
      'web-118',
      'web-119',
    ]);
    expect(podPage(pods, { q: '10.1.11.' }).total).toBe(10);
  });

  it('puts the pod whose key is typed in full first', () => {
    expect(podPage(pods, { q: 'default/web-119' }).pods[0]?.name).toBe('web-119');
    expect(podPage(pods, { q: 'default/web-1', limit: 1 }).pods[0]?.name).toBe('web-1');
  });
});
