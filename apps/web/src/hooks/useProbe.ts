import { skipToken, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { download } from '../api/client.ts';
import { probeQuery, runProbe } from '../api/queries.ts';

/** A stored probe of the path (from the permalink); idle without one. */
export function useProbe(id: string, probeId: string | undefined) {
  const options = probeId ? probeQuery(id, probeId) : undefined;
  return useQuery({
    queryKey: options?.queryKey ?? ['snapshot', id, 'probe', 'none'],
    queryFn: options?.queryFn ?? skipToken,
    staleTime: Infinity,
  });
}

/** "Verify with a real ping": runs a probe of the pod's path; the result becomes the URL's probe. */
export function useRunProbe(id: string, pod: string, to: string, onDone: (probeId: string) => void) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => runProbe(id, { pod, to, count: 3 }),
    onSuccess: (result) => {
      client.setQueryData(probeQuery(id, result.id).queryKey, result);
      onDone(result.id);
    },
  });
}

/** The probe's packets as a pcapng file, downloaded. */
export const downloadPcap = (id: string, probeId: string): Promise<void> =>
  download(
    `/api/snapshots/${encodeURIComponent(id)}/probes/${encodeURIComponent(probeId)}/pcap`,
    `hoplens-probe-${probeId}.pcapng`,
  );
