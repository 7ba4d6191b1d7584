import { readFile, stat } from 'node:fs/promises';
import { readDump, type HostInventory, type HostMap, type Source, type SourcesConfig } from '@hoplens/model';
import { ByteBudget } from './byteBudget.ts';
import { withErrors } from './hostErrors.ts';
import { SnapshotRoom } from './snapshotRoom.ts';
import { failedHost } from './failedHost.ts';
import {
  DEFAULT_AGENT_TIMEOUT_MS,
  DEFAULT_COLLECTION_BYTES,
  fetchAgent,
  MAX_ANSWER_BYTES,
  readToken,
  type Answer,
} from './fetchAgent.ts';
import { hostClaims, type Claim, type NamedHost } from './hostClaims.ts';
import { kubernetesNodes } from '../kubernetes/kubernetesPods.ts';
import { Slots } from './slots.ts';

/** Where one source of a run stands, for progress reports; `index` is its place in the sources. */
export interface SourceProgress {
  readonly index: number;
  readonly source: string;
  readonly state: 'collecting' | 'done' | 'failed';
  readonly hosts: number;
  readonly message?: string;
}

/** How many sources are asked at once unless the sources file says otherwise (`concurrency`). */
export const DEFAULT_CONCURRENCY = 64;

export interface CollectSourcesOptions {
  /** Collects a host map of this machine (in a child process, for the server). */
  readonly collectLocal: (map: HostMap) => Promise<HostInventory[]>;
  /** Called when a source gets its slot (collecting) and when it ends; until then it is queued. */
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
 * What a run keeps of each source's hosts from when they arrive until the run ends: the hosts
 * themselves (collectSources), or less (the server's collection hands each answer on at once and
 * keeps a name and a place: 5,000 parsed inventories held to the end cost its collector seconds).
 * Every host of the run passes here, failed ones too, before names are settled (hostClaims).
 * `refused` lists (by position) those of an answer that cannot be in the snapshot: a bound agent's
 * hosts other than its own, which the keeper need not count or read.
 */
export type HostKeeper<H extends NamedHost> = (
  hosts: HostInventory[],
  answer?: Buffer,
  refused?: readonly number[],
) => H[];

/**
 * Collects every source, at most `concurrency` at a time (agents, dumps, each node of node-agents;
 * the rest wait for a slot), each with its own timeout counted from when it is asked, all within
 * one byte budget. A source that fails, times out or answers garbage becomes a host with that
 * error, so the snapshot is partial but never lost, and a hung agent holds one slot for its own
 * timeout only. Host names are settled between sources by hostClaims.
 */
export function collectSources(config: SourcesConfig, opts: CollectSourcesOptions): Promise<HostInventory[]> {
  return collectKept(config, opts, (hosts) => hosts);
}

/**
 * collectSources, keeping what `keep` makes of each source's hosts as they arrive (with `answer`,
 * the JSON an agent or a dump file gave, which `readDump` read them from); a kept host renamed or
 * given an error when names are settled is a copy with that name and those errors.
 */
export async function collectKept<H extends NamedHost>(
  config: SourcesConfig,
  opts: CollectSourcesOptions,
  keep: HostKeeper<H>,
): Promise<H[]> {
  const budget = new ByteBudget(config.maxBytes ?? DEFAULT_COLLECTION_BYTES);
  const slots = new Slots(config.concurrency ?? DEFAULT_CONCURRENCY);
  // What the answers hold together: one that would pass a snapshot's limits fails its source alone.
  const room = new SnapshotRoom(config.sources.reduce((n, s) => n + unitOf(s), 0));
  // 5,000 agents share a token file or a few: read each once a run (rotated tokens apply next run).
  const tokens = new Map<string, Promise<string>>();
  const token = (file: string): Promise<string> => {
    let t = tokens.get(file);
    if (!t) tokens.set(file, (t = readToken(file)));
    return t;
  };
  const results = await Promise.all(
    config.sources.map(async (source, index): Promise<Claim<H>[]> => {
      const report = (state: SourceProgress['state'], hosts: number, message?: string): void =>
        opts.onProgress?.({ index, source: sourceLabel(source), state, hosts, ...(message ? { message } : {}) });
      const unit = unitOf(source);
      const counted: HostKeeper<H> = (hosts, json, refused) => {
        const out = new Set(refused);
        room.take(out.size === 0 ? hosts : hosts.filter((_, at) => !out.has(at)), unit);
        return keep(hosts, json, refused);
      };
      const keepFailed = (hosts: HostInventory[]): H[] => {
        room.failed(hosts, unit);
        return keep(hosts);
      };
      try {
        const claims = await collectOne(source, config, opts, {
          budget,
          slots,
          token,
          keep: counted,
          keepFailed,
          room,
          started: () => report('collecting', 0),
        });
        report('done', claims.length);
        return claims;
      } catch (e) {
        const message = `${sourceLabel(source)}: ${(e as Error).message.split('\n')[0]}`;
        report('failed', 0, message);
        const names = source.kind === 'local' ? source.hosts.map((h) => h.name) : [failedName(source)];
        const failed = keepFailed(names.map((name) => failedHost(name, message)));
        return failed.map((host) => ({ host, source: sourceLabel(source), bound: true }));
      }
    }),
  );
  return hostClaims(results.flat());
}

/** What every source of one run shares: its byte budget, its slots and what it keeps of a host. */
interface RunShare<H extends NamedHost> {
  readonly budget: ByteBudget;
  readonly slots: Slots;
  /** A token file's token, read once a run. */
  readonly token: (file: string) => Promise<string>;
  /** Keeps a source's hosts, or throws where they do not fit beside the run's others (SnapshotRoom). */
  readonly keep: HostKeeper<H>;
  /** Keeps a failed source's hosts, which the snapshot holds whatever (in the room kept for them). */
  readonly keepFailed: (hosts: HostInventory[]) => H[];
  /** What the run's answers hold together (node-agents keep room for each node they list). */
  readonly room: SnapshotRoom;
  /** Tells the run this source has been given a slot (for node-agents: its first node has). */
  readonly started: () => void;
}

/** The hosts a source leaves at least, failed or not: room is kept for them (SnapshotRoom). */
const unitOf = (source: Source): number => (source.kind === 'local' ? source.hosts.length : 1);

const failedName = (source: Exclude<Source, { kind: 'local' }>): string =>
  source.kind === 'agent' ? source.name : source.kind;

async function collectOne<H extends NamedHost>(
  source: Source,
  config: SourcesConfig,
  opts: CollectSourcesOptions,
  share: RunShare<H>,
): Promise<Claim<H>[]> {
  const label = sourceLabel(source);
  const timeoutMs = config.timeoutMs ?? DEFAULT_AGENT_TIMEOUT_MS;
  const { budget, slots, token, keep, started } = share;
  switch (source.kind) {
    case 'local': {
      // This machine's host map names its hosts: they are its own.
      const hosts = keep(await slots.run(() => opts.collectLocal({ hosts: source.hosts }), started));
      return hosts.map((host) => ({ host, source: label, bound: true }));
    }
    case 'agent': {
      const answer = await slots.run(() => fetchAgent(source, timeoutMs, budget, token), started);
      return boundTo(source, label, answer, keep);
    }
    case 'node-agents':
      return nodeAgents(source, timeoutMs, share);
    case 'dump': {
      const hosts = keptOf(await slots.run(() => readDumpFile(source.path, budget), started), keep);
      return hosts.map((host) => ({ host, source: label, bound: true }));
    }
  }
}

const keptOf = <H extends NamedHost>({ hosts, json }: Answer, keep: HostKeeper<H>): H[] => keep(hosts, json);

/** How many of a bound agent's refused hosts are named one by one; the rest are counted in one error. */
const NAMED_REFUSALS = 16;

/**
 * An agent with `hosts` may report only those; any other host it reports is refused, and said so
 * on the agent's own host (the first NAMED_REFUSALS by name, the rest counted: an agent reporting
 * thousands of others cannot push its host past what a snapshot may hold). Without `hosts` its
 * claims are unbound: a name it shares with another source is flagged, never silently taken.
 */
function boundTo<H extends NamedHost>(
  source: Extract<Source, { kind: 'agent' }>,
  label: string,
  { hosts: all, json }: Answer,
  keep: HostKeeper<H>,
): Claim<H>[] {
  const allowed = source.hosts;
  const claims = (hosts: H[]): Claim<H>[] => hosts.map((host) => ({ host, source: label, bound: !!allowed }));
  if (!allowed) return claims(keep(all, json));
  const own = new Set(allowed);
  const refusedAt = all.flatMap((h, at) => (own.has(h.name) ? [] : [at]));
  const refused = refusedAt.map((at) => all[at]!.name);
  if (refused.length === 0) return claims(keep(all, json));
  const its = `(its hosts: ${allowed.join(', ')})`;
  const errors = refused.slice(0, NAMED_REFUSALS).map((name) => ({
    message: `${label} reported host ${name}, which it may not ${its}: ignored`,
    notice: true as const,
  }));
  if (refused.length > NAMED_REFUSALS)
    errors.push({
      message: `${label} reported ${refused.length - NAMED_REFUSALS} more hosts, which it may not ${its}: ignored`,
      notice: true,
    });
  // Nothing of its own: its answer is not handed on, and one host says why.
  if (refused.length === all.length) return claims(keep([{ ...failedHost(source.name, errors[0]!.message), errors }]));
  const [first, ...rest] = keep(all, json, refusedAt).filter((_, at) => own.has(all[at]!.name));
  return claims([{ ...first!, errors: withErrors(first!.errors, errors) }, ...rest]);
}

/** A dump file, read within the per-answer limit and the collection's budget. */
async function readDumpFile(path: string, budget: ByteBudget): Promise<Answer> {
  let json: Buffer;
  try {
    const { size } = await stat(path);
    if (size > MAX_ANSWER_BYTES) throw new Error(`it has ${size} bytes, more than an inventory has`);
    if (!budget.take(size)) throw new Error(`this collection has read ${budget.limit} bytes, its limit`);
    json = await readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new Error(code ? `cannot read it: ${code}` : (e as Error).message, { cause: e });
  }
  return { hosts: readDump(JSON.parse(json.toString('utf8'))).hosts, json };
}

/**
 * Asks the agent on every node the Kubernetes API lists; a node whose agent fails is a host with
 * the reason. Each agent is bound to its node's name: it wins that name from an unbound source.
 */
async function nodeAgents<H extends NamedHost>(
  source: Extract<Source, { kind: 'node-agents' }>,
  timeoutMs: number,
  { budget, slots, token, keep, keepFailed, room, started }: RunShare<H>,
): Promise<Claim<H>[]> {
  const nodes = await kubernetesNodes(source.kubeconfig, source.timeoutMs ?? timeoutMs);
  // One host a node, failed or not, in place of the one kept for the source.
  room.reserve(nodes.length - 1);
  let first = true;
  const startedOnce = (): void => {
    if (first) started();
    first = false;
  };
  const answers = await Promise.all(
    nodes.map(async (node): Promise<Claim<H>[]> => {
      const host = node.address.includes(':') ? `[${node.address}]` : node.address;
      const agent = {
        kind: 'agent' as const,
        name: node.name,
        url: `${source.scheme ?? 'http'}://${host}:${source.port}`,
        ...(source.tokenFile ? { tokenFile: source.tokenFile } : {}),
        ...(source.timeoutMs ? { timeoutMs: source.timeoutMs } : {}),
      };
      const label = sourceLabel(agent);
      try {
        const answer = await slots.run(() => fetchAgent(agent, timeoutMs, budget, token), startedOnce);
        return keptOf(answer, keep).map((h) => ({ host: h, source: label, bound: h.name === node.name }));
      } catch (e) {
        const [host] = keepFailed([failedHost(node.name, `${label}: ${(e as Error).message.split('\n')[0]}`)]);
        return [{ host: host!, source: label, bound: true }];
      }
    }),
  );
  return answers.flat();
}
