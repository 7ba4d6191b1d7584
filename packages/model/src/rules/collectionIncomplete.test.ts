import { describe, expect, it } from 'vitest';
import { hostId } from '../ids.ts';
import { analyze } from '../snapshot/analyze.ts';
import { twoLinkRouter } from '../testing/twoLinkRouter.ts';
import { SNAPSHOT_LIMITS } from '../snapshot/snapshotLimits.ts';
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

  it('warns where a namespace that failed is missing, naming it and counting the rest', () => {
    const snapshot = twoLinkRouter().b.snapshot();
    const host = snapshot.hosts[0]!;
    host.errors.push(
      { netns: 'pod-9', command: ['hoplens-nldump', 'pod-9'], message: 'open namespace: No such file or directory' },
      { netns: null, message: 'x'.repeat(1000) },
    );
    const [f, ...rest] = collectionIncomplete.run(new SnapshotIndex(snapshot));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      severity: 'warning',
      subjects: [hostId(host.name)],
      message: `${host.name} was collected without namespace pod-9: open namespace: No such file or directory (namespace pod-9) and 1 more; every verdict about traffic through what is missing is unknown, not passed`,
      evidence: { errors: '2', namespaces: String(host.namespaces.length), missing: 'pod-9' },
    });
  });

  it('says so (info) where every namespace is there and part of one failed', () => {
    const snapshot = twoLinkRouter().b.snapshot();
    const host = snapshot.hosts[0]!;
    const ns = host.namespaces[0]!.name!;
    host.errors.push({ netns: ns, command: ['iptables-save'], message: 'timed out after 5000 ms' });
    expect(collectionIncomplete.run(new SnapshotIndex(snapshot))).toMatchObject([
      {
        severity: 'info',
        message: `${host.name} was collected with 1 error: timed out after 5000 ms (namespace ${ns}); the rules could not check what failed`,
      },
    ]);
  });

  it('warns of a host of no namespace even without an error, and of one whose errors were cut at the bound', () => {
    const snapshot = twoLinkRouter().b.snapshot();
    const empty = { name: 'empty', kind: 'other' as const, collectedAt: '', namespaces: [], errors: [] };
    const host = snapshot.hosts[0]!;
    const ns = host.namespaces[0]!.name!;
    // Every error inside a namespace that is there, but as many as a host may keep: more were left out.
    host.errors = Array.from({ length: SNAPSHOT_LIMITS.errorsPerHost }, (_, i) => ({ netns: ns, message: `e${i}` }));
    const findings = collectionIncomplete.run(new SnapshotIndex({ ...snapshot, hosts: [...snapshot.hosts, empty] }));
    expect(findings.map((f) => [f.evidence.host, f.severity])).toEqual([
      [host.name, 'warning'],
      ['empty', 'warning'],
    ]);
    expect(findings[0]!.message).toContain('namespaces its errors left out may name');
    expect(findings[1]!.message).toBe(
      'nothing was collected from empty: no error was recorded; every verdict about traffic through it is unknown, not passed',
    );
    host.errors = host.errors.slice(1);
    expect(collectionIncomplete.run(new SnapshotIndex(snapshot))).toMatchObject([{ severity: 'info' }]);
  });

  it('warns where the host’s own namespace is missing, whatever else was read', () => {
    const snapshot = twoLinkRouter().b.snapshot();
    const host = snapshot.hosts.find((h) => h.namespaces.some((n) => n.root) && h.namespaces.length > 1)!;
    host.namespaces = host.namespaces.filter((n) => !n.root);
    host.errors.push({ message: 'routes could not be read, so this namespace is left out: EPERM' });
    expect(collectionIncomplete.run(new SnapshotIndex(snapshot))).toMatchObject([
      {
        severity: 'warning',
        message: expect.stringContaining(`${host.name} was collected without its own namespace:`),
      },
    ]);
  });

  it('leaves notices of a host read whole alone (a rename, strays refused), but not a host nothing was read of', () => {
    const snapshot = twoLinkRouter().b.snapshot();
    snapshot.hosts[0]!.errors.push({
      message: 'agent b also reported host node, which a owns: kept as node.2',
      notice: true,
    });
    expect(collectionIncomplete.run(new SnapshotIndex(snapshot))).toEqual([]);
    const refusedAll = {
      name: 'edge',
      kind: 'other' as const,
      collectedAt: '',
      namespaces: [],
      errors: [
        {
          message: 'agent edge reported host stray, which it may not (its hosts: edge): ignored',
          notice: true as const,
        },
      ],
    };
    const [f] = collectionIncomplete.run(new SnapshotIndex({ ...snapshot, hosts: [...snapshot.hosts, refusedAll] }));
    expect(f).toMatchObject({ severity: 'warning', subjects: [hostId('edge')] });
  });

  it('never cuts a character in two where it quotes', () => {
    const snapshot = twoLinkRouter().b.snapshot();
    snapshot.hosts[0]!.errors.push({ message: `${'a'.repeat(299)}😀tail` });
    const [f] = collectionIncomplete.run(new SnapshotIndex(snapshot));
    expect(f!.evidence.firstError).toBe(`${'a'.repeat(299)}…`);
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
