import { describe, expect, it } from 'vitest';
import { earlyNamespaceFiles } from './earlyHelper.ts';

describe('earlyNamespaceFiles', () => {
  it('lists each host’s root, then its other namespaces, as the collection hands them to the helper', () => {
    const map = {
      hosts: [
        { name: 'node', kind: 'node', root: null, netns: ['p0', { name: 'vm', path: '/proc/42/ns/net' }] },
        { name: 'vm', kind: 'podvm', root: 'vm-root', netns: [] },
      ],
    };
    expect(earlyNamespaceFiles(map)).toEqual(['-', '/run/netns/p0', '/proc/42/ns/net', '/run/netns/vm-root']);
  });

  it('starts nothing on a map whose namespaces the host map schema would refuse', () => {
    const host = (netns: unknown[], root: unknown = null): unknown => ({ hosts: [{ root, netns }] });
    for (const bad of [
      host(['../../etc/passwd']),
      host([''], null),
      host([], 'a/b'),
      host(['x'.repeat(256)]),
      host([{ name: 'vm', path: '/run/../etc/shadow' }]),
      host([{ name: 'vm', path: 'relative/ns' }]),
      host([{ name: 'vm' }]),
      host([42]),
      { hosts: [] },
      { hosts: [{ root: null }] },
      null,
      'hosts',
    ])
      expect(earlyNamespaceFiles(bad)).toBeUndefined();
  });
});
