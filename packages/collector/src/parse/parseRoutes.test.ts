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

  it('matches routes by name where the kernel changed the table between the two dumps', () => {
    const routes = parseRoutes(JSON_OUT);
    const locks = (text: string) => withMtuLocks(routes, text).map((r) => r.mtuLock);
    // A route gone from the text, one added to it: the locked route is still found by its name.
    expect(locks(TEXT_OUT.split('\n').slice(1).join('\n'))).toEqual([undefined, undefined, true, undefined]);
    const added = `unicast fe80::/64 dev d0 table main proto kernel metric 256 pref medium \n${TEXT_OUT}`;
    expect(locks(added)).toEqual([undefined, undefined, true, undefined]);
    // No line by that name, two lines by that name, or another MTU locked: not marked.
    expect(locks(TEXT_OUT.replace('10.7.0.0/24', '10.9.0.0/24'))).toEqual([undefined, undefined, undefined, undefined]);
    const twice = TEXT_OUT.replace('blackhole 10.5.0.0/24 table 7 proto boot scope global \n', '');
    const dup = `${twice}unicast 10.7.0.0/24 dev d0 table main proto boot scope link mtu 1300 \n`;
    expect(locks(dup)).toEqual([undefined, undefined, undefined, undefined]);
    expect(locks(TEXT_OUT.replace('mtu lock 1300', 'mtu lock 1350'))).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });
});
