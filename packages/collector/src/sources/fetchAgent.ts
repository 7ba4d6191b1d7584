import { readFile } from 'node:fs/promises';
import { readDump, type HostInventory, type Source } from '@hoplens/model';
import { ByteBudget } from './byteBudget.ts';

type AgentSource = Extract<Source, { kind: 'agent' }>;

/**
 * A host's inventory is megabytes at most (a node with 250 pods and the iproute2 text: ~5 MB); a
 * larger answer is not an agent's. Counted as read, not as announced: an answer may have no length.
 */
export const MAX_ANSWER_BYTES = 64 * 2 ** 20;
/** What one collection reads from all its agents and dumps together, unless the sources say otherwise. */
export const DEFAULT_COLLECTION_BYTES = 2 ** 30;
export const DEFAULT_AGENT_TIMEOUT_MS = 15_000;

/** The path an agent serves its host's inventory on. */
export const AGENT_INVENTORY_PATH = 'v1/inventory';
/** The path an agent answers ofproto/trace questions on. */
export const AGENT_OFPROTO_TRACE_PATH = 'v1/ofproto-trace';

/** A source's hosts and the JSON they were read from (an agent's answer, a dump file), exactly as read. */
export interface Answer {
  readonly hosts: HostInventory[];
  readonly json: Buffer;
}

/**
 * Asks one agent for its host's inventory (`token` reads a token file: a collection reads each once),
 * with the answer's bytes: a collection hands them on instead of writing the hosts out again.
 * Rejects with a one-line reason (timed out, refused,
 * answered 401, a redirect, too large, not a dump) that the caller records on the host. Redirects
 * are never followed: an agent could point the server anywhere.
 */
export async function fetchAgent(
  source: AgentSource,
  defaultTimeoutMs: number,
  budget = new ByteBudget(DEFAULT_COLLECTION_BYTES),
  token: (file: string) => Promise<string> = readToken,
): Promise<Answer> {
  const timeoutMs = source.timeoutMs ?? defaultTimeoutMs;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (source.tokenFile) headers.authorization = `Bearer ${await token(source.tokenFile)}`;
  const base = source.url.endsWith('/') ? source.url : `${source.url}/`;
  let res: Response;
  let json: Buffer;
  try {
    res = await fetch(new URL(AGENT_INVENTORY_PATH, base), {
      headers,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (res.status >= 300 && res.status < 400) {
      await res.body?.cancel();
      throw new Error(`answered ${res.status}: a redirect, not followed`);
    }
    json = await readBounded(res, budget);
  } catch (e) {
    const err = e as Error;
    if (err.name === 'TimeoutError' || err.name === 'AbortError')
      throw new Error(`timed out after ${timeoutMs} ms`, { cause: e });
    throw new Error((err.cause as Error | undefined)?.message ?? err.message, { cause: e });
  }
  if (!res.ok) throw new Error(`answered ${res.status}${res.status === 401 ? ': check the token' : ''}`);
  const text = json.toString('utf8');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`answered something that is not JSON (${JSON.stringify(text.slice(0, 40))})`);
  }
  return { hosts: readDump(body).hosts, json };
}

/** The answer's bytes, read chunk by chunk and abandoned as soon as it passes either limit. */
async function readBounded(res: Response, budget: ByteBudget): Promise<Buffer> {
  const length = Number(res.headers.get('content-length') ?? 0);
  if (length > MAX_ANSWER_BYTES) throw new Error(`answered ${length} bytes, more than an inventory has`);
  if (!res.body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  // Leaving the loop early (throwing) cancels the stream: nothing more is read. (Node's web streams
  // are async iterable; the DOM typings some packages compile this with do not say so.)
  for await (const value of res.body as unknown as AsyncIterable<Uint8Array>) {
    bytes += value.length;
    if (bytes > MAX_ANSWER_BYTES)
      throw new Error(`answered more than ${MAX_ANSWER_BYTES / 2 ** 20} MiB, more than an inventory has`);
    if (!budget.take(value.length))
      throw new Error(`this collection has read ${budget.limit} bytes of answers, its limit (maxBytes in the sources)`);
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/** The first line of a token file. */
export async function readToken(file: string): Promise<string> {
  const token = (await readFile(file, 'utf8')).split('\n')[0]?.trim();
  if (!token) throw new Error(`token file ${file} is empty`);
  return token;
}
