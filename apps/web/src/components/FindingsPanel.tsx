import type { Finding } from '@hoplens/model';
import { CopyButton } from './CopyButton.tsx';

/** Findings, most severe first, each with its message, fix command, and a way to it on the graph. */
export function FindingsPanel({
  findings,
  hidden,
  onShow,
}: {
  readonly findings: readonly Finding[];
  /** How many the severity filter leaves out. */
  readonly hidden: number;
  readonly onShow: (elementId: string) => void;
}) {
  return (
    <section className="panel" data-testid="findings" aria-labelledby="findings-title">
      <h2 id="findings-title">Findings ({findings.length})</h2>
      {findings.length === 0 && hidden === 0 && <p className="ok">No findings: every rule passed.</p>}
      {hidden > 0 && <p className="muted">{hidden} less severe hidden by the severity filter</p>}
      <ul className="findings">
        {findings.map((f, i) => (
          <li
            key={i}
            className={`finding sev-${f.severity}`}
            data-testid="finding"
            data-rule={f.rule}
            data-severity={f.severity}
          >
            <div>
              <span className={`badge badge-${f.severity}`}>{f.severity}</span> <strong>{f.rule}</strong>{' '}
              {f.subjects[0] && (
                <button type="button" className="link" onClick={() => onShow(f.subjects[0] ?? '')}>
                  show
                </button>
              )}
            </div>
            <p>{f.message}</p>
            {f.fix && (
              <div className="fix">
                <pre>{f.fix}</pre>
                <CopyButton text={f.fix} label="copy fix" />
              </div>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
