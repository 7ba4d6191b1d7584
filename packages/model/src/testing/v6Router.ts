import { NetBuilder } from './netBuilder.ts';

/**
 * Two IPv6 pods (fd00:a::2, fd00:c::2) either side of a router (fd00:a::1 on ra, fd00:c::1 on rc)
 * with permanent neighbour entries (ND is not traced), as the lab's `ipv6` scenario builds them.
 */
export function v6Router() {
  const b = new NetBuilder();
  const a = b.netns('node', 'a');
  const r = b.netns('node', 'r', { root: true });
  const c = b.netns('node', 'c');
  const [ra, ea] = b.veth(r, 'ra', a, 'eth0');
  const [rc, ec] = b.veth(r, 'rc', c, 'eth0');
  b.addr(a, 'eth0', 'fd00:a::2/64');
  b.addr(c, 'eth0', 'fd00:c::2/64');
  b.addr(r, 'ra', 'fd00:a::1/64');
  b.addr(r, 'rc', 'fd00:c::1/64');
  b.route(a, 'default', { gateway: 'fd00:a::1', dev: 'eth0' });
  b.route(c, 'default', { gateway: 'fd00:c::1', dev: 'eth0' });
  b.neighbor(a, 'eth0', 'fd00:a::1', ra.mac!);
  b.neighbor(c, 'eth0', 'fd00:c::1', rc.mac!);
  b.neighbor(r, 'ra', 'fd00:a::2', ea.mac!);
  b.neighbor(r, 'rc', 'fd00:c::2', ec.mac!);
  return { b, a, r, c };
}
