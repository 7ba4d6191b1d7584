import Type from 'typebox';

/**
 * A JSON value as a tool printed it (nftables' JSON expressions). The tracer's compiler reads it;
 * whatever it does not understand makes the rule `unknown`, never a silent pass. Any value parsed
 * from JSON is one, so the schema accepts any (a recursive schema with an `$id` makes every HTTP
 * response schema that embeds the snapshot twice ambiguous for Fastify's serializer).
 */
export const JsonValueSchema = Type.Unsafe<JsonValue>(Type.Unknown());
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export const NftFamilySchema = Type.Union([
  Type.Literal('ip'),
  Type.Literal('ip6'),
  Type.Literal('inet'),
  Type.Literal('arp'),
  Type.Literal('bridge'),
  Type.Literal('netdev'),
]);
export type NftFamily = Type.Static<typeof NftFamilySchema>;

/** An nftables chain; a base chain has a type, hook and priority (and a device for netdev). */
export const NftChainSchema = Type.Object({
  name: Type.String(),
  handle: Type.Integer(),
  type: Type.Optional(Type.String()),
  hook: Type.Optional(Type.String()),
  prio: Type.Optional(Type.Integer()),
  policy: Type.Optional(Type.String()),
  /** The devices of a netdev chain. */
  devices: Type.Optional(Type.Array(Type.String())),
});
export type NftChain = Type.Static<typeof NftChainSchema>;

/** An nftables rule: its expressions as `nft -j` prints them, with its handle, comment and counter. */
export const NftRuleSchema = Type.Object({
  chain: Type.String(),
  handle: Type.Integer(),
  comment: Type.Optional(Type.String()),
  packets: Type.Optional(Type.Number({ minimum: 0 })),
  bytes: Type.Optional(Type.Number({ minimum: 0 })),
  expr: Type.Array(JsonValueSchema),
});
export type NftRule = Type.Static<typeof NftRuleSchema>;

/** A named set or map: its key type (a concatenation is a list), value type for a map, elements. */
export const NftSetSchema = Type.Object({
  name: Type.String(),
  handle: Type.Optional(Type.Integer()),
  type: JsonValueSchema,
  /** The value type of a map (`verdict` for a verdict map). */
  map: Type.Optional(JsonValueSchema),
  flags: Type.Optional(Type.Array(Type.String())),
  elem: Type.Array(JsonValueSchema),
});
export type NftSet = Type.Static<typeof NftSetSchema>;

/** A native nftables table (tables iptables-nft made are read from iptables-nft-save instead). */
export const NftTableSchema = Type.Object({
  family: NftFamilySchema,
  name: Type.String(),
  handle: Type.Integer(),
  chains: Type.Array(NftChainSchema),
  rules: Type.Array(NftRuleSchema),
  sets: Type.Array(NftSetSchema),
});
export type NftTable = Type.Static<typeof NftTableSchema>;

export const IptablesBackendSchema = Type.Union([Type.Literal('nft'), Type.Literal('legacy')]);
export type IptablesBackend = Type.Static<typeof IptablesBackendSchema>;

/** A rule as `iptables-save -c` prints it: the words after `-A CHAIN`, unquoted, and its counters. */
export const IptablesRuleSchema = Type.Object({
  chain: Type.String(),
  args: Type.Array(Type.String()),
  packets: Type.Number({ minimum: 0 }),
  bytes: Type.Number({ minimum: 0 }),
});
export type IptablesRule = Type.Static<typeof IptablesRuleSchema>;

/** A chain; a built-in one has a policy (`ACCEPT`, `DROP`), a user-defined one `-`. */
export const IptablesChainSchema = Type.Object({
  name: Type.String(),
  policy: Type.String(),
  packets: Type.Number({ minimum: 0 }),
  bytes: Type.Number({ minimum: 0 }),
});
export type IptablesChain = Type.Static<typeof IptablesChainSchema>;

/** One table of `iptables-save` or `ip6tables-save`, of either backend. */
export const IptablesTableSchema = Type.Object({
  family: Type.Union([Type.Literal('ipv4'), Type.Literal('ipv6')]),
  backend: IptablesBackendSchema,
  name: Type.String(),
  chains: Type.Array(IptablesChainSchema),
  rules: Type.Array(IptablesRuleSchema),
});
export type IptablesTable = Type.Static<typeof IptablesTableSchema>;

/** An ipset as `ipset save` prints it: `create NAME TYPE …` and its members (`add NAME MEMBER`). */
export const IpSetSchema = Type.Object({
  name: Type.String(),
  type: Type.String(),
  family: Type.Optional(Type.String()),
  members: Type.Array(Type.String()),
});
export type IpSet = Type.Static<typeof IpSetSchema>;

/** A part of a namespace's firewall that exists but could not be read; the hooks it covers are unknown. */
export const FirewallGapSchema = Type.Object({
  /** The packets it concerns. */
  family: Type.Union([Type.Literal('ipv4'), Type.Literal('ipv6'), Type.Literal('arp'), Type.Literal('all')]),
  what: Type.String(),
  reason: Type.String(),
});
export type FirewallGap = Type.Static<typeof FirewallGapSchema>;

/**
 * A namespace's packet filters: native nftables tables, iptables tables of both backends, the
 * ipsets their rules name, and what could not be read. Empty lists: the namespace has no rules.
 */
export const FirewallSchema = Type.Object({
  nftables: Type.Array(NftTableSchema),
  iptables: Type.Array(IptablesTableSchema),
  ipsets: Type.Array(IpSetSchema),
  gaps: Type.Array(FirewallGapSchema),
});
export type Firewall = Type.Static<typeof FirewallSchema>;
