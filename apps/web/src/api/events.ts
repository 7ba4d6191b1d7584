import { SnapshotSummarySchema, validate, type SnapshotSummary } from '@hoplens/model';
import { authHeader } from './token.ts';

/**
 * Follows GET /api/events until `signal` aborts or the stream ends. A streaming fetch rather than
 * EventSource, which cannot send the bearer token a server with --auth-reads wants. Every event
 * is checked against the schema before it reaches the UI.
 */
export async function followSnapshots(onSnapshot: (s: SnapshotSummary) => void, signal: AbortSignal): Promise<void> {
  const res = await fetch('/api/events', { headers: { accept: 'text/event-stream', ...authHeader() }, signal });
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
      if (lines[0] !== 'event: snapshot') continue;
      const data = lines.find((l) => l.startsWith('data: '))?.slice(6);
      if (data) onSnapshot(validate(SnapshotSummarySchema, JSON.parse(data), 'snapshot event'));
    }
  }
}
