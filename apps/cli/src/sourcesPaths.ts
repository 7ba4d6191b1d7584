import { dirname, resolve } from 'node:path';
import type { Source, SourcesConfig } from '@hoplens/model';

/**
 * A sources file's paths (a dump's `path`, a `tokenFile`, a `kubeconfig`) taken relative to the
 * file itself, as a config file's own paths are read: relative to the server's working directory,
 * `"path": "d1.json"` beside the sources file failed at every collection when the server was
 * started from elsewhere. Absolute paths are kept as written.
 */
export function withPathsFrom(config: SourcesConfig, file: string): SourcesConfig {
  const dir = dirname(resolve(file));
  const at = (p: string): string => resolve(dir, p);
  const source = (s: Source): Source => {
    switch (s.kind) {
      case 'dump':
        return { ...s, path: at(s.path) };
      case 'agent':
        return s.tokenFile === undefined ? s : { ...s, tokenFile: at(s.tokenFile) };
      case 'node-agents':
        return {
          ...s,
          ...(s.tokenFile === undefined ? {} : { tokenFile: at(s.tokenFile) }),
          ...(s.kubeconfig === undefined ? {} : { kubeconfig: at(s.kubeconfig) }),
        };
      case 'local':
        return s;
    }
  };
  const kube = config.kubernetes;
  return {
    ...config,
    sources: config.sources.map(source),
    ...(kube?.kubeconfig === undefined ? {} : { kubernetes: { ...kube, kubeconfig: at(kube.kubeconfig) } }),
  };
}
