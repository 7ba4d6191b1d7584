import { expect, type APIRequestContext } from '@playwright/test';

/**
 * Stores a snapshot through the API, as an import would; one the server already has (the same id,
 * imported by an earlier test) is fine. Returns its id.
 */
export async function importSnapshot(request: APIRequestContext, snapshot: { readonly id: string }): Promise<string> {
  const res = await request.post('/api/snapshots', { data: snapshot, timeout: 60_000 });
  expect([201, 409], await res.text()).toContain(res.status());
  return snapshot.id;
}
