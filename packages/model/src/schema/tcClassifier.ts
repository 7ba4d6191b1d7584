import Type from 'typebox';

/**
 * A u32 key: the 32-bit word at `off` bytes from the network header (plus the header offset a
 * `link` computed, where `nexthdr`) must equal `value` under `mask`. Numbers as the wire's
 * big-endian words.
 */
export const U32KeySchema = Type.Object({
  value: Type.Integer({ minimum: 0, maximum: 0xffffffff }),
  mask: Type.Integer({ minimum: 0, maximum: 0xffffffff }),
  off: Type.Integer(),
  nexthdr: Type.Boolean(),
});
export type U32Key = Type.Static<typeof U32KeySchema>;

/**
 * A u32 node (`tc filter … u32 [ht H:B:] match …`), or the header of a hash table (`divisor`).
 * `ht`/`bucket` place it; `link` names the table its match leads into, hashed by `hashMask` at
 * `hashOff`; `terminal` nodes classify (their actions run).
 */
export const U32NodeSchema = Type.Object({
  kind: Type.Literal('u32'),
  /** The handle as tc prints it (`800::800`, `2:`). */
  handle: Type.String(),
  ht: Type.Integer({ minimum: 0 }),
  bucket: Type.Integer({ minimum: 0 }),
  /** The node's id within its bucket (0 for a table's header): nodes are tried in this order. */
  node: Type.Integer({ minimum: 0 }),
  /** Present on a hash table's header entry: the number of buckets. */
  divisor: Type.Optional(Type.Integer({ minimum: 0 })),
  keys: Type.Array(U32KeySchema),
  link: Type.Optional(Type.Integer({ minimum: 0 })),
  hashMask: Type.Optional(Type.Integer({ minimum: 0, maximum: 0xffffffff })),
  hashOff: Type.Optional(Type.Integer()),
  terminal: Type.Boolean(),
  classid: Type.Optional(Type.String()),
  /** `offset plus N [at A mask M shift S]`: where a linked table's nexthdr keys start. */
  offset: Type.Optional(
    Type.Object({
      plus: Type.Integer(),
      at: Type.Optional(Type.Integer()),
      mask: Type.Optional(Type.Integer()),
      shift: Type.Optional(Type.Integer()),
    }),
  ),
  /** Matches only frames that came in on this device. */
  indev: Type.Optional(Type.String()),
  /** Matches only packets with this firewall mark. */
  fwmark: Type.Optional(Type.Object({ value: Type.Integer(), mask: Type.Integer() })),
});
export type U32Node = Type.Static<typeof U32NodeSchema>;

/** One classic BPF instruction (`struct sock_filter`). */
export const CbpfInsnSchema = Type.Object({
  code: Type.Integer({ minimum: 0, maximum: 0xffff }),
  jt: Type.Integer({ minimum: 0, maximum: 255 }),
  jf: Type.Integer({ minimum: 0, maximum: 255 }),
  k: Type.Integer({ minimum: 0, maximum: 0xffffffff }),
});
export type CbpfInsn = Type.Static<typeof CbpfInsnSchema>;

/**
 * A `bpf` classifier: classic BPF bytecode (interpreted by the tracer), or an eBPF program known
 * by id, name and tag (which the tracer cannot evaluate).
 */
export const BpfClassifierSchema = Type.Object({
  kind: Type.Literal('bpf'),
  ops: Type.Optional(Type.Array(CbpfInsnSchema)),
  /** The loader's name for an eBPF program (`prog.o:[classifier]`). */
  name: Type.Optional(Type.String()),
  progId: Type.Optional(Type.Integer({ minimum: 0 })),
  tag: Type.Optional(Type.String()),
  directAction: Type.Boolean(),
  classid: Type.Optional(Type.String()),
});
export type BpfClassifier = Type.Static<typeof BpfClassifierSchema>;

/** An address or value and its mask, as flower keys hold them (the mask all ones when none was given). */
const Masked = Type.Object({ value: Type.String(), mask: Type.String() });
const MaskedInt = Type.Object({ value: Type.Integer({ minimum: 0 }), mask: Type.Integer({ minimum: 0 }) });

/** The flower keys the tracer evaluates; any other key present is listed in `unsupported`. */
export const FlowerClassifierSchema = Type.Object({
  kind: Type.Literal('flower'),
  indev: Type.Optional(Type.String()),
  ethType: Type.Optional(Type.Integer({ minimum: 0, maximum: 0xffff })),
  ipProto: Type.Optional(Type.Integer({ minimum: 0, maximum: 255 })),
  dstMac: Type.Optional(Masked),
  srcMac: Type.Optional(Masked),
  dstIp: Type.Optional(Masked),
  srcIp: Type.Optional(Masked),
  dstPort: Type.Optional(MaskedInt),
  srcPort: Type.Optional(MaskedInt),
  dstPortRange: Type.Optional(Type.Object({ start: Type.Integer(), end: Type.Integer() })),
  srcPortRange: Type.Optional(Type.Object({ start: Type.Integer(), end: Type.Integer() })),
  icmpType: Type.Optional(MaskedInt),
  icmpCode: Type.Optional(MaskedInt),
  unsupported: Type.Array(Type.String()),
});
export type FlowerClassifier = Type.Static<typeof FlowerClassifierSchema>;

/** What a tc filter's classifier matches on; `other` for a kind the tracer does not read. */
export const TcClassifierSchema = Type.Union([
  U32NodeSchema,
  BpfClassifierSchema,
  FlowerClassifierSchema,
  Type.Object({ kind: Type.Literal('matchall') }),
  /** `basic` without ematches matches everything; with them, the tracer cannot tell. */
  Type.Object({ kind: Type.Literal('basic'), ematches: Type.Boolean() }),
  Type.Object({ kind: Type.Literal('other'), name: Type.String() }),
]);
export type TcClassifier = Type.Static<typeof TcClassifierSchema>;

/**
 * What an action hands back to tc (`TC_ACT_*`, named as tc prints them): `pass`, `drop`,
 * `continue`, `pipe`, `reclassify`, `stolen`, `trap`, `goto` (a chain), `jump`, or a number.
 */
export const TcControlSchema = Type.String();
