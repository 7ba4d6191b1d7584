import { describe, expect, it } from 'vitest';
import { EMPTY_URL_STATE, formatUrl, type UrlState } from './urlState.ts';
import { carryView, goneFrom, goneSentence, withoutGone, type CarriedView } from './carryView.ts';

const OLD = 'a'.repeat(22);
const NEW = 'b'.repeat(22);
const looking: UrlState = {
  ...EMPTY_URL_STATE,
  snapshot: OLD,
  vs: 'c'.repeat(22),
  pod: 'default/seed',
  to: 'default/web:p80',
  proto: 'tcp',
  port: 80,
  branch: '10.244.2.3:8080',
  probe: 'p1',
  sel: 'if:worker/hl-pod/2',
  q: 'eth0',
  sev: 'critical',
  expand: ['g1'],
  viewport: { kind: 'graph', x: 10, y: 20, relZoom: 2 },
};

describe('carryView', () => {
  it('opens the new snapshot on the same pod, path, selection, groups, filters and camera', () => {
    const { url } = carryView(looking, NEW);
    expect(formatUrl(url)).toBe(
      `/s/${NEW}?pod=default%2Fseed&to=default%2Fweb%3Ap80&proto=tcp&port=80&branch=10.244.2.3%3A8080` +
        '&sel=if%3Aworker%2Fhl-pod%2F2&q=eth0&sev=critical&expand=g1&c=10%2C20%2C2',
    );
  });

  it('drops what belongs to the old snapshot alone: its comparison and its probe', () => {
    const { url } = carryView(looking, NEW);
    expect([url.vs, url.probe]).toEqual([undefined, undefined]);
  });

  it('remembers where the view came from and what it held', () => {
    expect(carryView(looking, NEW).carried).toEqual({
      from: OLD,
      to: NEW,
      pod: 'default/seed',
      branch: '10.244.2.3:8080',
      sel: 'if:worker/hl-pod/2',
    });
  });
});

describe('goneFrom', () => {
  const c: CarriedView = carryView(looking, NEW).carried;
  const all = { pod: true, branch: true, sel: true };

  it('names nothing when everything carried is there', () => {
    expect(goneFrom(c, all, 'eth0')).toEqual([]);
  });

  it('names nothing it does not know to be missing', () => {
    expect(goneFrom(c, { pod: undefined, branch: undefined, sel: undefined }, 'eth0')).toEqual([]);
  });

  it('names a missing pod once, not its endpoint too', () => {
    expect(goneFrom(c, { ...all, pod: false, branch: false }, 'eth0')).toEqual([{ kind: 'pod', key: 'default/seed' }]);
  });

  it('names a missing endpoint of a pod still there, and a missing selection with its label', () => {
    expect(goneFrom(c, { pod: true, branch: false, sel: false }, 'worker/hl-pod/eth0')).toEqual([
      { kind: 'branch', label: '10.244.2.3:8080' },
      { kind: 'sel', id: 'if:worker/hl-pod/2', label: 'worker/hl-pod/eth0' },
    ]);
  });

  it('does not name the selected pod twice when the pod is gone', () => {
    const podSel = { ...c, sel: 'pod:default/seed' };
    expect(goneFrom(podSel, { pod: false, branch: undefined, sel: false }, 'default/seed')).toEqual([
      { kind: 'pod', key: 'default/seed' },
    ]);
  });
});

describe('withoutGone and goneSentence', () => {
  it('closes the path of a missing pod and clears a missing selection', () => {
    expect(withoutGone([{ kind: 'pod', key: 'default/seed' }])).toEqual({
      pod: undefined,
      branch: undefined,
      sel: undefined,
    });
    expect(withoutGone([{ kind: 'sel', id: 'x', label: 'x' }])).toEqual({ sel: undefined });
    expect(withoutGone([])).toEqual({});
  });

  it('says in words what is missing and what is shown instead', () => {
    expect(goneSentence({ kind: 'pod', key: 'default/seed' })).toBe(
      'Pod default/seed is not in this snapshot, so its path is closed.',
    );
    expect(goneSentence({ kind: 'sel', id: 'if:w/n/2', label: 'interface eth0 in w/n' })).toBe(
      'interface eth0 in w/n is not in this snapshot, so nothing is selected.',
    );
  });
});
