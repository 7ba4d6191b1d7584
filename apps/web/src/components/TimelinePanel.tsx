import { useState } from 'react';
import { SEVERITY_RANK, type Severity, type Timeline } from '@hoplens/model';
import { plural } from '../format/plural.ts';

/** Findings shown before "show all": a long history is mostly old news. */
const FIRST = 20;

const time = (iso: string): string => new Date(iso).toLocaleString();

/**
 * Findings over time across the snapshots of this source: when each appeared and was resolved,
 * drawn on one time axis, and for each appearance "what changed", the compare view on the snapshot
 * where it appeared against the last one without it.
 */
export function TimelinePanel(props: {
  readonly timeline: Timeline;
  readonly current: string;
  readonly minSeverity: Severity | undefined;
  readonly onCompare: (after: string, before: string) => void;
  readonly onOpen: (snapshot: string) => void;
}) {
  const [all, setAll] = useState(false);
  const { timeline: t } = props;
  const min = props.minSeverity ? SEVERITY_RANK[props.minSeverity] : 0;
  const findings = t.findings.filter((f) => SEVERITY_RANK[f.severity] >= min);
  const shown = all ? findings : findings.slice(0, FIRST);
  const start = Date.parse(t.snapshots[0]?.createdAt ?? '');
  const end = Date.parse(t.snapshots[t.snapshots.length - 1]?.createdAt ?? '');
  const span = Math.max(end - start, 1);
  const x = (iso: string): number => (t.snapshots.length < 2 ? 0 : ((Date.parse(iso) - start) / span) * 100);
  const currentAt = t.snapshots.find((s) => s.id === props.current)?.createdAt;
  return (
    <section className="panel timeline" data-testid="timeline" aria-labelledby="timeline-title">
      <h2 id="timeline-title">
        Timeline ({plural(findings.length, 'finding')} over {plural(t.snapshots.length, 'snapshot')})
      </h2>
      {t.snapshots.length < 2 && (
        <p className="muted">One snapshot of {t.source} so far: nothing to compare over time.</p>
      )}
      <ul className="timeline-findings">
        {shown.map((f) => (
          <li key={f.key} className={`sev-${f.severity}`} data-testid="timeline-finding" data-rule={f.rule}>
            <div>
              <span className={`badge badge-${f.severity}`}>{f.severity}</span> <strong>{f.rule}</strong>
            </div>
            <p className="muted">{f.message}</p>
            <div className="track" aria-hidden="true">
              {f.spans.map((s) => (
                <span
                  key={s.appeared}
                  className={`segment badge-${f.severity}`}
                  style={{
                    left: `${x(s.appearedAt)}%`,
                    width: `${Math.max(x(s.resolvedAt ?? t.snapshots[t.snapshots.length - 1]?.createdAt ?? s.appearedAt) - x(s.appearedAt), 1)}%`,
                  }}
                />
              ))}
              {currentAt && <span className="now" style={{ left: `${x(currentAt)}%` }} />}
            </div>
            <ol className="spans">
              {f.spans.map((s) => (
                <li key={s.appeared} data-testid="timeline-span">
                  <button type="button" className="link" onClick={() => props.onOpen(s.appeared)}>
                    appeared {time(s.appearedAt)}
                  </button>
                  {s.resolvedAt ? (
                    <>
                      {' · '}
                      <button type="button" className="link" onClick={() => props.onOpen(s.resolved ?? '')}>
                        resolved {time(s.resolvedAt)}
                      </button>
                    </>
                  ) : (
                    ' · still there'
                  )}
                  {s.before && (
                    <button
                      type="button"
                      data-testid="what-changed"
                      title="Compare the snapshot where it appeared with the last one without it"
                      onClick={() => props.onCompare(s.appeared, s.before ?? '')}
                    >
                      what changed
                    </button>
                  )}
                </li>
              ))}
            </ol>
          </li>
        ))}
      </ul>
      {findings.length > shown.length && (
        <button type="button" className="link" onClick={() => setAll(true)}>
          show all {findings.length}
        </button>
      )}
    </section>
  );
}
