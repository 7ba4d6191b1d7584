import Type from 'typebox';
import { parseJsonOutput } from './ipJson.ts';

const NsidSchema = Type.Array(Type.Object({ nsid: Type.Integer(), name: Type.Optional(Type.String()) }));

/** Parses `ip -j netns list-id`: the ids this namespace gives the named namespaces it knows. */
export function parseNsids(text: string): Map<number, string | undefined> {
  return new Map(parseJsonOutput(NsidSchema, text, 'ip -j netns list-id').map((e) => [e.nsid, e.name]));
}
