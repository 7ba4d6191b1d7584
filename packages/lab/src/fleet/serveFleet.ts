import { timingSafeEqual } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import { AGENT_INVENTORY_PATH, createDump } from '@hoplens/collector';
import type { HostInventory, SourcesConfig } from '@hoplens/model';
import { generateCluster } from '../synthetic/generateCluster.ts';
import { fleetAddress, MAX_FLEET_AGENTS } from './fleetAddress.ts';

/** What a fleet of fake agents serves, and how some of them misbehave. */
export interface FleetOptions {
  /** How many agents (each a distinct synthetic node), at most MAX_FLEET_AGENTS. */
  readonly agents: number;
  /** Pods on each node (the synthetic generator's bridge-CNI nodes). */
  readonly podsPerNode: number;
  /** Every agent's port (7081, the agent's own); 0 gives each an ephemeral port (tests). */
  readonly port: number;
  /** The bearer token every inventory request must carry, as a real agent's (at least 16 characters). */
  readonly token: string;
  /** The last `dead` agents have no listener at all: connection refused. */
  readonly dead?: number;
  /** Before them, `hung` agents accept the connection and never answer: the server's timeout ends it. */
  readonly hung?: number;
  /** Before those, `slow` agents answer after `slowMs`. */
  readonly slow?: number;
  readonly slowMs?: number;
  /** The fleet closes itself after this long, whatever happens to whoever started it (default 10 min). */
  readonly lifetimeMs?: number;
  readonly seed?: number;
}

/** One fake agent: the host it serves and where. */
export interface FleetAgent {
  readonly name: string;
  readonly url: string;
  readonly behaviour: 'answers' | 'slow' | 'hung' | 'dead';
}

/** A running fleet: its agents, the bytes they serve, and a way to close it. */
export interface Fleet {
  readonly agents: readonly FleetAgent[];
  /** Bytes of inventory the answering agents serve, all together. */
  readonly bytes: number;
  /** Inventory requests received so far, and the most that were open at once (as the agents saw them). */
  stats(): { readonly requests: number; readonly mostInFlight: number };
  /** A sources file naming every agent (each bound to its host), for `hoplens start --sources`. */
  sources(tokenFile: string, extra?: Omit<SourcesConfig, 'sources'>): SourcesConfig;
  close(): Promise<void>;
}

/**
 * A load generator: `agents` fake hoplens agents on loopback (127.0.x.y, see fleetAddress), each
 * serving one synthetic node's inventory exactly as `hoplens agent` does (GET /v1/inventory, bearer
 * token, a `hoplens-dump` body), for benchmarks and tests of collecting from a whole cluster. One
 * HTTP handler behind one listening socket per address; each body is made once, up front, so what
 * is measured is the server. Bounded in count and in time (`lifetimeMs`), and `close` frees every
 * address and connection.
 */
