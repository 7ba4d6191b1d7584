import Type from 'typebox';
import { closedSchema } from './closed.ts';
import { DUMP_FORMAT } from './formats.ts';
import { HostInventorySchema } from './inventory.ts';

/**
 * One machine's inventory, as `hoplens dump` writes it for offline analysis (the sosreport case)
 * and as a hoplens agent answers the server. Hosts, not a snapshot: the server makes the snapshot.
 * Closed: a dump is never stored as such, so an unknown field in one is refused, never kept.
 */
export const DumpSchema = closedSchema(
  Type.Object({
    kind: Type.Literal('hoplens-dump'),
    format: Type.Literal(DUMP_FORMAT),
    /** When the dump was written; informational only (the snapshot made of it has its own time). */
    createdAt: Type.String({ maxLength: 40 }),
    hosts: Type.Array(HostInventorySchema, { minItems: 1 }),
  }),
);
export type Dump = Type.Static<typeof DumpSchema>;
