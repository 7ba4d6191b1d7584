/**
 * A file name for a snapshot's export: its whole id (two snapshots whose ids begin alike are two
 * files, not one overwritten), with anything a file name should not hold replaced, and bounded.
 */
export const exportName = (snapshot: string): string =>
  `hoplens-${snapshot.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 80)}`;
