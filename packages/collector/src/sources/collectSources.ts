import { readFile } from 'node:fs/promises';
import { readDump, type HostInventory, type HostMap, type Source, type SourcesConfig } from '@hoplens/model';
import { failedHost } from './failedHost.ts';
import { DEFAULT_AGENT_TIMEOUT_MS, fetchAgent } from './fetchAgent.ts';
import { kubernetesNodes } from '../kubernetes/kubernetesPods.ts';

/** How a source's collection ended, for progress reports. */
export interface SourceProgress {
  readonly source: string;
  readonly state: 'collecting' | 'done' | 'failed';
  readonly hosts: number;
  readonly done: number;
  readonly total: number;
  readonly message?: string;
}

export interface CollectSourcesOptions {
  /** Collects a host map of this machine (in a child process, for the server). */
  readonly collectLocal: (map: HostMap) => Promise<HostInventory[]>;
  readonly onProgress?: (p: SourceProgress) => void;
}

/** A label for a source in messages and progress. */
export function sourceLabel(s: Source): string {
  switch (s.kind) {
    case 'local':
      return `local (${s.hosts.map((h) => h.name).join(', ')})`;
    case 'agent':
      return `agent ${s.name} at ${s.url}`;
    case 'dump':
      return `dump ${s.path}`;
    case 'node-agents':
      return `agents on every node (port ${s.port})`;
  }
}

/**
 * Collects every source at once, each with its own timeout. A source that fails, times out or
 * answers garbage becomes a host with that error, so the snapshot is partial but never lost; a host
 * name that two sources both report is kept twice, the second renamed.
 */
export async function collectSources(config: SourcesConfig, opts: CollectSourcesOptions): Promise<HostInventory[]> {
  const total = config.sources.length;
  let done = 0;
  const report = (source: Source, state: SourceProgress['state'], hosts: number, message?: string): void =>
    opts.onProgress?.({ source: sourceLabel(source), state, hosts, done, total, ...(message ? { message } : {}) });
  const results = await Promise.all(
    config.sources.map(async (source): Promise<HostInventory[]> => {
      report(source, 'collecting', 0);
      try {
        const hosts = await collectOne(source, config, opts);
        done++;
        report(source, 'done', hosts.length);
        return hosts;
      } catch (e) {
        done++;
        const message = `${sourceLabel(source)}: ${(e as Error).message.split('\n')[0]}`;
        report(source, 'failed', 0, message);
        return source.kind === 'local'
          ? source.hosts.map((h) => failedHost(h.name, message))
          : [failedHost(source.kind === 'agent' ? source.name : source.kind, message)];
      }
    }),
  );
  return uniqueNames(results.flat());
}

async function collectOne(
  source: Source,
  config: SourcesConfig,
  opts: CollectSourcesOptions,
): Promise<HostInventory[]> {
  switch (source.kind) {
    case 'local':
      return opts.collectLocal({ hosts: source.hosts });
    case 'agent':
      return fetchAgent(source, config.timeoutMs ?? DEFAULT_AGENT_TIMEOUT_MS);
    case 'node-agents':
      return nodeAgents(source, config.timeoutMs ?? DEFAULT_AGENT_TIMEOUT_MS);
    case 'dump': {
      let text: string;
      try {
        text = await readFile(source.path, 'utf8');
      } catch (e) {
        throw new Error(`cannot read it: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { cause: e });
      }
      return readDump(JSON.parse(text)).hosts;
    }
  }
}

/** Asks the agent on every node the Kubernetes API lists; a node whose agent fails is a host with the reason. */
async function nodeAgents(
  source: Extract<Source, { kind: 'node-agents' }>,
  timeoutMs: number,
): Promise<HostInventory[]> {
  const nodes = await kubernetesNodes(source.kubeconfig, source.timeoutMs ?? timeoutMs);
  const answers = await Promise.all(
    nodes.map(async (node): Promise<HostInventory[]> => {
      const host = node.address.includes(':') ? `[${node.address}]` : node.address;
      const agent = {
        kind: 'agent' as const,
        name: node.name,
        url: `${source.scheme ?? 'http'}://${host}:${source.port}`,
        ...(source.tokenFile ? { tokenFile: source.tokenFile } : {}),
        ...(source.timeoutMs ? { timeoutMs: source.timeoutMs } : {}),
      };
      try {
        return await fetchAgent(agent, timeoutMs);
      } catch (e) {
        return [failedHost(node.name, `${sourceLabel(agent)}: ${(e as Error).message.split('\n')[0]}`)];
      }
    }),
  );
  return answers.flat();
}

/** Graph ids are keyed by host name: a second host of one name is kept as NAME.2 and says so. */
function uniqueNames(hosts: HostInventory[]): HostInventory[] {
  const seen = new Map<string, number>();
  return hosts.map((h) => {
    const n = (seen.get(h.name) ?? 0) + 1;
    seen.set(h.name, n);
    if (n === 1) return h;
    const message = `a second host named ${h.name} came from the sources; kept as ${h.name}.${n}`;
    return { ...h, name: `${h.name}.${n}`, errors: [...h.errors, { message }] };
  });
}
