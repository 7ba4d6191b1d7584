import type { OvsQuery, OvsTraceAnswer } from '@hoplens/model';
import { openJsonRpc } from './jsonRpc.ts';
import { askOfprotoTrace } from './ofprotoTrace.ts';
import { vswitchdControl } from './vswitchdControl.ts';

/**
 * Asks this machine's switch (the one whose database socket is `dbSocket`) about one packet, live:
 * what an agent does for its server, and the lab for its tests. Never throws: a failure is the answer.
 */
export async function askOvsLocal(
  dbSocket: string,
  q: Omit<OvsQuery, 'host'>,
  timeoutMs = 5000,
): Promise<{ readonly answer: OvsTraceAnswer } | { readonly error: string }> {
  try {
    const { control } = await vswitchdControl(dbSocket);
    const session = await openJsonRpc(control, { timeoutMs });
    try {
      return { answer: await askOfprotoTrace(session, q) };
    } finally {
      session.close();
    }
  } catch (e) {
    return { error: (e as Error).message.split('\n')[0] ?? 'failed' };
  }
}
