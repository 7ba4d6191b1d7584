import { parseArgs } from 'node:util';
import { askSourcesOvs, collectLocal, localHostMap } from '@hoplens/collector';
import { buildAgentApp } from '@hoplens/server/agent';
import { readHostMap } from '../readHostMap.ts';
import { readTls } from '../readTls.ts';
import { readToken } from '../readToken.ts';
import { UsageError } from '../usageError.ts';

/**
 * `hoplens agent --listen HOST:PORT --token-file FILE [--hosts HOSTMAP.json] [--tls-cert PEM --tls-key PEM]
 * [--allow-probe]`: serves this machine's inventory to a hoplens server (GET /v1/inventory with the
 * bearer token) and, with --allow-probe, real pings from its namespaces (POST /v1/probe). It never
 * changes the host.
 */
export async function agent(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      listen: { type: 'string', default: '127.0.0.1:7081' },
      'token-file': { type: 'string' },
      hosts: { type: 'string' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      'allow-probe': { type: 'boolean' },
    },
    strict: true,
  });
  const [host, port] = parseListen(values.listen);
  const token = await readToken(values['token-file'], 'HOPLENS_AGENT_TOKEN');
  if (!token)
    throw new UsageError('the agent needs a token of at least 16 characters: --token-file FILE or HOPLENS_AGENT_TOKEN');
  const map = values.hosts ? await readHostMap(values.hosts) : await localHostMap();
  const https = await readTls(values['tls-cert'], values['tls-key']);
  const [only] = map.hosts;
  const app = await buildAgentApp({
    token,
    collect: () => collectLocal(map),
    // The agent's switches are those of its host map's hosts, asked as a server asks a local source.
    askOvs: ({ host, ...q }) =>
      askSourcesOvs({ sources: [{ kind: 'local', hosts: map.hosts }] }, { host: host ?? only?.name ?? '', ...q }),
    ...(https ? { https } : {}),
    ...(values['allow-probe'] ? { probe: { map } } : {}),
  });
  const url = await app.listen({ host, port });
  const probes = values['allow-probe'] ? `, probes at ${url}/v1/probe` : '';
  process.stdout.write(`hoplens agent: ${url}/v1/inventory${probes} (${map.hosts.map((h) => h.name).join(', ')})\n`);
  const stop = (): void => {
    void app.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/** `HOST:PORT`, `[V6]:PORT` or `:PORT` (all addresses). */
function parseListen(text: string): [string, number] {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(text);
  const port = Number(m?.[3]);
  if (!m || port > 65535) throw new UsageError(`--listen must be HOST:PORT, got ${JSON.stringify(text)}`);
  return [m[1] ?? (m[2] || '0.0.0.0'), port];
}
