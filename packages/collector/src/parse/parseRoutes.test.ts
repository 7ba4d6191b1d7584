import { describe, expect, it } from 'vitest';
import { parseRoutes, withMtuLocks } from './parseRoutes.ts';

// Real output of `ip -4 -d -j route show table all` and its text twin, after
// `ip route add 10.7.0.0/24 dev d0 mtu lock 1300 advmss 1200`, `… 10.8.0.0/24 dev d0 mtu 1400`,
// a multipath route and a blackhole in table 7 (trimmed of the local table).
const JSON_OUT = JSON.stringify([
  { type: 'blackhole', dst: '10.5.0.0/24', table: '7', protocol: 'boot', scope: 'global', flags: [] },
  { type: 'unicast', dst: '10.6.0.0/24', table: 'main', protocol: 'boot', scope: 'global', flags: [] },
  {
    type: 'unicast',
    dst: '10.7.0.0/24',
    dev: 'd0',
    table: 'main',
    scope: 'link',
    metrics: [{ mtu: 1300, advmss: 1200 }],
  },
  { type: 'unicast', dst: '10.8.0.0/24', dev: 'd0', table: 'main', scope: 'link', metrics: [{ mtu: 1400 }] },
]);
const TEXT_OUT = `blackhole 10.5.0.0/24 table 7 proto boot scope global 
unicast 10.6.0.0/24 table main proto boot scope global linkdown 
\tnexthop dev d0 weight 1 linkdown 
\tnexthop via 10.9.0.5 dev d0 weight 1 linkdown 
unicast 10.7.0.0/24 dev d0 table main proto boot scope link linkdown mtu lock 1300 advmss 1200 
unicast 10.8.0.0/24 dev d0 table main proto boot scope link linkdown mtu 1400 
`;

describe('a route’s own MTU from iproute2', () => {
  it('reads `mtu` from the JSON metrics, and nothing where a route sets none', () => {
    const routes = parseRoutes(JSON_OUT);
    expect(routes.map((r) => r.mtu)).toEqual([undefined, undefined, 1300, 1400]);
  });

  it('marks the locked MTU from the text of the same dump, multipath nexthop lines skipped', () => {
    const routes = withMtuLocks(parseRoutes(JSON_OUT), TEXT_OUT);
    expect(routes.map((r) => r.mtuLock)).toEqual([undefined, undefined, true, undefined]);
  });

  it('leaves the routes unmarked where the text does not line up with the JSON (routes changed between)', () => {
    const routes = parseRoutes(JSON_OUT);
    expect(withMtuLocks(routes, TEXT_OUT.replace('10.8.0.0/24', '10.9.0.0/24'))).toEqual(routes);
    expect(withMtuLocks(routes, TEXT_OUT.split('\n').slice(1).join('\n'))).toEqual(routes);
  });
});
