import { importFile } from '../api/queries.ts';
import { useNewSnapshot } from './useNewSnapshot.ts';

/** Imports a snapshot or dump file the user picked or dropped; opens it when it lands. */
export const useImport = (onDone: (id: string) => void) => useNewSnapshot((file: File) => importFile(file), onDone);
