import { describe, expect, it } from 'vitest';
import {
  brokenTunnelId,
  edgeId,
  hostId,
  hostIdOfElement,
  interfaceId,
  neighborEdgeId,
  netnsId,
  parseElementId,
  podId,
  podIdOfKey,
  remoteId,
  summedEdgeId,
} from './ids.ts';

describe('element ids', () => {
  it('reads back every node id it makes, the unnamed netns as null', () => {
    expect(parseElementId(hostId('node-1'))).toEqual({ kind: 'host', host: 'node-1' });
    expect(parseElementId(netnsId({ host: 'node-1', netns: 'hl-pod' }))).toEqual({
      kind: 'netns',
      host: 'node-1',
      netns: 'hl-pod',
    });
    expect(parseElementId(netnsId({ host: 'node-1', netns: null }))).toEqual({
      kind: 'netns',
      host: 'node-1',
      netns: null,
    });
    expect(parseElementId(interfaceId({ host: 'vm', netns: null, ifindex: 12 }))).toEqual({
      kind: 'interface',
      host: 'vm',
      netns: null,
      ifindex: 12,
    });
    expect(parseElementId(podId('default', 'web-0'))).toEqual({
      kind: 'pod',
      namespace: 'default',
      name: 'web-0',
      key: 'default/web-0',
    });
    expect(podIdOfKey('default/web-0')).toBe(podId('default', 'web-0'));
    expect(parseElementId(remoteId('192.0.2.77'))).toEqual({ kind: 'remote', address: '192.0.2.77' });
  });

  it('keeps hostile netns names whole: colons, arrows and spaces are not separators', () => {
    const netns = 'a:b →$(x) ;`';
    expect(parseElementId(netnsId({ host: 'h', netns }))).toEqual({ kind: 'netns', host: 'h', netns });
    expect(parseElementId(interfaceId({ host: 'h', netns, ifindex: 3 }))).toMatchObject({ netns, ifindex: 3 });
  });

  it('tells edges by their kind, summed ones included, whatever the ids they join', () => {
    const a = interfaceId({ host: 'h', netns: 'x→y', ifindex: 3 });
    const b = interfaceId({ host: 'h', netns: null, ifindex: 4 });
    expect(parseElementId(edgeId('veth', a, b))).toEqual({ kind: 'edge', of: 'veth' });
    expect(parseElementId(neighborEdgeId(a, '10.0.0.1', b))).toEqual({ kind: 'edge', of: 'neighbor' });
    expect(parseElementId(brokenTunnelId(a))).toEqual({ kind: 'edge', of: 'vxlan-tunnel' });
    expect(parseElementId(summedEdgeId('vxlan-tunnel', hostId('n1'), a))).toEqual({
      kind: 'summed',
      of: 'vxlan-tunnel',
    });
  });

  it('spells each id as permalinks and stored finding subjects have it', () => {
    const a = interfaceId({ host: 'vm', netns: null, ifindex: 12 });
    const b = interfaceId({ host: 'n1', netns: 'cni-1', ifindex: 3 });
    expect([hostId('n1'), netnsId({ host: 'n1', netns: null }), netnsId({ host: 'n1', netns: 'cni-1' }), a, b]).toEqual(
      ['host:n1', 'ns:n1/', 'ns:n1/cni-1', 'if:vm//12', 'if:n1/cni-1/3'],
    );
    expect([podId('default', 'web-0'), podIdOfKey('default/web-0'), remoteId('192.0.2.77')]).toEqual([
      'pod:default/web-0',
      'pod:default/web-0',
      'remote:192.0.2.77',
    ]);
    expect([
      edgeId('veth', a, b),
      neighborEdgeId(a, '10.0.0.1', b),
      brokenTunnelId(a),
      summedEdgeId('veth', hostId('n1'), a),
    ]).toEqual([
      'veth:if:vm//12>if:n1/cni-1/3',
      'neighbor:if:vm//12>10.0.0.1>if:n1/cni-1/3',
      'vxlan-tunnel:if:vm//12>broken',
      'sum:veth:host:n1\u2192if:vm//12',
    ]);
  });

  it('refuses what it did not make', () => {
    for (const id of ['', 'node-1', 'if:h/ns', 'if:h/ns/x', 'host:a/b', 'pod:nons', 'sum:nope:a', 'wat:x'])
      expect(parseElementId(id), id).toBeUndefined();
  });

  it('reads the host from host, netns and interface ids, and none from a pod or a remote', () => {
    expect(hostIdOfElement('host:node-1')).toBe('host:node-1');
    expect(hostIdOfElement(netnsId({ host: 'node-1', netns: 'hl-pod' }))).toBe('host:node-1');
    expect(hostIdOfElement(interfaceId({ host: 'node-1', netns: null, ifindex: 3 }))).toBe('host:node-1');
    expect(hostIdOfElement(podId('default', 'web'))).toBeUndefined();
    expect(hostIdOfElement(remoteId('192.0.2.77'))).toBeUndefined();
  });
});
