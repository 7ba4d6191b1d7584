import type * as esbuild from 'esbuild';
import { labList } from '../src/labList.ts';

/**
 * An esbuild plugin: src/labList.ts replaced by the text it makes, computed now from the scenarios
 * this build bundles, so the built `lab list` prints it without loading the lab. Not for watch
 * builds: the scenarios imported here are the ones of the build's start.
 */
export function generatedLabList(): esbuild.Plugin {
  return {
    name: 'hoplens-lab-list',
    setup(build) {
      build.onResolve({ filter: /\/labList\.ts$/ }, () => ({ path: 'labList', namespace: 'generated-lab-list' }));
      build.onLoad({ filter: /./, namespace: 'generated-lab-list' }, () => ({
        contents: `export function labList() { return ${JSON.stringify(labList())}; }`,
        loader: 'js',
      }));
    },
  };
}
