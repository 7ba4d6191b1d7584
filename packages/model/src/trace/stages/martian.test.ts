import { describe, expect, it } from 'vitest';
import { arriveAtNode, twoLinkRouter } from '../../testing/twoLinkRouter.ts';

/** What the node's vp does with a packet from the pod carrying these addresses. */
function receiveAtNode(src: string, dst: string, localnet?: number) {
  const t = twoLinkRouter();
  if (localnet !== undefined) t.b.conf(t.node, 'vp', { ipv4: { routeLocalnet: localnet } });
  const { verdict, hops } = arriveAtNode(t, src, dst);
  return { verdict, stop: hops.find((h) => h.verdict !== 'ok') };
}

describe('martian checks of the IPv4 input routing decision', () => {
  it('drops multicast, limited broadcast and 0.0.0.0/8 sources as invalid', () => {
    for (const src of ['224.0.0.5', '255.255.255.255', '0.1.2.3']) {
      expect(receiveAtNode(src, '10.244.1.1').stop).toMatchObject({ dropReason: 'IP_INVALID_SOURCE' });
    }
  });

  it('drops a 0.0.0.0/8 destination', () => {
    expect(receiveAtNode('10.244.1.2', '0.0.0.9').stop).toMatchObject({ dropReason: 'IP_INVALID_DEST' });
  });

  it('drops loopback addresses arriving from a device unless route_localnet is on', () => {
    expect(receiveAtNode('127.0.0.1', '10.244.1.1').stop).toMatchObject({ dropReason: 'IP_LOCALNET' });
    expect(receiveAtNode('10.244.1.2', '127.0.0.1').stop).toMatchObject({ dropReason: 'IP_LOCALNET' });
    expect(receiveAtNode('10.244.1.2', '127.0.0.1', 1).verdict).not.toBe('dropped');
  });
});
