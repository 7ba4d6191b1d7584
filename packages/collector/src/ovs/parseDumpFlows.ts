import { splitTopLevel, type FlowMatchField, type OpenFlowRule } from '@hoplens/model';
import { ParseError } from '../parse/parseError.ts';

/** Rules kept per bridge: an OVN node has tens of thousands; past this the list says how many there were. */
export const MAX_FLOWS_PER_BRIDGE = 20_000;

/** Fields `ovs-ofctl dump-flows` prints before the match, `key=value` or a bare flag. */
const STATS = new Set([
  'cookie',
  'duration',
  'table',
  'n_packets',
  'n_bytes',
  'idle_timeout',
  'hard_timeout',
  'idle_age',
  'hard_age',
  'importance',
  'send_flow_rem',
  'check_overlap',
  'reset_counts',
  'no_packet_counts',
  'no_byte_counts',
]);

/** OpenFlow's default priority, which dump-flows leaves out. */
const DEFAULT_PRIORITY = 32768;

export interface ParsedFlows {
  readonly flows: OpenFlowRule[];
  /** How many rules there were, when more than MAX_FLOWS_PER_BRIDGE. */
  readonly total?: number;
}

/**
 * Parses `ovs-ofctl --no-names dump-flows BRIDGE`. A line that is not a rule refuses the whole
 * output (a truncated or corrupted dump is an error on the host, never half a table).
 */
export function parseDumpFlows(text: string, max = MAX_FLOWS_PER_BRIDGE): ParsedFlows {
  const flows: OpenFlowRule[] = [];
  let total = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '' || /^(NXST|OFPST)_FLOW reply/.test(line)) continue;
    total++;
    if (flows.length < max) flows.push(parseRule(line));
  }
  return total > flows.length ? { flows, total } : { flows };
}

function parseRule(line: string): OpenFlowRule {
  const bad = (why: string): ParseError =>
    new ParseError(`ovs-ofctl dump-flows output: ${why} in ${JSON.stringify(line.slice(0, 120))}`);
  const text = line.trim();
  const at = text.startsWith('actions=') ? 0 : text.indexOf(' actions=');
  if (at < 0) throw bad('no actions');
  const head = text.slice(0, at);
  const actions = splitTopLevel(text.slice(at + (at === 0 ? 8 : 9)));
  if (!actions || actions.length === 0) throw bad('unbalanced actions');
  const stats = new Map<string, string>();
  const match: FlowMatchField[] = [];
  let priority = DEFAULT_PRIORITY;
  for (const group of head === '' ? [] : head.split(', ')) {
    const eq = group.indexOf('=');
    const key = eq < 0 ? group : group.slice(0, eq);
    if (STATS.has(key) && !group.includes(',')) {
      stats.set(key, eq < 0 ? '' : group.slice(eq + 1));
      continue;
    }
    for (const item of splitTopLevel(group) ?? []) {
      const i = item.indexOf('=');
      const field = i < 0 ? item : item.slice(0, i);
      if (!/^[a-z_][a-z0-9_]*$/i.test(field)) throw bad(`match field ${JSON.stringify(field.slice(0, 30))}`);
      if (field === 'priority') priority = int(item.slice(i + 1), 0, 65535, () => bad('priority'));
      else match.push(i < 0 ? { field } : { field, value: item.slice(i + 1) });
    }
  }
  const cookie = stats.get('cookie') ?? '0x0';
  if (!/^0x[0-9a-f]{1,16}$/i.test(cookie)) throw bad('cookie');
  return {
    table: int(stats.get('table') ?? '0', 0, 255, () => bad('table')),
    priority,
    cookie,
    match,
    actions,
    packets: int(stats.get('n_packets') ?? '0', 0, Number.MAX_SAFE_INTEGER, () => bad('n_packets')),
    bytes: int(stats.get('n_bytes') ?? '0', 0, Number.MAX_SAFE_INTEGER, () => bad('n_bytes')),
  };
}

function int(text: string, min: number, max: number, fail: () => Error): number {
  if (!/^\d+$/.test(text)) throw fail();
  const n = Number(text);
  if (n < min || n > max) throw fail();
  return n;
}
