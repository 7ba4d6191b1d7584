import type { IpSet } from '@hoplens/model';
import { ParseError } from '../parse/parseError.ts';

const MAX_MEMBERS = 5_000_000;

/**
 * Parses `ipset save`: `create NAME TYPE [family inet|inet6] …` then `add NAME MEMBER [options]`.
 * Members are kept as ipset writes them (`10.0.0.5`, `10.0.0.0/24`, `10.0.0.5,tcp:80`); the tracer
 * reads the forms its set types use.
 */
export function parseIpsetSave(text: string): IpSet[] {
  const sets = new Map<string, IpSet>();
  let members = 0;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const w = line.split(' ');
    if (w[0] === 'create' && w[1] !== undefined && w[2] !== undefined) {
      const family = w[w.indexOf('family') + 1];
      sets.set(w[1], {
        name: w[1],
        type: w[2],
        ...(w.includes('family') && family !== undefined ? { family } : {}),
        members: [],
      });
    } else if (w[0] === 'add' && w[1] !== undefined && w[2] !== undefined) {
      const set = sets.get(w[1]);
      if (!set) throw new ParseError(`ipset save: member of an unknown set: ${JSON.stringify(line.slice(0, 80))}`);
      if (++members > MAX_MEMBERS) throw new ParseError(`ipset save: more than ${MAX_MEMBERS} members`);
      set.members.push(w[2]);
    } else {
      throw new ParseError(`ipset save: not a create or add line: ${JSON.stringify(line.slice(0, 80))}`);
    }
  }
  return [...sets.values()];
}
