import type { OvsQuery, SourcesConfig } from '@hoplens/model';
import { askOvsLocal } from '../ovs/askOvsLocal.ts';
import { DEFAULT_OVS_DB_SOCKET } from '../ovs/vswitchdControl.ts';
import { kubernetesNodes } from '../kubernetes/kubernetesPods.ts';
import type { AgentSource, OvsAnswer } from './askAgentOvs.ts';
import { DEFAULT_AGENT_TIMEOUT_MS } from './fetchAgent.ts';

/**
 * Asks the switch of a snapshot's host about one packet, live, through the source that collects
 * that host: this machine's own switch for a local host, the host's agent otherwise (an `agent`
 * source of that name, or the agent on the Kubernetes node of that name). Never throws: a host no
 * source reaches, an agent that is down or refuses, is the answer's error. An agent is asked from a
 * module loaded only then (askAgentOvs.ts): the built `hoplens agent` asks only its own switch,
 * and loads no schema library for it.
 */
export async function askSourcesOvs(config: SourcesConfig, q: OvsQuery): Promise<OvsAnswer> {
  const { host, ...question } = q;
  for (const source of config.sources) {
    if (source.kind === 'local') {
      const entry = source.hosts.find((h) => h.name === host);
      if (!entry) continue;
      const socket = entry.ovsDbSocket ?? (entry.root === null ? DEFAULT_OVS_DB_SOCKET : undefined);
      if (socket === undefined) return { error: `host ${host} has no Open vSwitch socket in the host map` };
      return askOvsLocal(socket, question);
    }
    if (source.kind === 'agent' && source.name === host)
      return (await import('./askAgentOvs.ts')).askAgentOvs(source, config, q);
  }
  for (const source of config.sources) {
    if (source.kind !== 'node-agents') continue;
    try {
      const nodes = await kubernetesNodes(
        source.kubeconfig,
        source.timeoutMs ?? config.timeoutMs ?? DEFAULT_AGENT_TIMEOUT_MS,
      );
      const node = nodes.find((n) => n.name === host);
      if (!node) continue;
      const addr = node.address.includes(':') ? `[${node.address}]` : node.address;
      const agent: AgentSource = {
        kind: 'agent',
        name: node.name,
        url: `${source.scheme ?? 'http'}://${addr}:${source.port}`,
        ...(source.tokenFile ? { tokenFile: source.tokenFile } : {}),
        ...(source.timeoutMs ? { timeoutMs: source.timeoutMs } : {}),
      };
      return (await import('./askAgentOvs.ts')).askAgentOvs(agent, config, q);
    } catch (e) {
      return { error: `finding node ${host} in Kubernetes: ${(e as Error).message.split('\n')[0] ?? ''}` };
    }
  }
  return { error: `no source of this server reaches host ${host}` };
}
