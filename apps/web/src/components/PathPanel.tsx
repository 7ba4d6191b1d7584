import type { Pod, ProbeResult, TraceResult } from '@hoplens/model';
import { CopyButton } from './CopyButton.tsx';
import { DestinationPicker } from './DestinationPicker.tsx';
import { HopObserved } from './HopObserved.tsx';
import { ProbeSummary } from './ProbeSummary.tsx';

/** A real ping along the path: its result, and what to do with it. */
export interface ProbeProps {
  readonly result: ProbeResult | undefined;
  readonly running: boolean;
  readonly error: Error | null;
  readonly onVerify: () => void;
  readonly onDownload: () => void;
}

interface Props {
  readonly pod: string;
  readonly to: string;
  readonly pods: readonly Pod[];
  readonly trace: TraceResult | undefined;
  readonly error: Error | null;
  /** Where the server can probe (it has sources); absent otherwise. */
  readonly probe?: ProbeProps | undefined;
  readonly onDestination: (to: string) => void;
  readonly onClose: () => void;
}

/**
 * The selected pod's path hop by hop: verdicts, and at a broken hop the reason and the fix; with a
 * probe, what the kernel did at each hop beside what the trace predicted.
 */
export function PathPanel({ pod, to, pods, trace, error, probe, onDestination, onClose }: Props) {
  const observed = probe?.result;
  return (
    <section className="panel" data-testid="path-panel" aria-labelledby="path-title">
      <header className="panel-head">
        <h2 id="path-title">
          Path of {pod} {to === 'node' ? '(from its node)' : `to ${to}`}
        </h2>
        <button type="button" onClick={onClose} aria-label="close path">
          ×
        </button>
      </header>
      <DestinationPicker pod={pod} to={to} pods={pods} onChange={onDestination} />
      {error && <p className="error">{error.message}</p>}
      {!trace && !error && <p>Tracing…</p>}
      {trace && (
        <>
          <p className={`verdict verdict-${trace.verdict}`} data-testid="path-verdict">
            {trace.verdict}
          </p>
          <p className="muted">
            {trace.hops.filter((h) => h.direction === 'request').length} hops out,{' '}
            {trace.hops.filter((h) => h.direction === 'reply').length} back
          </p>
          {probe && <ProbeSummary {...probe} />}
          <ol className="hops">
            {trace.hops.map((h, i) => (
              <li
                key={i}
                data-testid="hop"
                data-verdict={h.verdict}
                data-component={h.component}
                className={`hop hop-${h.verdict}`}
              >
                <div className="hop-line">
                  <span className="hop-dir">{h.direction}</span>
                  <span className="hop-comp">{h.component}</span>
                  <span className="hop-where">
                    {h.host}/{h.netns ?? '(root)'}
                    {h.interface ? `/${h.interface}` : ''}
                  </span>
                  <span className={`badge badge-${h.verdict}`}>{h.action}</span>
                </div>
                <div className="hop-reason">{h.reason}</div>
                {observed && observed.predicted.hops.length === trace.hops.length && (
                  <HopObserved result={observed} index={i} />
                )}
                {h.fix && (
                  <div className="fix" data-testid="hop-fix">
                    <pre>{h.fix}</pre>
                    <CopyButton text={h.fix} label="copy fix" />
                  </div>
                )}
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}
