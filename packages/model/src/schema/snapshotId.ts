/** What a snapshot id is: 22 to 64 URL-safe characters (base64url), as every API path and field checks it. */
export const SNAPSHOT_ID_PATTERN = '^[A-Za-z0-9_-]{22,64}$';

const ID = new RegExp(SNAPSHOT_ID_PATTERN);

/** Whether a text (from a URL, say) can name a snapshot at all. */
export const isSnapshotId = (text: string): boolean => ID.test(text);
