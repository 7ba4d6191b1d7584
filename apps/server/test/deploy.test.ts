import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { parseDuration, SourcesConfigSchema, validate } from '@hoplens/model';

/** The manifests of deploy/, as Kubernetes would read them. */
function load(file: string): Record<string, unknown>[] {
  const text = readFileSync(fileURLToPath(new URL(`../../../deploy/${file}`, import.meta.url)), 'utf8');
  return parseAllDocuments(text).map((d) => {
    expect(d.errors).toEqual([]);
    return d.toJS() as Record<string, unknown>;
  });
}

type Container = {
  image: string;
  command?: string[];
  args: string[];
  env?: {
    name: string;
    valueFrom?: { fieldRef?: { fieldPath: string }; secretKeyRef?: { name: string; key: string } };
  }[];
  ports: { containerPort: number }[];
  securityContext: {
    runAsUser?: number;
    privileged?: boolean;
    allowPrivilegeEscalation: boolean;
    readOnlyRootFilesystem: boolean;
    capabilities: { drop: string[]; add?: string[] };
  };
  resources: { limits: { memory: string } };
  volumeMounts: { name: string; mountPath: string; readOnly?: boolean }[];
};
type PodSpec = {
  hostNetwork?: boolean;
  hostPID?: boolean;
  securityContext?: { runAsNonRoot?: boolean };
  containers: Container[];
  volumes: {
    name: string;
    secret?: { secretName: string };
    configMap?: { name: string };
    hostPath?: { path: string };
  }[];
};

const docs = [...load('agent.yaml'), ...load('server.yaml')];
const find = (kind: string, name: string) => {
  const d = docs.find((x) => x.kind === kind && (x.metadata as { name: string }).name === name);
  expect(d, `${kind} ${name}`).toBeDefined();
  return d!;
};
const podOf = (kind: string, name: string): PodSpec =>
  (find(kind, name).spec as { template: { spec: PodSpec } }).template.spec;
const argAfter = (c: Container, flag: string): string => c.args[c.args.indexOf(flag) + 1]!;
/** The volume a container path lies in, and what it mounts. */
const mounted = (pod: PodSpec, c: Container, path: string) => {
  const m = c.volumeMounts.find((v) => path.startsWith(`${v.mountPath}/`));
  expect(m, path).toBeDefined();
  return { mount: m!, volume: pod.volumes.find((v) => v.name === m!.name)! };
};

describe('deploy/ manifests', () => {
  const agentPod = podOf('DaemonSet', 'hoplens-agent');
  const agent = agentPod.containers[0]!;
  const serverPod = podOf('Deployment', 'hoplens-server');
  const server = serverPod.containers[0]!;

  it('runs the agent on every node, on the host network and PID space, with only the capabilities reading namespaces needs', () => {
    expect(agentPod).toMatchObject({ hostNetwork: true, hostPID: true });
    expect(agent.args.slice(0, 1)).toEqual(['agent']);
    // The image's own entry point, in V8's lite mode (the agent's memory goal rests on it).
    const entry = JSON.parse(
      /^ENTRYPOINT (.*)$/m.exec(
        readFileSync(fileURLToPath(new URL('../../../deploy/Dockerfile', import.meta.url)), 'utf8'),
      )![1]!,
    ) as string[];
    expect(agent.command).toEqual([entry[0], '--lite-mode', '--no-expose-wasm', ...entry.slice(1)]);
    expect(agent.securityContext).toMatchObject({
      privileged: false,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
    });
    expect(agent.securityContext.capabilities.drop).toEqual(['ALL']);
    expect([...agent.securityContext.capabilities.add!].sort()).toEqual(['SYS_ADMIN', 'SYS_PTRACE']);
    // It listens on the node's own address, which the server's node-agents source will ask.
    expect(argAfter(agent, '--listen')).toBe(`$(NODE_IP):${agent.ports[0]!.containerPort}`);
    expect(agent.env?.find((e) => e.name === 'NODE_IP')?.valueFrom?.fieldRef?.fieldPath).toBe('status.hostIP');
    const netns = mounted(agentPod, agent, '/run/netns/x');
    expect(netns.mount.readOnly).toBe(true);
    expect(netns.volume.hostPath?.path).toBe('/run/netns');
    // The node's Open vSwitch, where the collector looks by default: its sockets, read only.
    const ovs = mounted(agentPod, agent, '/var/run/openvswitch/db.sock');
    expect(ovs.mount.readOnly).toBe(true);
    expect(ovs.volume.hostPath?.path).toBe('/var/run/openvswitch');
  });

  it('gives the agent its token from a secret the server mounts too', () => {
    const agentToken = mounted(agentPod, agent, argAfter(agent, '--token-file')).volume.secret?.secretName;
    const sources = validate(
      SourcesConfigSchema,
      JSON.parse((find('ConfigMap', 'hoplens-sources').data as Record<string, string>)['sources.json']!),
      'sources.json',
    );
    const nodeAgents = sources.sources.find((s) => s.kind === 'node-agents');
    expect(nodeAgents).toMatchObject({ port: agent.ports[0]!.containerPort });
    const serverToken = mounted(serverPod, server, (nodeAgents as { tokenFile: string }).tokenFile).volume.secret
      ?.secretName;
    expect(agentToken).toBe('hoplens-agent-token');
    expect(serverToken).toBe(agentToken);
    // The server reads that very file for its sources.
    expect(mounted(serverPod, server, argAfter(server, '--sources')).volume.configMap?.name).toBe('hoplens-sources');
  });

  it('runs the server unprivileged, with a token for writes, its data on a volume and read-only access to pods and nodes', () => {
    expect(serverPod.securityContext?.runAsNonRoot).toBe(true);
    expect(server.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true });
    expect(server.securityContext.capabilities).toEqual({ drop: ['ALL'] });
    expect(mounted(serverPod, server, argAfter(server, '--token-file')).volume.secret?.secretName).toBe(
      'hoplens-api-token',
    );
    expect(mounted(serverPod, server, argAfter(server, '--db')).volume.name).toBe('data');
    const rules = find('ClusterRole', 'hoplens-read').rules as { verbs: string[]; resources: string[] }[];
    expect(rules.flatMap((r) => r.verbs).sort()).toEqual(['get', 'list']);
    expect(rules.flatMap((r) => r.resources).sort()).toEqual(['nodes', 'pods']);
    const service = find('Service', 'hoplens').spec as { ports: { port: number }[] };
    expect(service.ports[0]!.port).toBe(Number(argAfter(server, '--port')));
  });

  it('sets a memory limit and one image for every container', () => {
    for (const c of [agent, server]) expect(c.resources.limits.memory).toMatch(/^\d+[MG]i$/);
    expect(new Set([agent.image, server.image]).size).toBe(1);
  });
});

