import type { FastifyInstance, FastifyRequest } from 'fastify';
import { accessOf } from './routeAccess.ts';

/** Where audit lines go: one JSON object per line. */
export type AuditSink = (line: string) => void;

/** One write request as the audit log records it. */
export interface AuditEntry {
  readonly at: string;
  readonly method: string;
  /** The route the router matched (`/api/snapshots/:id`), or null for an unknown path. */
  readonly route: string | null;
  /** The path as the client spelled it, cut at 512 characters. */
  readonly url: string;
  /** The snapshot written or deleted, where there is one. */
  readonly snapshot?: string;
  readonly status: number;
  readonly from: string;
  /** Whether the request presented the server's token. */
  readonly token: boolean;
  readonly userAgent?: string;
}

const authenticated = new WeakSet<FastifyRequest>();
const snapshots = new WeakMap<FastifyRequest, string>();

/** Access control notes that a request presented the right token. */
export const markAuthenticated = (req: FastifyRequest): void => void authenticated.add(req);

/** A route notes the snapshot a write created. */
export const noteSnapshot = (req: FastifyRequest, id: string): void => void snapshots.set(req, id);

/**
 * Logs every write request (imports, collections, deletions, and the ones refused) with who sent
 * it, what it asked and what it got, after the answer is sent. Lines are JSON, so names and agents
 * of any content stay one escaped line.
 */
export function addAuditLog(app: FastifyInstance, sink: AuditSink): void {
  app.addHook('onResponse', async (req, reply) => {
    if (accessOf(req) !== 'write') return;
    const id = snapshots.get(req) ?? (req.params as { id?: unknown } | undefined)?.id;
    const agent = req.headers['user-agent'];
    const entry: AuditEntry = {
      at: new Date().toISOString(),
      method: req.method,
      route: req.is404 ? null : (req.routeOptions.url ?? null),
      url: req.url.slice(0, 512),
      ...(typeof id === 'string' ? { snapshot: id.slice(0, 64) } : {}),
      status: reply.statusCode,
      from: req.ip,
      token: authenticated.has(req),
      ...(agent ? { userAgent: agent.slice(0, 200) } : {}),
    };
    sink(JSON.stringify(entry));
  });
}
