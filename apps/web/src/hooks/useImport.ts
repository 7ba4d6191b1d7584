import { useMutation, useQueryClient } from '@tanstack/react-query';
import { importFile } from '../api/queries.ts';

/** Imports a snapshot or dump file the user picked or dropped; opens it when it lands. */
export function useImport(onDone: (id: string) => void) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (file: File) => importFile(await file.text()),
    onSuccess: async (summary) => {
      await client.invalidateQueries({ queryKey: ['snapshots'] });
      onDone(summary.id);
    },
  });
}
