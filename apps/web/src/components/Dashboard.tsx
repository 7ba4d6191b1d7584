import { useMemo, useRef } from 'react';
import type { GraphExport } from '../graph/graphExport.ts';
import { ExportMenu } from './ExportMenu.tsx';
import type { SnapshotSummary } from '@hoplens/model';
import { pathElements } from '../graph/pathElements.ts';
import { usePodTrace } from '../hooks/usePodTrace.ts';
import { useSnapshotAnalysis } from '../hooks/useSnapshotAnalysis.ts';
import type { UrlState } from '../routing/urlState.ts';
import { CopyButton } from './CopyButton.tsx';
import { FindingsPanel } from './FindingsPanel.tsx';
import { GraphView } from './GraphView.tsx';
import { Legend } from './Legend.tsx';
import { PathPanel } from './PathPanel.tsx';
import { PodList } from './PodList.tsx';
import { SeverityCounts } from './SeverityCounts.tsx';

interface Props {
  readonly url: UrlState & { snapshot: string };
  readonly summary: SnapshotSummary | undefined;
  readonly setUrl: (next: Partial<UrlState>) => void;
}

const podKeyOf = (nodeId: string): string => nodeId.replace(/^pod:/, '');

/** One snapshot: the graph, its findings, and the selected pod's path. */
export function Dashboard({ url, summary, setUrl }: Props) {
  const { graph, findings } = useSnapshotAnalysis(url.snapshot);
  const graphExport = useRef<GraphExport | null>(null);
  const trace = usePodTrace(url.snapshot, url.pod, url.to);
  const path = useMemo(
    () => (graph.data && trace.data && url.pod ? pathElements(graph.data, trace.data, `pod:${url.pod}`) : undefined),
    [graph.data, trace.data, url.pod],
  );
  const error = graph.error ?? findings.error;
  if (error)
    return (
      <p className="error" role="alert">
        {error.message}
      </p>
    );
  if (!graph.data || !findings.data) return <p className="loading">Loading snapshot…</p>;
  const selectPod = (nodeId: string) => setUrl({ pod: podKeyOf(nodeId), to: 'node' });
  return (
    <div className="dashboard">
      <div className="main">
        <div className="toolbar">
          {summary && <SeverityCounts counts={summary.findings} />}
          <Legend />
          <span className="spacer" />
          <ExportMenu snapshot={url.snapshot} graph={graphExport} />
          <span className="permalink">
            <input readOnly value={window.location.href} aria-label="permalink" data-testid="permalink" />
            <CopyButton text={window.location.href} label="copy link" />
          </span>
        </div>
        <GraphView
          graph={graph.data}
          findings={findings.data}
          path={path}
          onTapPod={selectPod}
          exportRef={graphExport}
        />
      </div>
      <aside className="side">
        <PodList graph={graph.data} selected={url.pod ? `pod:${url.pod}` : undefined} onSelect={selectPod} />
        {url.pod && (
          <PathPanel
            pod={url.pod}
            to={url.to}
            trace={trace.data}
            error={trace.error}
            onClose={() => setUrl({ pod: undefined })}
          />
        )}
        <FindingsPanel findings={findings.data} />
      </aside>
    </div>
  );
}
