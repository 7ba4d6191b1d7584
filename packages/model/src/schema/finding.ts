import Type from 'typebox';
import { SeveritySchema } from './snapshot.ts';

export const FindingSchema = Type.Object({
  rule: Type.String(),
  severity: SeveritySchema,
  /** Graph element ids the finding concerns. */
  subjects: Type.Array(Type.String()),
  message: Type.String(),
  evidence: Type.Record(Type.String(), Type.String()),
  /** The exact command that fixes it, when one is known. */
  fix: Type.Optional(Type.String()),
});
export type Finding = Type.Static<typeof FindingSchema>;
