import type { Source, SourcesConfig } from '@hoplens/model';

/** Longest name a snapshot gets from its sources; the rest is counted. */
const MAX = 80;

const nameOf = (s: Source): string[] => {
  switch (s.kind) {
    case 'local':
      return s.hosts.map((h) => h.name);
    case 'agent':
      return [s.name];
    case 'dump':
      return [s.path.split('/').pop() ?? s.path];
    case 'node-agents':
      return ['every node'];
  }
};

/**
 * What a collected snapshot is called in the picker and the list: the hosts and agents it came
 * from (`worker, podvm`), so two servers' snapshots, or two host maps', are told apart at a glance
 * rather than all being "local". Past MAX characters, the rest is counted (`… +12 more`).
 */
export function snapshotName(config: SourcesConfig): string {
  const names = config.sources.flatMap(nameOf);
  if (names.length === 0) return 'no sources';
  let out = '';
  for (const [i, n] of names.entries()) {
    const next = out ? `${out}, ${n}` : n;
    if (next.length > MAX && out) return `${out} +${names.length - i} more`;
    out = next;
  }
  return out;
}
