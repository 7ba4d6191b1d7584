import { expect, it } from 'vitest';
import { EMPTY_URL_STATE, formatUrl, parseUrl } from './urlState.ts';

const roundTrip = (url: string) => {
  const [path, search] = url.split('?');
  return parseUrl(path!, search ? `?${search}` : '');
};

it('round-trips snapshot, pod and destination through the permalink', () => {
  const state = { ...EMPTY_URL_STATE, snapshot: 'abcDEF_-1234567890123456', pod: 'worker/hl-seed-pod', to: 'node' };
  const url = formatUrl(state);
  expect(url).toBe('/s/abcDEF_-1234567890123456?pod=worker%2Fhl-seed-pod&to=node');
  expect(roundTrip(url)).toEqual(state);
});

it('round-trips a Service destination with its protocol and port, and reads a bad protocol or port as ICMP, no port', () => {
  const state = {
    ...EMPTY_URL_STATE,
    snapshot: 'c'.repeat(22),
    pod: 'node-a/p2',
    to: 'default/web:p80',
    proto: 'tcp' as const,
    port: 80,
  };
  expect(formatUrl(state)).toBe(`/s/${'c'.repeat(22)}?pod=node-a%2Fp2&to=default%2Fweb%3Ap80&proto=tcp&port=80`);
  expect(roundTrip(formatUrl(state))).toEqual(state);
  const odd = parseUrl(`/s/${'c'.repeat(22)}`, '?pod=a%2Fb&to=10.0.0.1&proto=sctp&port=70000');
  expect([odd.proto, odd.port]).toEqual(['icmp', undefined]);
});

it('round-trips the probe of a path, and drops one without its path', () => {
  const state = {
    ...EMPTY_URL_STATE,
    snapshot: 'c'.repeat(22),
    pod: 'default/seed',
    to: 'node',
    probe: 'p'.repeat(22),
  };
  expect(formatUrl(state)).toBe(`/s/${'c'.repeat(22)}?pod=default%2Fseed&to=node&probe=${'p'.repeat(22)}`);
  expect(roundTrip(formatUrl(state))).toEqual(state);
  expect(parseUrl(`/s/${'c'.repeat(22)}`, `?probe=${'p'.repeat(22)}`).probe).toBeUndefined();
});

it('round-trips everything a view has: compare, selection, filters, expanded groups and zoom', () => {
  const state = {
    ...EMPTY_URL_STATE,
    snapshot: 'b'.repeat(22),
    vs: 'a'.repeat(22),
    sel: 'if:node-1//3',
    q: '10.0.',
    field: 'ip' as const,
    sev: 'critical' as const,
    expand: ['host:node-1', 'host:node-7'],
    viewport: { kind: 'graph' as const, x: -300, y: 120, relZoom: 2.5 },
  };
  expect(roundTrip(formatUrl(state))).toEqual(state);
});

it('still reads links that stored the view in screen pixels, and prefers the graph region when both are there', () => {
  const id = 'x'.repeat(22);
  expect(parseUrl(`/s/${id}`, '?v=1.25,-300,120').viewport).toEqual({ kind: 'screen', zoom: 1.25, x: -300, y: 120 });
  expect(parseUrl(`/s/${id}`, '?v=1.25,-300,120&c=10,20,3').viewport).toEqual({
    kind: 'graph',
    x: 10,
    y: 20,
    relZoom: 3,
  });
});

it('reads the home page as no snapshot, omits defaults, and ignores values it does not know', () => {
  expect(parseUrl('/', '')).toEqual(EMPTY_URL_STATE);
  expect(formatUrl({ ...EMPTY_URL_STATE, snapshot: 'x'.repeat(22) })).toBe(`/s/${'x'.repeat(22)}`);
  const odd = parseUrl(`/s/${'x'.repeat(22)}`, '?field=colour&sev=doom&v=1,nope,3&c=1,2,0');
  expect([odd.field, odd.sev, odd.viewport]).toEqual(['any', undefined, undefined]);
});

it('round-trips the endpoint branch of a Service trace, and drops one without its path', () => {
  const state = {
    ...EMPTY_URL_STATE,
    snapshot: 'c'.repeat(22),
    pod: 'node-a/p2',
    to: 'default/web',
    branch: '10.244.2.3:8080',
  };
  expect(formatUrl(state)).toBe(`/s/${'c'.repeat(22)}?pod=node-a%2Fp2&to=default%2Fweb&branch=10.244.2.3%3A8080`);
  expect(roundTrip(formatUrl(state))).toEqual(state);
  expect(parseUrl(`/s/${'c'.repeat(22)}`, '?branch=10.244.2.3%3A8080').branch).toBeUndefined();
  expect(parseUrl(`/s/${'c'.repeat(22)}`, `?pod=a%2Fb&branch=${'x'.repeat(5000)}`).branch).toHaveLength(300);
});
