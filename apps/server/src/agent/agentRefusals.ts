import { AgentProbeRequestSchema, OvsTraceRequestSchema, SchemaError, validate } from '@hoplens/model';
import type { TSchema } from 'typebox';

/**
 * Why validate() refuses a value that a check compiled at build refused: its SchemaError's message,
 * the words the agent answers 400 with. (The built agent loads this file, and TypeBox, only then:
 * see precompiledAgentChecks.ts.) Should validate() accept it, the checks disagree; the value is
 * refused all the same, in validate's words for a value without named problems.
 */
function refusal(schema: TSchema, value: unknown, what: string, once = false): string {
  try {
    validate(schema, value, what, { once });
  } catch (e) {
    if (e instanceof SchemaError) return e.message;
    throw e;
  }
  return new SchemaError(what, ['does not match the schema']).message;
}

/** Why an ofproto/trace question is refused. */
export const ovsTraceRequestRefusal = (value: unknown): string =>
  refusal(OvsTraceRequestSchema, value, 'ofproto/trace question', true);

/** Why a probe request is refused. */
export const agentProbeRequestRefusal = (value: unknown): string =>
  refusal(AgentProbeRequestSchema, value, 'probe request');
