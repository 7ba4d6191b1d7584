import {
  AgentProbeRequestSchema,
  check,
  OvsTraceRequestSchema,
  type AgentProbeRequest,
  type OvsTraceRequest,
} from '@hoplens/model';

/**
 * Is the value an ofproto/trace question (interpreted, as validate's `once` checks a small value)?
 * From source, the schema's check; in the built agent this file is replaced by the same checks
 * compiled at build (apps/cli/scripts/precompile.ts), which load no schema library: the agent then
 * answers well-formed requests without loading TypeBox, and a refused one with agentRefusals.ts.
 */
export const isOvsTraceRequest = (value: unknown): value is OvsTraceRequest =>
  check(OvsTraceRequestSchema, value, false);

/** Is the value a probe request? (See isOvsTraceRequest.) */
export const isAgentProbeRequest = (value: unknown): value is AgentProbeRequest =>
  check(AgentProbeRequestSchema, value);
