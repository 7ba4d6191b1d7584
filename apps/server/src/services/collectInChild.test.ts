import { describe, expect, it } from 'vitest';
import { collectInChild, killChildren } from './collectInChild.ts';

describe('collectInChild', () => {
  it('kills the children of a stopped run, which fail as stopped', async () => {
    // This machine's own namespace, read only; killed long before the child could have read it.
    const collecting = collectInChild({ hosts: [{ name: 'here', kind: 'node', root: null, netns: [] }] }, 'local');
    killChildren();
    await expect(collecting).rejects.toThrow('collection failed: the run was stopped');
  });
});
