import type { Static, TSchema } from 'typebox';
import { ErrorBodySchema, validate } from '@hoplens/model';
import Value from 'typebox/value';
import { reportReachable } from './reachability.ts';
import { authHeader, tokenSettled } from './token.ts';

/** A failed API call, with the server's own message when it sent one. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The server could not be reached at all (down, restarting, network gone): no answer, so no
 * status. Told apart from an answer so the UI says "unreachable, retrying" instead of the
 * browser's bare "Failed to fetch".
 */
export class ServerUnreachable extends Error {
  override readonly name = 'ServerUnreachable';
  constructor(path: string) {
    super(`the hoplens server did not answer (${path})`);
  }
}

/** True for an answer that asking again cannot change: a client error, not an outage. */
export const isFinal = (e: unknown): boolean => e instanceof ApiError && e.status >= 400 && e.status < 500;

/** Fetches JSON and checks it against the model's schema: nothing enters the UI unchecked. */
export async function request<T extends TSchema>(schema: T, path: string, init?: RequestInit): Promise<Static<T>> {
  await tokenSettled();
  const headers = { accept: 'application/json', ...authHeader(), ...init?.headers };
  let res: Response;
  try {
    res = await fetch(path, { ...init, headers });
  } catch (e) {
    if (init?.signal?.aborted) throw e;
    reportReachable(false);
    throw new ServerUnreachable(path);
  }
  const body: unknown = await res.json().catch(() => undefined);
  if (!res.ok) {
    // A proxy in front of a stopped server answers 502-504 without a body of ours: an outage too.
    if (res.status >= 502 && res.status <= 504 && !Value.Check(ErrorBodySchema, body)) {
      reportReachable(false);
      throw new ServerUnreachable(path);
    }
    reportReachable(true);
    const message = Value.Check(ErrorBodySchema, body) ? body.message : `${res.status} ${res.statusText}`;
    throw new ApiError(res.status, message);
  }
  reportReachable(true);
  return validate(schema, body, `answer from ${path}`);
}

/** Fetches a file the API serves (with the token, when there is one) and hands it to the browser as a download. */
export async function download(path: string, filename: string): Promise<void> {
  const res = await fetch(path, { headers: authHeader() });
  if (!res.ok) throw new ApiError(res.status, `${res.status} ${res.statusText}`);
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
