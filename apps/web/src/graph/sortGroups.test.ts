import { describe, expect, it } from 'vitest';
import type { GroupProblems, HostGroup } from '@hoplens/model';
import { sortGroups } from './sortGroups.ts';

const group = (label: string, summary: GroupProblems): HostGroup => ({
  id: `host:${label}`,
  label,
  hosts: [`host:${label}`],
  slot: 0,
  expanded: false,
  summary,
});
const groups = [
  group('node-10', { pods: 10, findings: 0 }),
  group('node-2', { pods: 3, findings: 1, severity: 'warning' }),
  group('node-3', { pods: 12, findings: 2, severity: 'fatal', worst: { rule: 'r', message: 'm' } }),
  group('node-1', { pods: 10, findings: 5, severity: 'warning' }),
  group('node-4', { pods: 1, findings: 1, severity: 'fatal' }),
];
const labels = (gs: readonly HostGroup[]) => gs.map((g) => g.label);

describe('sortGroups', () => {
  it('puts the worst problems first: severity, then how many findings, then pods', () => {
    expect(labels(sortGroups(groups, 'problems', false))).toEqual(['node-3', 'node-4', 'node-1', 'node-2', 'node-10']);
  });

  it('sorts by name as people count (node-2 before node-10), and by pods, most first', () => {
    expect(labels(sortGroups(groups, 'group', false))).toEqual(['node-1', 'node-2', 'node-3', 'node-4', 'node-10']);
    expect(labels(sortGroups(groups, 'pods', false))).toEqual(['node-3', 'node-1', 'node-10', 'node-2', 'node-4']);
  });

  it('keeps only the groups with findings when asked, without changing what it was given', () => {
    const before = labels(groups);
    expect(labels(sortGroups(groups, 'problems', true))).not.toContain('node-10');
    expect(sortGroups(groups, 'group', true)).toHaveLength(4);
    expect(labels(groups)).toEqual(before);
  });
});
