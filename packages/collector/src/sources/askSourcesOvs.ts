import {
  validate,
  OvsTraceReplySchema,
  type OvsQuery,
  type OvsTraceAnswer,
  type Source,
  type SourcesConfig,
} from '@hoplens/model';
import { askOvsLocal } from '../ovs/askOvsLocal.ts';
import { DEFAULT_OVS_DB_SOCKET } from '../ovs/vswitchdControl.ts';
import { kubernetesNodes } from '../kubernetes/kubernetesPods.ts';
import { AGENT_OFPROTO_TRACE_PATH, DEFAULT_AGENT_TIMEOUT_MS, readToken } from './fetchAgent.ts';

type Answer = { readonly answer: OvsTraceAnswer } | { readonly error: string };
type AgentSource = Extract<Source, { kind: 'agent' }>;

/** An answer is a few kilobytes; far more is not an agent's. */
const MAX_ANSWER_BYTES = 2 * 1024 * 1024;

/**
 * Asks the switch of a snapshot's host about one packet, live, through the source that collects
 * that host: this machine's own switch for a local host, the host's agent otherwise (an `agent`
 * source of that name, or the agent on the Kubernetes node of that name). Never throws: a host no
 * source reaches, an agent that is down or refuses, is the answer's error.
 */
export async function askSourcesOvs(config: SourcesConfig, q: OvsQuery): Promise<Answer> {
  const { host, ...question } = q;
  for (const source of config.sources) {
    if (source.kind === 'local') {
      const entry = source.hosts.find((h) => h.name === host);
      if (!entry) continue;
      const socket = entry.ovsDbSocket ?? (entry.root === null ? DEFAULT_OVS_DB_SOCKET : undefined);
      if (socket === undefined) return { error: `host ${host} has no Open vSwitch socket in the host map` };
      return askOvsLocal(socket, question);
    }
    if (source.kind === 'agent' && source.name === host) return askAgent(source, config, q);
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
      return askAgent(agent, config, q);
    } catch (e) {
      return { error: `finding node ${host} in Kubernetes: ${(e as Error).message.split('\n')[0] ?? ''}` };
    }
  }
  return { error: `no source of this server reaches host ${host}` };
}

async function askAgent(source: AgentSource, config: SourcesConfig, q: OvsQuery): Promise<Answer> {
  const timeoutMs = source.timeoutMs ?? config.timeoutMs ?? DEFAULT_AGENT_TIMEOUT_MS;
  try {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (source.tokenFile) headers.authorization = `Bearer ${await readToken(source.tokenFile)}`;
    const url = new URL(AGENT_OFPROTO_TRACE_PATH, source.url.endsWith('/') ? source.url : `${source.url}/`);
    url.searchParams.set('host', q.host);
    url.searchParams.set('bridge', q.bridge);
    url.searchParams.set('flow', q.flow);
    if (q.ctNext !== undefined) url.searchParams.set('ctNext', q.ctNext);
    const res = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
    const text = await res.text();
    if (text.length > MAX_ANSWER_BYTES) return { error: `agent ${source.name} answered ${text.length} bytes` };
    if (!res.ok) {
      const message = (JSON.parse(text) as { message?: unknown }).message;
      return {
        error: `agent ${source.name} answered ${res.status}${typeof message === 'string' ? `: ${message}` : ''}`,
      };
    }
    const { answer } = validate(OvsTraceReplySchema, JSON.parse(text), `agent ${source.name}'s ofproto/trace answer`);
    // The answer must be to this question, or a recorded path would follow another packet.
    if (answer.bridge !== q.bridge || answer.flow !== q.flow || answer.ctNext !== q.ctNext)
      return { error: `agent ${source.name} answered another question` };
    return { answer };
  } catch (e) {
    const err = e as Error;
    if (err.name === 'TimeoutError') return { error: `agent ${source.name} did not answer within ${timeoutMs} ms` };
    return { error: `agent ${source.name}: ${(err.cause as Error | undefined)?.message ?? err.message}` };
  }
}
