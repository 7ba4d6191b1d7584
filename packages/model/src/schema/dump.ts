import Type from 'typebox';
import { HostInventorySchema } from './inventory.ts';

/** The only dump format this build reads and writes. */
export const DUMP_FORMAT = 1;

/**
 * One machine's inventory, as `hoplens dump` writes it for offline analysis (the sosreport case)
 * and as a hoplens agent answers the server. Hosts, not a snapshot: the server makes the snapshot.
 */
export const DumpSchema = Type.Object({
  kind: Type.Literal('hoplens-dump'),
  format: Type.Literal(DUMP_FORMAT),
  createdAt: Type.String(),
  hosts: Type.Array(HostInventorySchema, { minItems: 1 }),
});
export type Dump = Type.Static<typeof DumpSchema>;
