import Type from 'typebox';
import { DurationSchema } from './duration.ts';
import { HostMapEntrySchema, HostNameSchema, type HostMap } from './hostMap.ts';

const TimeoutSchema = Type.Integer({ minimum: 100, maximum: 600_000 });

/** Namespaces of this machine, grouped into hosts by a host map. */
export const LocalSourceSchema = Type.Object({
  kind: Type.Literal('local'),
  hosts: Type.Array(HostMapEntrySchema, { minItems: 1 }),
});

/** A hoplens agent on a node or pod VM, asked over HTTP(S) with its bearer token. */
export const AgentSourceSchema = Type.Object({
  kind: Type.Literal('agent'),
  /** What to call the host when the agent does not answer. */
  name: HostNameSchema,
  url: Type.String({ pattern: '^https?://[^\\s]+$', maxLength: 2048 }),
  /** File whose first line is the agent's token. */
  tokenFile: Type.Optional(Type.String({ minLength: 1, maxLength: 4096 })),
  timeoutMs: Type.Optional(TimeoutSchema),
  /**
   * The host names this agent may report; others it reports are refused, and it wins these names
   * from any unbound source. Without it, a name two sources report is flagged on both.
   */
  hosts: Type.Optional(Type.Array(HostNameSchema, { minItems: 1, maxItems: 1024 })),
});

/** A file written by `hoplens dump`, read at every collection. */
export const DumpSourceSchema = Type.Object({
  kind: Type.Literal('dump'),
  path: Type.String({ minLength: 1, maxLength: 4096 }),
});

/**
 * The agents of every node of the cluster (a DaemonSet on the host network), found through the
 * Kubernetes API: each node's InternalIP at this port.
 */
export const NodeAgentsSourceSchema = Type.Object({
  kind: Type.Literal('node-agents'),
  port: Type.Integer({ minimum: 1, maximum: 65535 }),
  scheme: Type.Optional(Type.Union([Type.Literal('http'), Type.Literal('https')])),
  tokenFile: Type.Optional(Type.String({ minLength: 1, maxLength: 4096 })),
  /** The kubeconfig to find the nodes with; the default one (in a pod: its service account) otherwise. */
  kubeconfig: Type.Optional(Type.String({ minLength: 1, maxLength: 4096 })),
  timeoutMs: Type.Optional(TimeoutSchema),
});

export const SourceSchema = Type.Union([
  LocalSourceSchema,
  AgentSourceSchema,
  DumpSourceSchema,
  NodeAgentsSourceSchema,
]);
export type Source = Type.Static<typeof SourceSchema>;

/** Where a collection gets its hosts (`hoplens start --sources FILE`). */
export const SourcesConfigSchema = Type.Object({
  sources: Type.Array(SourceSchema, { minItems: 1 }),
  /** Collect on its own this often (`5m`), as `hoplens start --every` does; the flag wins. */
  every: Type.Optional(DurationSchema),
  /** Per agent, unless it says otherwise: a host slower than this becomes an error in the snapshot. */
  timeoutMs: Type.Optional(TimeoutSchema),
  /**
   * How many sources are asked at once (default 64): agents, dumps and each node of node-agents wait
   * for a free slot, and an agent's timeout runs from when it is asked. Bounds sockets and answers
   * in flight, so 5,000 agents are read a few dozen at a time.
   */
  concurrency: Type.Optional(Type.Integer({ minimum: 1, maximum: 1024 })),
  /** Bytes one collection reads from all agents and dumps together (default 1 GiB); past it, the rest fail. */
  maxBytes: Type.Optional(Type.Integer({ minimum: 2 ** 20, maximum: 2 ** 36 })),
  /** Name pods after Kubernetes: the API server of this kubeconfig (or the default one). */
  kubernetes: Type.Optional(
    Type.Object({
      kubeconfig: Type.Optional(Type.String({ minLength: 1, maxLength: 4096 })),
      timeoutMs: Type.Optional(TimeoutSchema),
    }),
  ),
});
export type SourcesConfig = Type.Static<typeof SourcesConfigSchema>;

/** The sources of a plain host map: this machine's namespaces only. */
export const localSources = (map: HostMap): SourcesConfig => ({
  sources: [{ kind: 'local', hosts: map.hosts }],
});
