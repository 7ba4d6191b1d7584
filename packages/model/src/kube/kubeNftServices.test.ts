import { describe, expect, it } from 'vitest';
import type { JsonValue, NftTable } from '../schema/firewall.ts';
import { nftServicePorts } from './kubeNftServices.ts';

const where = { host: 'node-a', netns: 'na' };
const table = (elem: JsonValue[], name = 'service-ips'): NftTable => ({
  family: 'ip',
  name: 'kube-proxy',
  handle: 1,
  chains: [],
  rules: [],
  sets: [{ name, type: ['ipv4_addr', 'inet_proto', 'inet_service'], map: 'verdict', elem }],
});
const to = (target: string): JsonValue => ({ goto: { target } });

describe("Service ports from kube-proxy's nftables maps", () => {
  it("reads a ClusterIP's element by its Service chain's name, and leaves an ExternalIP's out", () => {
    const t = table([
      [{ concat: ['10.96.0.10', 'tcp', 80] }, to('service-ULMVA6XW-shop/web/tcp/http')],
      [{ concat: ['192.0.2.10', 'tcp', 80] }, to('external-ULMVA6XW-shop/web/tcp/http')],
    ]);
    expect(nftServicePorts(t, where)).toEqual([
      {
        key: 'shop/web:http',
        namespace: 'shop',
        name: 'web',
        portName: 'http',
        clusterIp: '10.96.0.10',
        proto: 'tcp',
        port: 80,
        where,
      },
    ]);
  });

  it('reads a Service without endpoints by its element comment, an unnamed port without a colon', () => {
    const t = table(
      [[{ elem: { val: { concat: ['10.96.0.11', 'udp', 53] }, comment: 'kube-system/dns' } }, to('reject-chain')]],
      'no-endpoint-services',
    );
    expect(nftServicePorts(t, where).map((p) => [p.key, p.portName, p.proto])).toEqual([
      ['kube-system/dns', '', 'udp'],
    ]);
  });

  it('skips what it cannot read: a bad address, port or protocol, a chain of another shape, another table', () => {
    const t = table([
      [{ concat: ['10.96.0.300x', 'tcp', 80] }, to('service-ULMVA6XW-a/b/tcp/p')],
      [{ concat: ['10.96.0.1', 'tcp', 70_000] }, to('service-ULMVA6XW-a/b/tcp/p')],
      [{ concat: ['10.96.0.1', 'sctp', 80] }, to('service-ULMVA6XW-a/b/sctp/p')],
      [{ concat: ['10.96.0.1', 'udp', 80] }, to('service-ULMVA6XW-a/b/tcp/p')],
      [{ concat: ['10.96.0.1', 'tcp', 80] }, to('services')],
      [{ concat: ['10.96.0.1', 'tcp'] }, to('service-ULMVA6XW-a/b/tcp/p')],
      'not a pair',
    ]);
    expect(nftServicePorts(t, where)).toEqual([]);
    expect(nftServicePorts({ ...t, name: 'other' }, where)).toEqual([]);
  });
});
