/** An OpenFlow rule a packet met in ofproto/trace, or a table where it met none. */
export interface TracedRule {
  readonly bridge: string;
  readonly table: number;
  /** Absent for a table miss (`No match`). */
  readonly priority?: number;
  readonly cookie?: string;
  /** The rule's match as OVS printed it; empty for a rule that matches everything, and for a miss. */
  readonly match: string;
  /** The actions it ran, one per line as OVS printed them (its `->` notes left out). */
  readonly actions: readonly string[];
  readonly miss: boolean;
}

/** One pass through the pipeline: the first, or one resumed after recirculation (conntrack). */
export interface TraceSection {
  /** The recirculation id this pass resumes (`recirc(0x3)`); absent for the first. */
  readonly recirc?: string;
  readonly rules: readonly TracedRule[];
  readonly datapathActions: string;
  /** The fields the datapath flow this pass installs matches on (`Megaflow:`), where OVS printed it. */
  readonly megaflow?: string;
}

export interface ParsedOfprotoTrace {
  readonly sections: readonly TraceSection[];
}

/** ofproto/trace output that cannot be read; the message says what was wrong. */
export class OfprotoTraceError extends Error {
  override readonly name = 'OfprotoTraceError';
}

/** More text than any pipeline prints for one packet. */
const MAX_TEXT = 4 * 1024 * 1024;

/**
 * Parses the text `ovs-appctl ofproto/trace` prints (OVS 2.8 and later): sections split by lines of
 * `=`, each with the rules the packet met per bridge (`N. MATCH, priority P, cookie C` followed by
 * its actions) and its `Datapath actions:`. Anything else — another tool's output, a truncated
 * answer, a section without datapath actions — is refused with the reason.
 */
export function parseOfprotoTrace(text: string): ParsedOfprotoTrace {
  if (text.length > MAX_TEXT) throw new OfprotoTraceError(`an answer of ${text.length} characters`);
  const blocks = text.split(/\n={20,}\n/);
  const sections: TraceSection[] = [];
  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i] ?? '';
    if (i > 0 && i % 2 === 1) {
      // A header between two rules of `=`: "recirc(0x3) - resume conntrack with …".
      const id = /^recirc\((0x[0-9a-f]+)\)/i.exec(block.trim());
      const body = blocks[++i] ?? '';
      sections.push(parseSection(body, id?.[1] ?? unknownHeader(block)));
      continue;
    }
    sections.push(parseSection(block, undefined));
  }
  if (sections.length === 0) throw new OfprotoTraceError('empty answer');
  return { sections };
}

function unknownHeader(header: string): never {
  throw new OfprotoTraceError(`a section hoplens does not know: ${JSON.stringify(header.trim().slice(0, 80))}`);
}

/** `10. MATCH, priority P, cookie C` or `10. No match.`: indented deeper where a resubmit nests. */
const RULE = /^\s*(\d{1,3})\. ((?:.*, )?priority \d+(?:, cookie 0x[0-9a-f]+)?|No match.*)$/i;

function parseSection(block: string, recirc: string | undefined): TraceSection {
  const lines = block.split('\n');
  const rules: { rule: Omit<TracedRule, 'actions'>; actions: string[]; indent: number }[] = [];
  let bridge: string | undefined;
  let datapathActions: string | undefined;
  let megaflow: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.startsWith('bridge("')) {
      // A bridge name may hold quotes, or a newline: its header ends at the line of dashes.
      let name = line;
      while (i + 1 < lines.length && !/^-+$/.test(lines[i + 1] ?? '') && name.length < 1024) name += `\n${lines[++i]}`;
      if (!name.endsWith('")'))
        throw new OfprotoTraceError(`a bridge header without its end: ${JSON.stringify(name.slice(0, 80))}`);
      bridge = name.slice('bridge("'.length, -2);
      continue;
    }
    const mf = /^Megaflow: (.*)$/.exec(line);
    if (mf) {
      megaflow = (mf[1] ?? '').trim();
      continue;
    }
    const dp = /^Datapath actions: (.*)$/.exec(line);
    if (dp) {
      datapathActions = (dp[1] ?? '').trim();
      continue;
    }
    const r = RULE.exec(line);
    if (!r && /^\s*\d{1,3}\. /.test(line))
      throw new OfprotoTraceError(`a rule hoplens cannot read: ${JSON.stringify(line.trim().slice(0, 120))}`);
    if (r && bridge !== undefined) {
      const indent = line.length - line.trimStart().length;
      rules.push({ rule: parseRuleHead(bridge, Number(r[1]), r[2] ?? ''), actions: [], indent });
      continue;
    }
    const action = /^( {4,})(\S.*)$/.exec(line);
    if (!action || datapathActions !== undefined) continue;
    const text = (action[2] ?? '').trim();
    // An action belongs to the latest rule printed left of it: a resubmit's rules nest deeper.
    const indent = action[1]?.length ?? 0;
    const owner = rules.findLast((x) => x.indent < indent);
    if (owner && !text.startsWith('->') && !/^(thaw|Resuming from table \d+)$/.test(text)) owner.actions.push(text);
  }
  if (datapathActions === undefined) {
    const first = lines.find((l) => l.trim() !== '') ?? '';
    throw new OfprotoTraceError(`no "Datapath actions" in ${JSON.stringify(first.slice(0, 80))}`);
  }
  return {
    ...(recirc === undefined ? {} : { recirc }),
    rules: rules.map(({ rule, actions }) => ({ ...rule, actions })),
    datapathActions,
    ...(megaflow === undefined ? {} : { megaflow }),
  };
}

function parseRuleHead(bridge: string, table: number, text: string): Omit<TracedRule, 'actions'> {
  if (text.startsWith('No match')) return { bridge, table, match: '', miss: true };
  const m = /^(?:(.*), )?priority (\d+)(?:, cookie (0x[0-9a-f]+))?$/i.exec(text);
  if (!m) throw new OfprotoTraceError(`a rule hoplens cannot read: ${JSON.stringify(text.slice(0, 120))}`);
  return {
    bridge,
    table,
    priority: Number(m[2]),
    ...(m[3] === undefined ? {} : { cookie: m[3] }),
    match: m[1] ?? '',
    miss: false,
  };
}
