import Type from 'typebox';
import { PodSchema } from './snapshot.ts';

/** Most pods one page may hold: a screenful of a list or a typeahead, never the whole cluster. */
export const MAX_POD_PAGE = 200;

/** Which pods to list: those whose `namespace/name` or an IP contains `q`, from `offset`, `limit` of them. */
export const PodQuerySchema = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 200 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_POD_PAGE })),
});
export type PodQuery = Type.Static<typeof PodQuerySchema>;

/** One page of a snapshot's pods, and how many matched in all. */
export const PodPageSchema = Type.Object({
  pods: Type.Array(PodSchema),
  total: Type.Integer({ minimum: 0 }),
});
export type PodPage = Type.Static<typeof PodPageSchema>;
