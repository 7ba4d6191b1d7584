import { describe, expect, it } from 'vitest';
import { snapshotName } from './snapshotName.ts';

describe('snapshotName', () => {
  it('names a collection after the hosts of a host map, not "local"', () => {
    const hosts = [
      { name: 'worker', kind: 'node' as const, root: null, netns: [] },
      { name: 'podvm', kind: 'pod-vm' as const, root: null, netns: [] },
    ];
    expect(snapshotName({ sources: [{ kind: 'local', hosts }] })).toBe('worker, podvm');
  });

  it('names agents by name, dumps by file and node agents as every node', () => {
    expect(
      snapshotName({
        sources: [
          { kind: 'agent', name: 'worker-1', url: 'https://10.0.0.11:7081' },
          { kind: 'dump', path: '/var/lib/hoplens/podvm-3.json' },
          { kind: 'node-agents', port: 7081 },
        ],
      }),
    ).toBe('worker-1, podvm-3.json, every node');
  });

  it('counts what does not fit instead of growing without end', () => {
    const sources = Array.from({ length: 40 }, (_, i) => ({
      kind: 'agent' as const,
      name: `node-${i}`,
      url: `http://10.0.0.${i}:7081`,
    }));
    const name = snapshotName({ sources });
    expect(name.length).toBeLessThan(100);
    expect(name).toMatch(/^node-0, node-1, .* \+\d+ more$/);
    const shown = name.split(' +')[0]!.split(', ').length;
    expect(Number(/\+(\d+) more/.exec(name)![1]) + shown).toBe(40);
  });
});
