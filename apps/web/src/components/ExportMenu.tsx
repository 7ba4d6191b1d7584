import { SnapshotSchema } from '@hoplens/model';
import type { RefObject } from 'react';
import { useState } from 'react';
import { download as downloadFile, request } from '../api/client.ts';
import { download, type GraphExport } from '../graph/graphExport.ts';

/** Saves the snapshot (JSON or JSON.gz, re-importable) or the graph as drawn (PNG, SVG). */
export function ExportMenu({
  snapshot,
  graph,
}: {
  readonly snapshot: string;
  readonly graph: RefObject<GraphExport | null>;
}) {
  const [error, setError] = useState<string>();
  const name = `hoplens-${snapshot.slice(0, 8)}`;
  const save = (file: string, render: (g: GraphExport) => Blob): void => {
    if (!graph.current) throw new Error('the graph is not drawn yet');
    download(file, render(graph.current));
  };
  const run = (f: () => Promise<void> | void) => () => {
    setError(undefined);
    Promise.resolve()
      .then(f)
      .catch((e: unknown) => setError((e as Error).message));
  };
  return (
    <span className="export" aria-label="export">
      <button
        type="button"
        data-testid="export-json"
        onClick={run(async () => {
          const snap = await request(SnapshotSchema, `/api/snapshots/${encodeURIComponent(snapshot)}`);
          download(`${name}.json`, new Blob([JSON.stringify(snap, null, 2)], { type: 'application/json' }));
        })}
      >
        JSON
      </button>
      <button
        type="button"
        data-testid="export-json-gz"
        onClick={run(() =>
          downloadFile(`/api/snapshots/${encodeURIComponent(snapshot)}`, `${name}.json.gz`, { gzip: true }),
        )}
      >
        JSON.gz
      </button>
      <button type="button" data-testid="export-png" onClick={run(() => save(`${name}.png`, (g) => g.png()))}>
        PNG
      </button>
      <button type="button" data-testid="export-svg" onClick={run(() => save(`${name}.svg`, (g) => g.svg()))}>
        SVG
      </button>
      {error && <span className="error">{error}</span>}
    </span>
  );
}
