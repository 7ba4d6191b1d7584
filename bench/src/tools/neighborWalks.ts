import { parseArgs } from 'node:util';
import { cpuMs, parsedBenchCluster } from '../benchCluster.ts';
import { buildGraph, SnapshotIndex, type LinkEntry } from '@hoplens/model';
import { directlyAttached, passThrough, wrongReceiver } from '@hoplens/model/testing/neighborShortcut';

/**
 * Where neighbor-mac-mismatch spends its time at cluster scale: the shortcut over every entry, the
 * index caches its walks are the first to build (route tables, bridge MAC maps, neighbour maps —
 * `--prebuild` builds them first and times each), then the silent walks of the entries left, cold
 * and again warm (the second pass over the same entries: caches built, code compiled, and the
 * underlay ARP answers kept for the snapshot). Each line is CPU of the whole process, GC included.
 * Built as the server is (see ruleCosts):
 *   bench/node_modules/.bin/esbuild bench/src/tools/neighborWalks.ts --bundle --platform=node --format=esm \
 *     --outfile=/tmp/neighborWalks.mjs && node --expose-gc /tmp/neighborWalks.mjs --nodes 5000 --prebuild
 */
const { values } = parseArgs({
  options: {
    nodes: { type: 'string', default: '5000' },
    pods: { type: 'string', default: '30' },
    prebuild: { type: 'boolean', default: false },
  },
});

const timed = (label: string, run: () => string): void => {
  const c = cpuMs();
  const said = run();
  process.stdout.write(`${label.padEnd(34)} ${(cpuMs() - c).toFixed(0).padStart(6)} ms CPU  ${said}\n`);
};

const index = new SnapshotIndex(parsedBenchCluster(values.nodes, values.pods));
buildGraph(index);
const through = passThrough(index);
const walked: [LinkEntry, string, string][] = [];
timed('shortcut over every entry', () => {
  let entries = 0;
  for (const ns of index.namespaces) {
    for (const n of ns.ns.neighbors) {
      if (!n.mac || n.state.some((s) => s === 'FAILED' || s === 'INCOMPLETE' || s === 'NOARP')) continue;
      const out = ns.linksByName.get(n.dev);
      if (!out || out.link.kind === 'loopback') continue;
      entries++;
      if (!directlyAttached(index, through, out, n.ip, n.mac)) walked.push([out, n.ip, n.mac]);
    }
  }
  const distinct = new Set(walked.map(([out, ip, mac]) => `${out.id}|${ip}|${mac.toLowerCase()}`)).size;
  return `${entries} entries, ${walked.length} left to walk (${distinct} distinct questions)`;
});
if (values.prebuild) {
  timed('  route tables of root namespaces', () => {
    const roots = index.namespaces.filter((ns) => ns.ns.root);
    for (const ns of roots) index.routes(ns);
    return `${roots.length} tables`;
  });
  timed('  bridge MAC maps', () => {
    const bridges = index.links.filter((le) => le.link.kind === 'bridge');
    for (const le of bridges) index.bridgePortFor(le, '00:00:00:00:00:00');
    return `${bridges.length} bridges`;
  });
  timed('  neighbour maps', () => {
    for (const ns of index.namespaces) index.neighbor(ns, '', '');
    return 'of every namespace with more than a handful of entries';
  });
}
for (const pass of ['walks, cold', 'walks, warm']) {
  timed(pass, () => {
    let wrong = 0;
    for (const [out, ip, mac] of walked) if (wrongReceiver(index, out, ip, mac)) wrong++;
    return `${wrong} entries name another MAC than their receiver's`;
  });
}
