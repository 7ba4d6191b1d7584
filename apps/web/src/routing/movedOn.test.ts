import { describe, expect, it } from 'vitest';
import { movedOn } from './movedOn.ts';
import { EMPTY_URL_STATE, type UrlState } from './urlState.ts';

const at: UrlState = { ...EMPTY_URL_STATE, snapshot: 'AAAAAAAAAAAAAAAAAAAAAA' };

describe('movedOn', () => {
  it('is false for looking around the same place: panning, zooming, searching, opening groups', () => {
    expect(
      movedOn(at, { ...at, viewport: { kind: 'screen', x: 1, y: 2, zoom: 3 }, q: 'eth0', expand: ['host:w1'] }),
    ).toBe(false);
  });

  it('is true for another snapshot, a comparison, a pod, a path’s destination, protocol, port or branch, a probe or a selection', () => {
    for (const change of [
      { snapshot: 'BBBBBBBBBBBBBBBBBBBBBB' },
      { vs: 'BBBBBBBBBBBBBBBBBBBBBB' },
      { pod: 'default/web' },
      { to: '10.0.0.1' },
      { proto: 'tcp' as const },
      { port: 443 },
      { branch: '10.244.2.3:8080' },
      { probe: 'p1' },
      { sel: 'if:w1/root/2' },
    ])
      expect(movedOn(at, { ...at, ...change })).toBe(true);
  });
});
