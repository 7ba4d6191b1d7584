import { createHash } from 'node:crypto';

/*
 * A stored snapshot row's mark that it was checked: which schema the snapshot passed when it was
 * stored, and a digest of the bytes stored for it (its gzipped manifest, then each part it names, in
 * the manifest's order). Loading a row whose bytes still give that digest, under that same schema,
 * checks only the format instead of walking the schema over ~10⁶ objects again (see
 * storedSnapshotOf). A row without a mark (stored by an older hoplens, or by a caller that did not
 * check), with other bytes, or marked under another schema is checked in full as before.
 */

/** `<schema id> <digest>`: the form of the `checked` column. */
export const markOf = (schemaId: string, digest: string): string => `${schemaId} ${digest}`;

/** The schema id a mark names, if the bytes' digest is the one it holds; undefined otherwise. */
export function checkedWith(mark: string | undefined, digest: () => string): string | undefined {
  if (mark === undefined) return undefined;
  const [schemaId, expected] = mark.split(' ');
  return schemaId && expected === digest() ? schemaId : undefined;
}

/**
 * The digest of a manifest row's stored bytes: its gzipped manifest, then each part it names once,
 * in the order it names them (hosts, pods, Services), each prefixed with its length.
 */
export function storedDigest(
  manifest: Uint8Array,
  order: readonly number[],
  blobs: ReadonlyMap<number, Uint8Array>,
): string {
  const hash = createHash('sha256');
  const length = (b: Uint8Array): Buffer => {
    const n = Buffer.alloc(4);
    n.writeUInt32BE(b.byteLength);
    return n;
  };
  hash.update(length(manifest)).update(manifest);
  const seen = new Set<number>();
  for (const id of order) {
    if (seen.has(id)) continue;
    seen.add(id);
    const gz = blobs.get(id);
    // A missing part has no bytes to vouch for: no digest matches it.
    if (gz === undefined) return `missing ${id}`;
    hash.update(length(gz)).update(gz);
  }
  return hash.digest('hex');
}
