import type { OvsQuery, OvsTraceAnswer } from '@hoplens/model';
import type { JsonRpcSession } from './jsonRpc.ts';

/** An answer longer than this is cut (and then reads as unknown): no pipeline prints that much for one packet. */
const MAX_ANSWER_CHARS = 512 * 1024;

/**
 * Asks ovs-vswitchd what it does with one packet: `ofproto/trace` through its control socket, the
 * request `ovs-appctl ofproto/trace BRIDGE FLOW [--ct-next STATE]` makes. Read-only: the switch
 * only computes the answer.
 */
export async function askOfprotoTrace(session: JsonRpcSession, q: Omit<OvsQuery, 'host'>): Promise<OvsTraceAnswer> {
  const params = [q.bridge, q.flow, ...(q.ctNext === undefined ? [] : ['--ct-next', q.ctNext])];
  const output = await session.call('ofproto/trace', params);
  if (typeof output !== 'string') throw new Error('ofproto/trace answered something that is not text');
  return {
    bridge: q.bridge,
    flow: q.flow,
    ...(q.ctNext === undefined ? {} : { ctNext: q.ctNext }),
    output: output.slice(0, MAX_ANSWER_CHARS),
    answeredAt: new Date().toISOString(),
  };
}
