import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { HostInventory } from '@hoplens/model';
import { withPeerPodIntent } from '../readPeerPodIntent.ts';
import { ParseError } from './parseError.ts';
import { parsePeerPodConfig } from './parsePeerPodConfig.ts';

/**
 * agent-protocol-forwarder's config as cloud-api-adaptor writes it: `pod-network` is a
 * tunneler.Config, whose netip values marshal as text (zero values as ""), and whose routes
 * carry Go field names.
 */
const APF = JSON.stringify({
  'pod-network': {
    podip: '10.132.2.46/24',
    'pod-hw-addr': '0A:58:0A:84:02:2E',
    interface: 'vxlan0',
    'worker-node-ip': '192.168.200.1/24',
    'tunnel-type': 'vxlan',
    routes: [
      { Dst: '0.0.0.0/0', GW: '10.132.2.1', Dev: 'vxlan0', Protocol: 0, Scope: 0 },
      { Dst: '10.132.2.0/24', GW: '', Dev: 'vxlan0', Protocol: 2, Scope: 253 },
    ],
    mtu: 1500,
    index: 0,
    'vxlan-port': 4789,
    'vxlan-id': 555000,
    dedicated: false,
  },
  'pod-namespace': 'default',
  'pod-name': 'nginx',
  'tls-server-key': '-----BEGIN PRIVATE KEY-----',
});

describe('parsePeerPodConfig', () => {
  it('reads the intended pod network, leaving Go zero values and secrets out', () => {
    const intent = parsePeerPodConfig(APF, '/run/peerpod/apf.json');
    expect(intent).toEqual({
      source: '/run/peerpod/apf.json',
      podNamespace: 'default',
      podName: 'nginx',
      interface: 'vxlan0',
      podIp: '10.132.2.46/24',
      podMac: '0a:58:0a:84:02:2e',
      workerNodeIp: '192.168.200.1/24',
      tunnelType: 'vxlan',
      vxlanPort: 4789,
      vxlanId: 555000,
      mtu: 1500,
      routes: [
        { dst: '0.0.0.0/0', gateway: '10.132.2.1', dev: 'vxlan0' },
        { dst: '10.132.2.0/24', dev: 'vxlan0' },
      ],
    });
    expect(JSON.stringify(intent)).not.toContain('PRIVATE KEY');
  });

  it('refuses a config without a pod network, or with a field of the wrong type, naming it', () => {
    expect(() => parsePeerPodConfig('{}', 'apf.json')).toThrow(ParseError);
    expect(() => parsePeerPodConfig('{"pod-network":{"vxlan-id":"555000"}}', 'apf.json')).toThrow(/vxlan-id/);
    expect(() => parsePeerPodConfig('{"pod-network":', 'apf.json')).toThrow(/not JSON/);
  });
});

describe('withPeerPodIntent', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hoplens-apf-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const host: HostInventory = { name: 'podvm', kind: 'pod-vm', collectedAt: '', namespaces: [], errors: [] };

  it('adds the intent read from the file', async () => {
    const path = join(dir, 'apf.json');
    writeFileSync(path, APF);
    expect((await withPeerPodIntent(host, path)).peerPod?.vxlanId).toBe(555000);
  });

  it('records a missing, oversized or malformed file as an error on the host and keeps the host', async () => {
    const big = join(dir, 'big.json');
    writeFileSync(big, ' '.repeat(2 * 1024 * 1024));
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"pod-network": 7}');
    for (const path of [join(dir, 'absent.json'), big, bad]) {
      const out = await withPeerPodIntent(host, path);
      expect(out.peerPod).toBeUndefined();
      expect(out.errors).toHaveLength(1);
      expect(out.errors[0]!.message).toContain(`peer-pod config ${path}`);
    }
  });
});
