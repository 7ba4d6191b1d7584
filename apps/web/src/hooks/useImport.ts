import type { SnapshotSummary } from '@hoplens/model';
import { importFile } from '../api/queries.ts';
import type { UrlState } from '../routing/urlState.ts';
import { useNewSnapshot } from './useNewSnapshot.ts';

/** A file to import, and where the user was when they asked for it. */
export interface ImportRequest {
  readonly file: File;
  readonly from: UrlState;
}

/** Imports a snapshot or dump file the user picked or dropped; `onDone` decides whether to open it. */
export const useImport = (onDone: (summary: SnapshotSummary, request: ImportRequest) => void) =>
  useNewSnapshot((request: ImportRequest) => importFile(request.file), onDone);
