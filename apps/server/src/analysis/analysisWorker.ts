import { parentPort, workerData } from 'node:worker_threads';
import { serviceErrorOf } from '../services/serviceError.ts';
import { packedTransfer } from '../store/packedParts.ts';
import { AnalysisHost } from './analysisHost.ts';
import type { PrepareEvent } from '@hoplens/model';
import type { Progress, Request, Response } from './protocol.ts';

/**
 * Worker entry: an AnalysisHost per scope, answering the main thread's requests (each answer says
 * which request it is for). Imports run one at a time: one waiting for its gzips does not let the
 * next one's analysis start beside it, which would hold two large analyses at once.
 */
const port = parentPort;
if (!port) throw new Error('analysisWorker.ts runs in a worker thread');
const cacheBytes = (workerData as { cacheBytes: number }).cacheBytes;
const hosts = new Map<number, AnalysisHost>();
/** Scopes whose service was closed: what still comes for them (a collection's answers) is not kept. */
const dropped = new Set<number>();
const hostOf = (scope: number): AnalysisHost => {
  let host = hosts.get(scope);
  if (!host) {
    const progress = (p: PrepareEvent): void => port.postMessage({ scope, progress: p } satisfies Progress);
    hosts.set(scope, (host = new AnalysisHost(cacheBytes, progress)));
  }
  return host;
};

let importing: Promise<unknown> = Promise.resolve();

port.on('message', (req: Request) => {
  void respond(req).then((res) => {
    port.postMessage(res, 'imported' in res ? packedTransfer(res.imported.parts) : []);
  });
});

async function respond(req: Request): Promise<Response> {
  const { seq } = req;
  try {
    if (req.kind === 'drop') {
      hosts.delete(req.scope);
      dropped.add(req.scope);
      return { seq, done: true };
    }
    if (dropped.has(req.scope)) return { seq, error: { status: 503, message: 'this service is closed' } };
    const host = hostOf(req.scope);
    switch (req.kind) {
      case 'answers':
        host.answers(req.stream, req.answers);
        return { seq, done: true };
      case 'abandon':
        host.abandon(req.stream);
        return { seq, done: true };
      case 'import':
      case 'collected': {
        const imported = importing.then(() =>
          req.kind === 'import' ? host.import(req.body, req.now) : host.collected(req.stream, req.plan, req.now),
        );
        // Neither its answer nor its error is kept for the next import to wait on.
        importing = imported.then(
          () => undefined,
          () => undefined,
        );
        return { seq, imported: await imported };
      }
      case 'commit':
        host.commit(req.id);
        return { seq, done: true };
      case 'forget':
        host.forget(req.id);
        return { seq, done: true };
      case 'query': {
        const missing = host.missing(req.query, req.stored);
        if (missing.length > 0) return { seq, missing };
        const answer = await host.answer(req.query, req.stored);
        return typeof answer === 'number' ? { seq, count: answer } : { seq, gz: answer };
      }
    }
  } catch (e) {
    const known = serviceErrorOf(e);
    if (known) return { seq, error: { status: known.statusCode, message: known.message } };
    process.stderr.write(`hoplens analysis: ${(e as Error).stack ?? String(e)}\n`);
    return { seq, error: { status: 500, message: 'internal error' } };
  }
}
