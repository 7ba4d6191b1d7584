/** What {@link importThenKill} needs: a running server, what to import, and how to kill it. */
export interface ImportThenKill {
  readonly url: string;
  /** A snapshot to import under fresh ids (its `id` is replaced). */
  readonly snapshot: object;
  /** Ids are `${idPrefix}x` and a 15-digit counter: unique per round. */
  readonly idPrefix: string;
  readonly count: number;
  /** Kill once this many more imports are acknowledged (201) than before: mid-stream, never too early. */
  readonly atLeast: number;
  readonly kill: () => Promise<void>;
  /** Every id the server acknowledged; this round's are added. */
  readonly acknowledged: Set<string>;
}

/**
 * Fires `count` concurrent imports at a server and kills it with `kill -9` mid-stream, once some
 * are acknowledged and others are still in flight (a fixed delay is too short on a busy machine).
 * Resolves when every import has settled; a crash test then checks that no acknowledged id is lost.
 */
export async function importThenKill(p: ImportThenKill): Promise<void> {
  const imports = Array.from({ length: p.count }, (_, i) => {
    const id = `${p.idPrefix}x${String(i).padStart(15, '0')}`;
    return fetch(`${p.url}/api/snapshots`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...p.snapshot, id }),
    })
      .then((r) => (r.status === 201 ? p.acknowledged.add(id) : undefined))
      .catch(() => undefined);
  });
  const before = p.acknowledged.size;
  const deadline = Date.now() + 30_000;
  while (p.acknowledged.size - before < p.atLeast) {
    if (Date.now() > deadline) throw new Error(`fewer than ${p.atLeast} imports acknowledged in 30 s`);
    await new Promise((r) => setTimeout(r, 10));
  }
  await p.kill();
  await Promise.all(imports);
}
