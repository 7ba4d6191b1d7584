import {
  FindingsEventSchema,
  SnapshotSummarySchema,
  validate,
  type FindingsEvent,
  type SnapshotSummary,
} from '@hoplens/model';
import { reportReachable } from './reachability.ts';
import { authHeader } from './token.ts';

/** What the dashboard hears on GET /api/events. */
export interface LiveHandlers {
  readonly onSnapshot: (s: SnapshotSummary) => void;
  readonly onFindings: (e: FindingsEvent) => void;
}

/**
 * Follows GET /api/events until `signal` aborts or the stream ends. A streaming fetch rather than
 * EventSource, which cannot send the bearer token a server with --auth-reads wants. Every event
 * is checked against the schema before it reaches the UI.
 */
export async function followEvents(handlers: LiveHandlers, signal: AbortSignal): Promise<void> {
  const res = await fetch('/api/events', { headers: { accept: 'text/event-stream', ...authHeader() }, signal }).catch(
    (e: unknown) => {
      if (!signal.aborted) reportReachable(false);
      throw e;
    },
  );
  reportReachable(true);
  if (!res.ok || !res.body) throw new Error(`events: ${res.status}`);
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const lines = block.split('\n');
      const data = lines.find((l) => l.startsWith('data: '))?.slice(6);
      if (!data) continue;
      if (lines[0] === 'event: snapshot')
        handlers.onSnapshot(validate(SnapshotSummarySchema, JSON.parse(data), 'snapshot event'));
      if (lines[0] === 'event: findings')
        handlers.onFindings(validate(FindingsEventSchema, JSON.parse(data), 'findings event'));
    }
  }
}
