import { SnapshotLimitError, TraceInputError, UnknownFocusError, ViewInputError } from '@hoplens/model';
import { SnapshotConflictError, StoreFullError } from '../store/snapshotStore.ts';
import { CollectError } from './collectInChild.ts';

/** An HTTP-mappable failure: the error handler turns it into a clear 4xx (or 5xx that is not a bug). */
export class ServiceError extends Error {
  override readonly name = 'ServiceError';
  constructor(
    readonly statusCode: 400 | 404 | 408 | 409 | 413 | 415 | 422 | 500 | 502 | 503 | 507,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The answer a failure maps to: the service's own refusals, and the model's, store's and
 * collector's errors that a client can act on. Undefined for anything else (a bug: 500).
 */
export function serviceErrorOf(e: unknown): ServiceError | undefined {
  if (e instanceof ServiceError) return e;
  if (e instanceof TraceInputError || e instanceof ViewInputError) return new ServiceError(400, e.message);
  if (e instanceof UnknownFocusError) return new ServiceError(404, e.message);
  if (e instanceof SnapshotConflictError) return new ServiceError(409, e.message);
  if (e instanceof SnapshotLimitError) return new ServiceError(413, `snapshot ${e.message}`);
  if (e instanceof CollectError) return new ServiceError(502, e.message);
  if (e instanceof StoreFullError) return new ServiceError(507, e.message);
  return undefined;
}
