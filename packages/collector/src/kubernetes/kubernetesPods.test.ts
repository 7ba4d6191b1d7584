import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiPod, fakeApiServer } from '../testing/fakeApiServer.ts';
import { kubernetesPods } from './kubernetesPods.ts';

const dir = mkdtempSync(join(tmpdir(), 'hoplens-kube-'));
const TOKEN = 'kube-token-for-tests';

describe('kubernetesPods, through @kubernetes/client-node to an API server on loopback', () => {
  const servers: Server[] = [];
  let good: string;
  beforeAll(async () => {
    good = join(dir, 'good.kubeconfig');
    const pods = [
      apiPod('nginx-7d', 'shop', ['10.132.2.46', 'fd00::2e'], 'worker'),
      apiPod('kube-proxy-x', 'kube-system', ['192.168.200.1'], 'worker', true),
      { metadata: { name: 'pending', namespace: 'shop' }, spec: { containers: [] }, status: { phase: 'Pending' } },
    ];
    servers.push((await fakeApiServer(pods, { token: TOKEN, kubeconfig: good })).server);
  });
  afterAll(() => {
    for (const s of servers) s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists every pod with an IP: name, namespace, IPs, node, host network', async () => {
    expect(await kubernetesPods(good)).toEqual([
      { name: 'nginx-7d', namespace: 'shop', ips: ['10.132.2.46', 'fd00::2e'], node: 'worker', hostNetwork: false },
      { name: 'kube-proxy-x', namespace: 'kube-system', ips: ['192.168.200.1'], node: 'worker', hostNetwork: true },
    ]);
  });

  it('says why when the API refuses, does not answer in time, or the kubeconfig is missing', async () => {
    const refusing = join(dir, 'refusing.kubeconfig');
    servers.push(
      (
        await fakeApiServer([], {
          token: TOKEN,
          kubeconfig: refusing,
          answer: (_q, r) => (r.writeHead(403).end('{}'), true),
        })
      ).server,
    );
    await expect(kubernetesPods(refusing)).rejects.toThrow(/answered 403/);
    const silent = join(dir, 'silent.kubeconfig');
    servers.push((await fakeApiServer([], { token: TOKEN, kubeconfig: silent, answer: () => true })).server);
    await expect(kubernetesPods(silent, 300)).rejects.toThrow(/did not answer in 300 ms/);
    await expect(kubernetesPods(join(dir, 'absent'))).rejects.toThrow(/kubeconfig .*absent/);
  });
});
