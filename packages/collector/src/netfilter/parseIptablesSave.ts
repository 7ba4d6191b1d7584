import type { IptablesBackend, IptablesChain, IptablesRule, IptablesTable } from '@hoplens/model';
import { ParseError } from '../parse/parseError.ts';

/** What one `iptables-save -c` printed: its tables, and those it could not show (nft-native ones). */
export interface IptablesSave {
  readonly tables: IptablesTable[];
  /** Tables iptables-nft found but cannot print ("incompatible, use 'nft' tool"). */
  readonly incompatible: string[];
  /**
   * Tables it printed without the base chains nft (not iptables) made in them ("contains
   * incompatible base-chains"): those chains' rules still run, and must be read with nft.
   */
  readonly foreignChains?: string[];
}

const MAX_RULES = 2_000_000;
const MAX_ARGS = 1024;

/**
 * Parses `iptables-save -c` / `ip6tables-save -c` of either backend: `*table`, `:CHAIN POLICY
 * [p:b]`, `[p:b] -A CHAIN args…`, `COMMIT`. Words are split as iptables-save quotes them (a value
 * with other than letters, digits, `-` and `_` is double-quoted, `"`, `\` and `'` escaped): a
 * quoted value may hold a newline, so a comment can never pose as a rule. Anything else is refused.
 */
export function parseIptablesSave(text: string, family: 'ipv4' | 'ipv6', backend: IptablesBackend): IptablesSave {
  const tables: IptablesTable[] = [];
  const incompatible: string[] = [];
  const foreignChains: string[] = [];
  let table: IptablesTable | undefined;
  let rules = 0;
  const bad = (line: string, why: string): never => {
    throw new ParseError(
      `${backend === 'nft' ? 'iptables-nft-save' : 'iptables-legacy-save'}: ${why}: ${JSON.stringify(line.slice(0, 80))}`,
    );
  };
  let i = 0;
  while (i < text.length) {
    const end = text.indexOf('\n', i);
    const lineEnd = end < 0 ? text.length : end;
    const line = text.slice(i, lineEnd);
    if (line.startsWith('#')) {
      const m = /^# Table `(.+)' is incompatible/.exec(line);
      if (m) incompatible.push(m[1]!);
      const f = /^# Table `(.+)' contains incompatible base-chains/.exec(line);
      if (f) foreignChains.push(f[1]!);
      i = lineEnd + 1;
      continue;
    }
    if (line === '' || line === 'COMMIT') {
      if (line === 'COMMIT') table = undefined;
      i = lineEnd + 1;
      continue;
    }
    if (line.startsWith('*')) {
      table = { family, backend, name: line.slice(1), chains: [], rules: [] };
      tables.push(table);
      i = lineEnd + 1;
      continue;
    }
    if (!table) bad(line, 'a line outside a table');
    const t = table!;
    if (line.startsWith(':')) {
      const m = /^:(\S+) (\S+) \[(\d+):(\d+)\]$/.exec(line);
      if (!m) bad(line, 'not a chain line');
      const chain: IptablesChain = { name: m![1]!, policy: m![2]!, packets: Number(m![3]), bytes: Number(m![4]) };
      t.chains.push(chain);
      i = lineEnd + 1;
      continue;
    }
    // A rule: its words may run past this line inside a quoted value.
    const words = readWords(text, i);
    i = words.next;
    const w = words.words;
    let packets = 0;
    let bytes = 0;
    let k = 0;
    const counters = /^\[(\d+):(\d+)\]$/.exec(w[0] ?? '');
    if (counters) {
      packets = Number(counters[1]);
      bytes = Number(counters[2]);
      k = 1;
    }
    if (w[k] !== '-A' || w[k + 1] === undefined) bad(line, 'not a rule line');
    if (++rules > MAX_RULES) bad(line, `more than ${MAX_RULES} rules`);
    const args = w.slice(k + 2);
    if (args.length > MAX_ARGS) bad(line, `more than ${MAX_ARGS} words`);
    const rule: IptablesRule = { chain: w[k + 1]!, args, packets, bytes };
    t.rules.push(rule);
  }
  return { tables, incompatible, ...(foreignChains.length > 0 ? { foreignChains } : {}) };
}

/** The words of one rule from `start` to its end of line, unquoting `"…"` values. */
function readWords(text: string, start: number): { words: string[]; next: number } {
  const words: string[] = [];
  let i = start;
  let word = '';
  let inWord = false;
  while (i < text.length && text[i] !== '\n') {
    const c = text[i]!;
    if (c === ' ') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      i++;
      continue;
    }
    inWord = true;
    if (c === '"') {
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\' && i + 1 < text.length) i++;
        word += text[i];
        i++;
      }
      if (i >= text.length)
        throw new ParseError(`iptables-save: unterminated quoted value: ${JSON.stringify(word.slice(0, 80))}`);
      i++;
      continue;
    }
    word += c;
    i++;
  }
  if (inWord) words.push(word);
  return { words, next: i + 1 };
}
