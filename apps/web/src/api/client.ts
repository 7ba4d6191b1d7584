import type { Static, TSchema } from 'typebox';
import { ErrorBodySchema, validate } from '@hoplens/model';
import Value from 'typebox/value';
import { authHeader } from './token.ts';

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

/** Fetches JSON and checks it against the model's schema: nothing enters the UI unchecked. */
export async function request<T extends TSchema>(schema: T, path: string, init?: RequestInit): Promise<Static<T>> {
  const headers = { accept: 'application/json', ...authHeader(), ...init?.headers };
  const res = await fetch(path, { ...init, headers });
  const body: unknown = await res.json().catch(() => undefined);
  if (!res.ok) {
    const message = Value.Check(ErrorBodySchema, body) ? body.message : `${res.status} ${res.statusText}`;
    throw new ApiError(res.status, message);
  }
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
