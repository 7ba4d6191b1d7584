import { isSnapshotId } from '@hoplens/model';
import { describe, expect, it } from 'vitest';
import { newSnapshotId } from './createSnapshot.ts';

describe('newSnapshotId', () => {
  it('is 128 bits in base64url (the snapshot id pattern), a new one each time', () => {
    const ids = Array.from({ length: 2000 }, newSnapshotId);
    for (const id of ids) expect(isSnapshotId(id) && id.length === 22, id).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    // Random bits: every base64url character turns up across 2,000 ids (44,000 characters).
    expect(new Set(ids.join('')).size).toBe(64);
  });
});
