import { describe, expect, it } from 'vitest';
import type { SourcesConfig } from '@hoplens/model';
import { withPathsFrom } from './sourcesPaths.ts';

describe('a sources file’s paths', () => {
  it('are read relative to the file, absolute ones as written', () => {
    const config: SourcesConfig = {
      sources: [
        { kind: 'dump', path: 'd1.json' },
        { kind: 'dump', path: '/var/lib/hoplens/podvm-3.json' },
        { kind: 'agent', name: 'n1', url: 'http://10.0.0.1:7081', tokenFile: '../tokens/agent' },
        { kind: 'agent', name: 'n2', url: 'http://10.0.0.2:7081' },
        { kind: 'node-agents', port: 7081, tokenFile: 'token', kubeconfig: '/etc/kube/config' },
        { kind: 'local', hosts: [{ name: 'me', kind: 'node', root: null, netns: [] }] },
      ],
      kubernetes: { kubeconfig: 'kube.yaml' },
    };
    const read = withPathsFrom(config, '/etc/hoplens/sources.json');
    expect(read.sources).toEqual([
      { kind: 'dump', path: '/etc/hoplens/d1.json' },
      { kind: 'dump', path: '/var/lib/hoplens/podvm-3.json' },
      { kind: 'agent', name: 'n1', url: 'http://10.0.0.1:7081', tokenFile: '/etc/tokens/agent' },
      { kind: 'agent', name: 'n2', url: 'http://10.0.0.2:7081' },
      { kind: 'node-agents', port: 7081, tokenFile: '/etc/hoplens/token', kubeconfig: '/etc/kube/config' },
      config.sources[5],
    ]);
    expect(read.kubernetes).toEqual({ kubeconfig: '/etc/hoplens/kube.yaml' });
    expect(withPathsFrom({ sources: [] as never[] }, 'rel/s.json').kubernetes).toBeUndefined();
  });
});