export async function serveFleet(opts: FleetOptions): Promise<Fleet> {
  const { agents: count, port } = opts;
  if (!Number.isInteger(count) || count < 1 || count > MAX_FLEET_AGENTS)
    throw new RangeError(`a fleet has 1 to ${MAX_FLEET_AGENTS} agents, not ${count}`);
  if (opts.token.length < 16) throw new Error('the agents’ token must have at least 16 characters');
  const dead = opts.dead ?? 0;
  const hung = opts.hung ?? 0;
  const slow = opts.slow ?? 0;
  if (dead + hung + slow > count) throw new RangeError('more misbehaving agents than agents');
  const behaviour = (i: number): FleetAgent['behaviour'] =>
    i >= count - dead
      ? 'dead'
      : i >= count - dead - hung
        ? 'hung'
        : i >= count - dead - hung - slow
          ? 'slow'
          : 'answers';

  const bodies = inventories(count, opts.podsPerNode, opts.seed ?? 1);
  const token = Buffer.from(`Bearer ${opts.token}`);
  const sockets = new Set<Socket>();
  const byAddress = new Map<string, number>();
  const timers = new Set<NodeJS.Timeout>();

  let requests = 0;
  let inFlight = 0;
  let mostInFlight = 0;
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const i = byAddress.get(`${req.socket.localAddress}:${req.socket.localPort}`);
    const path = (req.url ?? '/').split('?')[0];
    if (i === undefined || req.method !== 'GET' || path !== `/${AGENT_INVENTORY_PATH}`) return reply(res, 404, '{}');
    requests++;
    mostInFlight = Math.max(mostInFlight, ++inFlight);
    // Answered, or given up by the client (a hung agent's request ends when the server times out).
    res.once('close', () => inFlight--);
    const auth = Buffer.from(req.headers.authorization ?? '');
    if (auth.length !== token.length || !timingSafeEqual(auth, token)) return reply(res, 401, '{}');
    if (behaviour(i) === 'hung') return;
    if (behaviour(i) === 'slow') {
      const t = setTimeout(() => {
        timers.delete(t);
        reply(res, 200, bodies[i]!);
      }, opts.slowMs ?? 1000);
      timers.add(t);
      return;
    }
    reply(res, 200, bodies[i]!);
  };
  const http = createHttpServer({ keepAlive: true }, handle);
  const listeners: NetServer[] = [];
  const agents: FleetAgent[] = [];
  const listenOne = async (i: number): Promise<void> => {
    const address = fleetAddress(i);
    const b = behaviour(i);
    if (b === 'dead') {
      // Nothing listens there. With ephemeral ports, one is taken and given back: refused from now on.
      const free = port === 0 ? await freePort(address) : port;
      agents[i] = { name: `node-${i}`, url: `http://${address}:${free}`, behaviour: b };
      return;
    }
    const server = createNetServer((socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
      http.emit('connection', socket);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: address, port, backlog: 64 }, () => resolve());
    });
    listeners.push(server);
    const bound = (server.address() as AddressInfo).port;
    byAddress.set(`${address}:${bound}`, i);
    agents[i] = { name: `node-${i}`, url: `http://${address}:${bound}`, behaviour: b };
  };

  let closed: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closed ??= (async () => {
      clearTimeout(lifetime);
      for (const t of timers) clearTimeout(t);
      for (const s of sockets) s.destroy();
      await Promise.all(listeners.map((s) => new Promise<void>((r) => s.close(() => r()))));
      http.close();
    })());
  const lifetime = setTimeout(() => void close(), opts.lifetimeMs ?? 10 * 60_000);
  try {
    // A few hundred at a time: thousands of listen() calls at once only queue in the kernel.
    for (let from = 0; from < count; from += 256)
      await Promise.all(Array.from({ length: Math.min(256, count - from) }, (_, k) => listenOne(from + k)));
  } catch (e) {
    await close();
    throw e;
  }
  return {
    agents,
    bytes: bodies.reduce((n, b, i) => n + (behaviour(i) === 'answers' || behaviour(i) === 'slow' ? b.length : 0), 0),
    stats: () => ({ requests, mostInFlight }),
    sources: (tokenFile, extra = {}) => ({
      ...extra,
      sources: agents.map((a) => ({ kind: 'agent' as const, name: a.name, url: a.url, tokenFile, hosts: [a.name] })),
    }),
    close,
  };
}

function freePort(host: string): Promise<number> {
  const s = createNetServer();
  return new Promise((resolve, reject) => {
    s.once('error', reject);
    s.listen({ host, port: 0 }, () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

function reply(res: ServerResponse, status: number, body: string | Buffer): void {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

/** Each agent's answer, made once: node-i of a synthetic cluster of `count` nodes, as a dump. */
function inventories(count: number, podsPerNode: number, seed: number): Buffer[] {
  const { snapshot } = generateCluster({ nodes: count, podsPerNode, peerPodShare: 0, faults: 0, seed });
  const nodes: HostInventory[] = snapshot.hosts.filter((h) => h.kind === 'node');
  return nodes.map((h) => Buffer.from(JSON.stringify(createDump([h]))));
}
