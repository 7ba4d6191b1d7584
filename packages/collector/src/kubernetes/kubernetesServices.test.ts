import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { apiEndpointSlice, apiService, fakeApiServer } from '../testing/fakeApiServer.ts';
import { kubernetesServices } from './kubernetesServices.ts';

const dir = mkdtempSync(join(tmpdir(), 'hoplens-kube-svc-'));
const TOKEN = 'kube-token-for-tests';

describe('kubernetesServices, through @kubernetes/client-node to an API server on loopback', () => {
  const servers: Server[] = [];
  afterAll(() => {
    for (const s of servers) s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists Services and EndpointSlices: ClusterIP, named ports, ready endpoints; a malformed one is left out and counted', async () => {
    const kubeconfig = join(dir, 'good.kubeconfig');
    const services = [
      apiService('web', 'shop', '10.96.0.10', [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 8080 }]),
      { metadata: { name: 'headless', namespace: 'shop' }, spec: { clusterIP: 'None', ports: [{ port: 5432 }] } },
      { metadata: { name: 'bad', namespace: 'shop' }, spec: { ports: [{ port: 70000 }] } },
    ];
    const slices = [
      apiEndpointSlice(
        'web',
        'shop',
        [{ name: 'http', protocol: 'TCP', port: 8080 }],
        ['10.244.1.3', '10.244.2.2'],
        ['10.244.2.2'],
      ),
    ];
    servers.push((await fakeApiServer([], { token: TOKEN, kubeconfig, services, endpointSlices: slices })).server);
    expect(await kubernetesServices(kubeconfig)).toEqual({
      services: [
        {
          namespace: 'shop',
          name: 'web',
          type: 'ClusterIP',
          clusterIps: ['10.96.0.10'],
          ports: [{ name: 'http', protocol: 'TCP', port: 80 }],
        },
        {
          namespace: 'shop',
          name: 'headless',
          type: 'ClusterIP',
          clusterIps: [],
          ports: [{ name: '', protocol: 'TCP', port: 5432 }],
        },
      ],
      endpointSlices: [
        {
          namespace: 'shop',
          name: 'web-x1',
          service: 'web',
          addressType: 'IPv4',
          ports: [{ name: 'http', protocol: 'TCP', port: 8080 }],
          endpoints: [
            { addresses: ['10.244.1.3'], ready: true },
            { addresses: ['10.244.2.2'], ready: false },
          ],
        },
      ],
      skipped: 1,
    });
  });

  it('says why when the API refuses', async () => {
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
    await expect(kubernetesServices(refusing)).rejects.toThrow(/answered 403/);
  });
});
