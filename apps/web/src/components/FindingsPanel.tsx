import type { Finding } from '@hoplens/model';
import { CopyButton } from './CopyButton.tsx';

/** Findings, most severe first, each with its message and fix command. */
export function FindingsPanel({ findings }: { readonly findings: readonly Finding[] }) {
  return (
    <section className="panel" data-testid="findings" aria-labelledby="findings-title">
      <h2 id="findings-title">Findings ({findings.length})</h2>
      {findings.length === 0 && <p className="ok">No findings: every rule passed.</p>}
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
              <span className={`badge badge-${f.severity}`}>{f.severity}</span> <strong>{f.rule}</strong>
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