describe('deploy/server-ha.yaml: two replicas on PostgreSQL', () => {
  const ha = load('server-ha.yaml');
  const get = (kind: string, name: string) => {
    const d = ha.find((x) => x.kind === kind && (x.metadata as { name: string }).name === name);
    expect(d, `${kind} ${name}`).toBeDefined();
    return d!;
  };
  const deployment = get('Deployment', 'hoplens-server');
  const spec = deployment.spec as {
    replicas: number;
    strategy: { type: string; rollingUpdate?: { maxUnavailable: number } };
    selector: { matchLabels: Record<string, string> };
    template: { metadata: { labels: Record<string, string> }; spec: PodSpec & { affinity?: unknown } };
  };
  const pod = spec.template.spec;
  const server = pod.containers[0]!;

  it('runs two replicas on different nodes, replaced one at a time and drained one at a time', () => {
    expect(spec.replicas).toBe(2);
    expect(spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0 } });
    expect(pod.affinity).toMatchObject({
      podAntiAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [
          { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: spec.selector.matchLabels } },
        ],
      },
    });
    const pdb = get('PodDisruptionBudget', 'hoplens-server').spec as {
      minAvailable: number;
      selector: { matchLabels: Record<string, string> };
    };
    expect(pdb).toEqual({ minAvailable: 1, selector: { matchLabels: spec.template.metadata.labels } });
  });

  it('takes the PostgreSQL connection string from a secret, in the environment the CLI reads, and keeps no local store', () => {
    expect(server.env?.find((e) => e.name === 'HOPLENS_DB')?.valueFrom?.secretKeyRef).toEqual({
      name: 'hoplens-postgres',
      key: 'url',
    });
    expect(server.args).not.toContain('--db');
    expect(pod.volumes.some((v) => 'persistentVolumeClaim' in v)).toBe(false);
    expect(ha.some((d) => d.kind === 'PersistentVolumeClaim')).toBe(false);
  });

  it('collects every 5 minutes and keeps a week, with the same hardening and wiring as the single server', () => {
    expect(parseDuration(argAfter(server, '--every'))).toBe(300_000);
    expect(parseDuration(argAfter(server, '--keep'))).toBe(7 * 86_400_000);
    expect(pod.securityContext?.runAsNonRoot).toBe(true);
    expect(server.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true });
    expect(server.securityContext.capabilities).toEqual({ drop: ['ALL'] });
    expect(mounted(pod, server, argAfter(server, '--token-file')).volume.secret?.secretName).toBe('hoplens-api-token');
    expect(mounted(pod, server, argAfter(server, '--sources')).volume.configMap?.name).toBe('hoplens-sources');
    const sources = validate(
      SourcesConfigSchema,
      JSON.parse((get('ConfigMap', 'hoplens-sources').data as Record<string, string>)['sources.json']!),
      'sources.json',
    );
    const nodeAgents = sources.sources.find((s) => s.kind === 'node-agents') as { tokenFile: string };
    expect(mounted(pod, server, nodeAgents.tokenFile).volume.secret?.secretName).toBe('hoplens-agent-token');
    const service = get('Service', 'hoplens').spec as { selector: Record<string, string> };
    expect(service.selector).toEqual(spec.template.metadata.labels);
  });
});
