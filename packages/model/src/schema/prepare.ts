import Type from 'typebox';

/**
 * Where the preparation of a stored snapshot stands (`event: prepare` on GET /api/events): after a
 * restart, the first question about a snapshot reads it from the store and analyses it, which takes
 * seconds at 5,000 nodes; the dashboard says which step it is at instead of spinning.
 */
export const PrepareStageSchema = Type.Union([
  /** Read from the store. */
  Type.Literal('reading'),
  /** Decompressed and parsed: `bytes` of JSON. */
  Type.Literal('loading'),
  /** Checked against the schema and the limits. */
  Type.Literal('validating'),
  Type.Literal('graph'),
  /** `done` of `total` rules run. */
  Type.Literal('rules'),
  /** The view asked for, rendered. */
  Type.Literal('drawing'),
  Type.Literal('ready'),
  Type.Literal('failed'),
]);
export type PrepareStage = Type.Static<typeof PrepareStageSchema>;

export const PrepareEventSchema = Type.Object({
  snapshot: Type.String({ maxLength: 256 }),
  stage: PrepareStageSchema,
  /** Bytes of JSON the snapshot is (loading, validating). */
  bytes: Type.Optional(Type.Integer({ minimum: 0 })),
  /** Hosts and pods it has (validating onwards). */
  hosts: Type.Optional(Type.Integer({ minimum: 0 })),
  pods: Type.Optional(Type.Integer({ minimum: 0 })),
  done: Type.Optional(Type.Integer({ minimum: 0 })),
  total: Type.Optional(Type.Integer({ minimum: 0 })),
});
export type PrepareEvent = Type.Static<typeof PrepareEventSchema>;
