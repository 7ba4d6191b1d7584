import type { Finding } from '@hoplens/model';
import { FixCommand } from './FixCommand.tsx';

/**
 * Findings, most severe first, each with its message, fix command, and a way to it on the graph. A fix
 * that several findings carry (one wrong MAC raises three) is shown once, under the first of them.
 */
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
  const firstWithFix = new Map<string, number>();
  findings.forEach((f, i) => {
    if (f.fix !== undefined && !firstWithFix.has(f.fix)) firstWithFix.set(f.fix, i);
  });
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
            {f.fix !== undefined && firstWithFix.get(f.fix) === i && <FixCommand fix={f.fix} />}
            {f.fix !== undefined && firstWithFix.get(f.fix) !== i && (
              <p className="muted" data-testid="same-fix">
                fix: the same as for {findings[firstWithFix.get(f.fix) ?? 0]?.rule} above
              </p>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
