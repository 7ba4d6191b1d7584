import { readFile } from 'node:fs/promises';
import { readDump, type HostInventory, type Source } from '@hoplens/model';

type AgentSource = Extract<Source, { kind: 'agent' }>;

/** A host's inventory is megabytes at most; a larger answer is not an agent's. */
const MAX_ANSWER_BYTES = 256 * 1024 * 1024;
export const DEFAULT_AGENT_TIMEOUT_MS = 15_000;

/** The path an agent serves its host's inventory on. */
export const AGENT_INVENTORY_PATH = 'v1/inventory';

/**
 * Asks one agent for its host's inventory. Rejects with a one-line reason (timed out, refused,
 * answered 401, not a dump) that the caller records on the host.
 */
export async function fetchAgent(source: AgentSource, defaultTimeoutMs: number): Promise<HostInventory[]> {
  const timeoutMs = source.timeoutMs ?? defaultTimeoutMs;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (source.tokenFile) headers.authorization = `Bearer ${await readToken(source.tokenFile)}`;
  const base = source.url.endsWith('/') ? source.url : `${source.url}/`;
  let res: Response;
  let text: string;
  try {
    res = await fetch(new URL(AGENT_INVENTORY_PATH, base), { headers, signal: AbortSignal.timeout(timeoutMs) });
    const length = Number(res.headers.get('content-length') ?? 0);
    if (length > MAX_ANSWER_BYTES) throw new Error(`answered ${length} bytes, more than an inventory has`);
    text = await res.text();
  } catch (e) {
    const err = e as Error;
    if (err.name === 'TimeoutError' || err.name === 'AbortError')
      throw new Error(`timed out after ${timeoutMs} ms`, { cause: e });
    throw new Error((err.cause as Error | undefined)?.message ?? err.message, { cause: e });
  }
  if (!res.ok) throw new Error(`answered ${res.status}${res.status === 401 ? ': check the token' : ''}`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`answered something that is not JSON (${JSON.stringify(text.slice(0, 40))})`);
  }
  return readDump(body).hosts;
}

/** The first line of a token file. */
export async function readToken(file: string): Promise<string> {
  const token = (await readFile(file, 'utf8')).split('\n')[0]?.trim();
  if (!token) throw new Error(`token file ${file} is empty`);
  return token;
}
