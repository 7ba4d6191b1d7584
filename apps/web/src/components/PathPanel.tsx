import type { Pod, TraceResult } from '@hoplens/model';
import { CopyButton } from './CopyButton.tsx';
import { DestinationPicker } from './DestinationPicker.tsx';

interface Props {
  readonly pod: string;
  readonly to: string;
  readonly pods: readonly Pod[];
  readonly trace: TraceResult | undefined;
  readonly error: Error | null;
  readonly onDestination: (to: string) => void;
  readonly onClose: () => void;
}

/** The selected pod's path hop by hop: verdicts, and at a broken hop the reason and the fix. */
export function PathPanel({ pod, to, pods, trace, error, onDestination, onClose }: Props) {
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
                {h.rule && (
                  <div className="hop-rule" data-testid="hop-rule">
                    <code>{h.rule.text}</code>
                    {h.rule.comment !== undefined && <span className="muted"> ({h.rule.comment})</span>}
                    {h.rule.packets !== undefined && <span className="muted"> · {h.rule.packets} packets</span>}
                    <pre>{h.rule.command}</pre>
                    <CopyButton text={h.rule.command} label="copy command" />
                  </div>
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
