import type { RefObject } from 'react';
import { useState } from 'react';
import { download as downloadFile } from '../api/client.ts';
import { exportName } from '../graph/exportName.ts';
import { download, type GraphExport } from '../graph/graphExport.ts';

/**
 * Saves the snapshot (JSON or JSON.gz, re-importable: the server's own bytes) or the graph as drawn
 * (PNG, SVG). Each says what it is doing while it works: a PNG of a 5,000-node overview is
 * drawn on this page's thread, which cannot paint meanwhile.
 */
export function ExportMenu({
  snapshot,
  graph,
}: {
  readonly snapshot: string;
  readonly graph: RefObject<GraphExport | null>;
}) {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState<string>();
  const name = exportName(snapshot);
  const save = (file: string, render: (g: GraphExport) => Blob): void => {
    if (!graph.current) throw new Error('the graph is not drawn yet');
    download(file, render(graph.current));
  };
  const run = (what: string, f: () => Promise<void> | void) => () => {
    setError(undefined);
    setBusy(what);
    // A moment for the words to be painted before work that may hold this thread.
    new Promise((resolve) => setTimeout(resolve, 30))
      .then(f)
      .catch((e: unknown) => setError((e as Error).message))
      .finally(() => setBusy(undefined));
  };
  const path = `/api/snapshots/${encodeURIComponent(snapshot)}`;
  return (
    <span className="export" aria-label="export" aria-busy={busy !== undefined}>
      <button
        type="button"
        data-testid="export-json"
        disabled={busy !== undefined}
        onClick={run('saving JSON…', () => downloadFile(path, `${name}.json`))}
      >
        JSON
      </button>
      <button
        type="button"
        data-testid="export-json-gz"
        disabled={busy !== undefined}
        onClick={run('saving JSON.gz…', () => downloadFile(path, `${name}.json.gz`, { gzip: true }))}
      >
        JSON.gz
      </button>
      <button
        type="button"
        data-testid="export-png"
        disabled={busy !== undefined}
        onClick={run('drawing PNG…', () => save(`${name}.png`, (g) => g.png()))}
      >
        PNG
      </button>
      <button
        type="button"
        data-testid="export-svg"
        disabled={busy !== undefined}
        onClick={run('drawing SVG…', () => save(`${name}.svg`, (g) => g.svg()))}
      >
        SVG
      </button>
      {busy && (
        <span className="busy" role="status">
          {busy}
        </span>
      )}
      {error && <span className="error">{error}</span>}
    </span>
  );
}
