import {
  AgentProbeInfoSchema,
  ProbeObservationSchema,
  validate,
  type AgentProbeInfo,
  type AgentProbeRequest,
  type ProbeObservation,
  type Source,
} from '@hoplens/model';
import { readToken } from './fetchAgent.ts';

type AgentSource = Extract<Source, { kind: 'agent' }>;

const PROBE_PATH = 'v1/probe';
/** An answer line is an observation: a few thousand packets at most. */
const MAX_ANSWER_BYTES = 16 * 1024 * 1024;

async function request(source: AgentSource, init: RequestInit, timeoutMs: number): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json', ...(init.headers as Record<string, string>) };
  if (source.tokenFile) headers.authorization = `Bearer ${await readToken(source.tokenFile)}`;
  const base = source.url.endsWith('/') ? source.url : `${source.url}/`;
  try {
    return await fetch(new URL(PROBE_PATH, base), { ...init, headers, signal: AbortSignal.timeout(timeoutMs) });
  } catch (e) {
    const err = e as Error;
    if (err.name === 'TimeoutError' || err.name === 'AbortError')
      throw new Error(`timed out after ${timeoutMs} ms`, { cause: e });
    throw new Error((err.cause as Error | undefined)?.message ?? err.message, { cause: e });
  }
}

async function refusal(res: Response): Promise<Error> {
  const text = (await res.text()).slice(0, 500);
  let message = text;
  try {
    message = (JSON.parse(text) as { message?: string }).message ?? text;
  } catch {
    // not JSON: the text says it
  }
  return new Error(`answered ${res.status}: ${message}`);
}

/** What an agent can probe (its hosts and namespaces); rejects with why it cannot (off, token, down). */
export async function agentProbeInfo(source: AgentSource, timeoutMs: number): Promise<AgentProbeInfo> {
  const res = await request(source, { method: 'GET' }, timeoutMs);
  if (!res.ok) throw await refusal(res);
  return validate(AgentProbeInfoSchema, await res.json(), 'agent probe info');
}

/**
 * Asks an agent to run its part of a probe. `armed` resolves when its captures and tracepoints are
 * in place; `observation` with what it saw. Both reject with the agent's refusal or failure.
 */
export function probeAgent(
  source: AgentSource,
  body: AgentProbeRequest,
  timeoutMs: number,
): { armed: Promise<void>; observation: Promise<ProbeObservation> } {
  let arm: () => void = () => undefined;
  let fail: (e: Error) => void = () => undefined;
  const armed = new Promise<void>((resolve, reject) => {
    arm = resolve;
    fail = reject;
  });
  const observation = (async (): Promise<ProbeObservation> => {
    const res = await request(
      source,
      { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } },
      timeoutMs,
    );
    if (!res.ok || !res.body) throw await refusal(res);
    const decoder = new TextDecoder();
    let buffered = '';
    let total = 0;
    const reader: ReadableStreamDefaultReader<Uint8Array> = res.body.getReader();
    try {
      for (let read = await reader.read(); !read.done; read = await reader.read()) {
        const chunk = read.value;
        total += chunk.byteLength;
        if (total > MAX_ANSWER_BYTES) throw new Error('answered more than a probe observation holds');
        buffered += decoder.decode(chunk, { stream: true });
        let nl: number;
        while ((nl = buffered.indexOf('\n')) >= 0) {
          const line = JSON.parse(buffered.slice(0, nl)) as { armed?: boolean; observation?: unknown; error?: string };
          buffered = buffered.slice(nl + 1);
          if (line.armed) arm();
          if (line.error !== undefined) throw new Error(String(line.error).slice(0, 500));
          if (line.observation !== undefined)
            return validate(ProbeObservationSchema, line.observation, 'probe observation');
        }
      }
    } finally {
      // An early return or a refusal must not leave the agent's answer open.
      void reader.cancel().catch(() => undefined);
    }
    throw new Error('the agent ended its answer without an observation');
  })();
  observation.then(
    () => arm(),
    (e: unknown) => fail(e as Error),
  );
  return { armed, observation };
}
