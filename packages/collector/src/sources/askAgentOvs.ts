import {
  OvsTraceReplySchema,
  validate,
  type OvsQuery,
  type OvsTraceAnswer,
  type Source,
  type SourcesConfig,
} from '@hoplens/model';
import { AGENT_OFPROTO_TRACE_PATH, DEFAULT_AGENT_TIMEOUT_MS, readToken } from './fetchAgent.ts';

/** A switch's answer to one question, or why there is none. */
export type OvsAnswer = { readonly answer: OvsTraceAnswer } | { readonly error: string };
/** A source that is one agent. */
export type AgentSource = Extract<Source, { kind: 'agent' }>;

/** An answer is a few kilobytes; far more is not an agent's. */
const MAX_ANSWER_BYTES = 2 * 1024 * 1024;

/**
 * Asks an agent's switch about one packet (GET /v1/ofproto-trace), its answer checked against the
 * question. Never throws: an agent that is down, slow or refuses is the answer's error.
 */
export async function askAgentOvs(source: AgentSource, config: SourcesConfig, q: OvsQuery): Promise<OvsAnswer> {
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
