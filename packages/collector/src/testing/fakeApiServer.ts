import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';

/**
 * A Kubernetes API server on loopback for tests: it answers GET /api/v1/pods, nodes, services and
 * /apis/discovery.k8s.io/v1/endpointslices as the real one does (a list) to the bearer of its token, and writes a kubeconfig that points at it.
 */
export async function fakeApiServer(
  pods: readonly object[],
  opts: {
    token: string;
    kubeconfig: string;
    nodes?: readonly object[];
    services?: readonly object[];
    endpointSlices?: readonly object[];
    answer?: (req: IncomingMessage, res: ServerResponse) => boolean;
  },
): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    if (opts.answer?.(req, res)) return;
    if (req.headers.authorization !== `Bearer ${opts.token}`) {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"kind":"Status","code":401}');
      return;
    }
    const list = req.url?.startsWith('/api/v1/pods')
      ? { kind: 'PodList', items: pods }
      : req.url?.startsWith('/api/v1/nodes')
        ? { kind: 'NodeList', items: opts.nodes ?? [] }
        : req.url?.startsWith('/api/v1/services')
          ? { kind: 'ServiceList', items: opts.services ?? [] }
          : req.url?.startsWith('/apis/discovery.k8s.io/v1/endpointslices')
            ? { kind: 'EndpointSliceList', apiVersion: 'discovery.k8s.io/v1', items: opts.endpointSlices ?? [] }
            : undefined;
    if (req.method !== 'GET' || !list) {
      res.writeHead(404).end();
      return;
    }
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ apiVersion: 'v1', metadata: { resourceVersion: '1' }, ...list }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  writeFileSync(
    opts.kubeconfig,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      // Plain HTTP on loopback: the client allows it only with TLS checks declared off.
      `- name: test\n  cluster:\n    server: ${url}\n    insecure-skip-tls-verify: true`,
      'users:',
      `- name: test\n  user:\n    token: ${opts.token}`,
      'contexts:',
      '- name: test\n  context:\n    cluster: test\n    user: test',
      'current-context: test',
      '',
    ].join('\n'),
  );
  return { server, url };
}

/** A v1 Node as the API server returns it, with its InternalIP. */
export function apiNode(name: string, internalIp: string): object {
  return {
    metadata: { name },
    status: {
      addresses: [
        { type: 'InternalIP', address: internalIp },
        { type: 'Hostname', address: name },
      ],
    },
  };
}

/** A v1 Pod as the API server returns it, with what hoplens reads. */
export function apiPod(name: string, namespace: string, ips: string[], node: string, hostNetwork = false): object {
  return {
    metadata: { name, namespace, uid: `${namespace}-${name}` },
    spec: { nodeName: node, hostNetwork, containers: [{ name: 'c', image: 'x' }] },
    status: { phase: 'Running', podIP: ips[0], podIPs: ips.map((ip) => ({ ip })) },
  };
}

/** A v1 Service as the API server returns it: a ClusterIP and its ports. */
export function apiService(
  name: string,
  namespace: string,
  clusterIp: string,
  ports: readonly { name?: string; protocol?: string; port: number; targetPort?: number }[],
): object {
  return {
    metadata: { name, namespace, uid: `${namespace}-${name}` },
    spec: { type: 'ClusterIP', clusterIP: clusterIp, clusterIPs: [clusterIp], ports },
  };
}

/** A discovery.k8s.io/v1 EndpointSlice of a Service, its endpoints ready unless listed in `notReady`. */
export function apiEndpointSlice(
  service: string,
  namespace: string,
  ports: readonly { name?: string; protocol?: string; port: number }[],
  addresses: readonly string[],
  notReady: readonly string[] = [],
): object {
  return {
    metadata: { name: `${service}-x1`, namespace, labels: { 'kubernetes.io/service-name': service } },
    addressType: 'IPv4',
    ports,
    endpoints: addresses.map((a) => ({ addresses: [a], conditions: { ready: !notReady.includes(a) } })),
  };
}
