import { describe, expect, it } from 'vitest';
import { hostId } from '../ids.ts';
import { analyze } from '../snapshot/analyze.ts';
import { twoLinkRouter } from '../testing/twoLinkRouter.ts';
import { SnapshotIndex } from '../topology/snapshotIndex.ts';
import { collectionIncomplete } from './collectionIncomplete.ts';

describe('collection-incomplete', () => {
  it('warns of a host nothing was collected from: its traffic is unknown, never "no findings"', () => {
    const snapshot = twoLinkRouter().b.snapshot();
    const lost = {
      name: 'agent-7',
      kind: 'other' as const,
      collectedAt: '',
      namespaces: [],
      errors: [{ message: 'agent http://10.0.0.7:7081: connect ECONNREFUSED' }],
    };
    const index = new SnapshotIndex({ ...snapshot, hosts: [...snapshot.hosts, lost] });
    expect(collectionIncomplete.run(index)).toEqual([
      {
        rule: 'collection-incomplete',
        severity: 'warning',
        subjects: [hostId('agent-7')],
        message:
          'nothing was collected from agent-7: agent http://10.0.0.7:7081: connect ECONNREFUSED; every verdict about traffic through it is unknown, not passed',
        evidence: {
          host: 'agent-7',
          errors: '1',
          namespaces: '0',
          firstError: 'agent http://10.0.0.7:7081: connect ECONNREFUSED',
        },
      },
    ]);
  });

  it('says so (info) where some of a host was read, naming the namespace and counting the rest', () => {
    const t = twoLinkRouter();
    const snapshot = t.b.snapshot();
    const host = snapshot.hosts[0]!;
    host.errors.push(
      { netns: 'pod-9', command: ['hoplens-nldump', 'pod-9'], message: 'open namespace: No such file or directory' },
      { netns: null, message: 'x'.repeat(1000) },
    );
    const [f, ...rest] = collectionIncomplete.run(new SnapshotIndex(snapshot));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      severity: 'info',
      subjects: [hostId(host.name)],
      message: `${host.name} was collected with 2 errors: open namespace: No such file or directory (namespace pod-9) and 1 more; the rules could not check what failed`,
      evidence: { errors: '2', namespaces: String(host.namespaces.length) },
    });
  });

  it('quotes at most 300 characters of an error', () => {
    const snapshot = twoLinkRouter().b.snapshot();
    snapshot.hosts[0]!.errors.push({ message: 'y'.repeat(5000) });
    const [f] = collectionIncomplete.run(new SnapshotIndex(snapshot));
    expect(f!.evidence.firstError).toBe(`${'y'.repeat(300)}…`);
    expect(f!.message.length).toBeLessThan(500);
  });

  it('is silent on a clean collection, and the whole analysis counts a lost host', () => {
    const snapshot = twoLinkRouter().b.snapshot();
    expect(collectionIncomplete.run(new SnapshotIndex(snapshot))).toEqual([]);
    const lost = {
      name: 'gone',
      kind: 'other' as const,
      collectedAt: '',
      namespaces: [],
      errors: [{ message: 'timed out' }],
    };
    const { findings } = analyze({ ...snapshot, hosts: [...snapshot.hosts, lost] });
    expect(findings.filter((f) => f.rule === 'collection-incomplete')).toHaveLength(1);
  });
});
