import type { OvsTraceAnswer, OvsTraceRequest } from '@hoplens/model';
import { isOvsTraceRequest } from './precompiledAgentChecks.ts';

/** Asks this machine's Open vSwitch about one packet: its answer, or why there is none. */
export type AskOvs = (q: OvsTraceRequest) => Promise<{ readonly answer: OvsTraceAnswer } | { readonly error: string }>;

/** ofproto/trace questions answered at once; more wait for the server's next round. */
const MAX_ASKING = 4;

/** What the route answers: a status and a body, which the agent sends. */
export type RouteAnswer =
  | { readonly status: 200; readonly body: unknown }
  | { readonly status: 400 | 404 | 422 | 429; readonly message: string };

/**
 * `GET /v1/ofproto-trace?bridge=…&flow=…[&ctNext=…][&host=…]`: the switch's own answer for one
 * packet, for a server's live trace. The question is checked against OvsTraceRequestSchema before
 * anything is asked (a flow of `key=value` fields only, no option, no shell); at most four are
 * answered at a time. Read-only: ofproto/trace only computes.
 */
export function ofprotoTraceRoute(askOvs: AskOvs | undefined): (query: URLSearchParams) => Promise<RouteAnswer> {
  let asking = 0;
  return async (query) => {
    if (!askOvs) return { status: 404, message: 'this agent has no Open vSwitch to ask' };
    const fields = ['host', 'bridge', 'flow', 'ctNext'].flatMap((k) => {
      const v = query.get(k);
      return v === null ? [] : [[k, v] as const];
    });
    const q: unknown = Object.fromEntries(fields);
    if (!isOvsTraceRequest(q))
      return { status: 400, message: (await import('./agentRefusals.ts')).ovsTraceRequestRefusal(q) };
    if (asking >= MAX_ASKING) return { status: 429, message: `at most ${MAX_ASKING} questions at a time` };
    asking++;
    try {
      const r = await askOvs(q);
      return 'answer' in r ? { status: 200, body: r } : { status: 422, message: r.error };
    } finally {
      asking--;
    }
  };
}
