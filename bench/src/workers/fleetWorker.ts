import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { serveFleet } from '@hoplens/lab';
import { progress } from '../childRun.ts';

/**
 * The load generator in a process of its own (its memory and its event loop are not the server's):
 * a fleet of fake agents on 127.0.x.y, a token file and a sources file naming them all in --dir.
 * Prints one JSON line once every agent listens; closes when the parent closes stdin, writing the
 * agents' own count of requests to --dir/fleet-stats.json. The fleet closes itself after
 * --lifetime-s whatever happens.
 */
const { values } = parseArgs({
  options: {
    dir: { type: 'string' },
    agents: { type: 'string', default: '5000' },
    pods: { type: 'string', default: '30' },
    port: { type: 'string', default: '7081' },
    dead: { type: 'string', default: '0' },
    hung: { type: 'string', default: '0' },
    slow: { type: 'string', default: '0' },
    'slow-ms': { type: 'string', default: '2000' },
    'timeout-ms': { type: 'string', default: '5000' },
    concurrency: { type: 'string' },
    'lifetime-s': { type: 'string', default: '600' },
  },
});
const dir = values.dir!;
const token = 'bench-fleet-token-0123456789abcdef';
const tokenFile = join(dir, 'agent-token');
writeFileSync(tokenFile, `${token}\n`, { mode: 0o600 });
const t = performance.now();
const fleet = await serveFleet({
  agents: Number(values.agents),
  podsPerNode: Number(values.pods),
  port: Number(values.port),
  token,
  dead: Number(values.dead),
  hung: Number(values.hung),
  slow: Number(values.slow),
  slowMs: Number(values['slow-ms']),
  lifetimeMs: Number(values['lifetime-s']) * 1000,
});
progress(`fleet: ${fleet.agents.length} agents listening in ${Math.round(performance.now() - t)} ms`);
const sourcesFile = join(dir, 'sources.json');
const sources = fleet.sources(tokenFile, {
  timeoutMs: Number(values['timeout-ms']),
  ...(values.concurrency === undefined ? {} : { concurrency: Number(values.concurrency) }),
});
writeFileSync(sourcesFile, JSON.stringify(sources));
process.stdout.write(
  `${JSON.stringify({ sourcesFile, bytes: fleet.bytes, agents: fleet.agents.length, first: fleet.agents[0]?.url })}\n`,
);
process.stdin.resume();
process.stdin.on('end', () => {
  writeFileSync(join(dir, 'fleet-stats.json'), JSON.stringify(fleet.stats()));
  void fleet.close().then(() => process.exit(0));
});
