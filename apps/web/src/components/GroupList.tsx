import { useMemo, useState } from 'react';
import type { HostGroup } from '@hoplens/model';
import { plural } from '../format/plural.ts';
import { sortGroups, type GroupSort } from '../graph/sortGroups.ts';

/** Rows shown at first, and added by "show more": the worst come first, so the first screenful is the one that matters. */
const PAGE = 50;

const COLUMNS: readonly { readonly sort: GroupSort; readonly title: string }[] = [
  { sort: 'group', title: 'Host group' },
  { sort: 'problems', title: 'Worst finding' },
  { sort: 'pods', title: 'Pods' },
];

/**
 * The overview's host groups as a table that leads with the problems: sortable by group, worst
 * finding or pods, optionally only the groups with findings; a row opens its group on the graph.
 */
export function GroupList({
  groups,
  onOpen,
}: {
  readonly groups: readonly HostGroup[];
  readonly onOpen: (group: HostGroup) => void;
}) {
  const [sort, setSort] = useState<GroupSort>('problems');
  const [onlyProblems, setOnlyProblems] = useState(false);
  const [shown, setShown] = useState(PAGE);
  const rows = useMemo(() => sortGroups(groups, sort, onlyProblems), [groups, sort, onlyProblems]);
  const withFindings = useMemo(() => groups.filter((g) => g.summary.findings > 0).length, [groups]);
  return (
    <section className="panel groups" data-testid="group-list" aria-labelledby="groups-title">
      <h2 id="groups-title">
        Host groups ({groups.length.toLocaleString()}, {withFindings.toLocaleString()} with findings)
      </h2>
      <label className="only-problems">
        <input type="checkbox" checked={onlyProblems} onChange={(e) => setOnlyProblems(e.target.checked)} /> only groups
        with findings
      </label>
      <table>
        <thead>
          <tr>
            {COLUMNS.map((c) => (
              <th key={c.sort} aria-sort={sort === c.sort ? (c.sort === 'group' ? 'ascending' : 'descending') : 'none'}>
                <button type="button" className="link" onClick={() => setSort(c.sort)}>
                  {c.title}
                  {sort === c.sort ? ' ▾' : ''}
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.slice(0, shown).map((g) => (
            <tr key={g.id} data-testid="group-row" data-id={g.id} data-severity={g.summary.severity ?? 'none'}>
              <td>
                <button type="button" className="link" onClick={() => onOpen(g)} aria-pressed={g.expanded}>
                  {g.label}
                </button>
              </td>
              <td>
                {g.summary.severity ? (
                  <>
                    <span className={`badge badge-${g.summary.severity}`}>{g.summary.severity}</span>{' '}
                    <span title={g.summary.worst?.message}>{g.summary.worst?.rule}</span>
                    {g.summary.findings > 1 && <span className="muted"> +{g.summary.findings - 1}</span>}
                  </>
                ) : (
                  <span className="muted">none</span>
                )}
              </td>
              <td className="num">{g.summary.pods}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length > shown && (
        <p className="more-groups">
          <span className="muted">{plural(rows.length - shown, 'more group')}, sorted below these: </span>
          <button type="button" className="link" onClick={() => setShown(shown + PAGE)}>
            show {Math.min(PAGE, rows.length - shown)} more
          </button>
          {rows.length - shown > PAGE && (
            <>
              {' · '}
              <button type="button" className="link" onClick={() => setShown(rows.length)}>
                show all {rows.length.toLocaleString()}
              </button>
            </>
          )}
        </p>
      )}
      {rows.length === 0 && <p className="ok">No group has a finding.</p>}
    </section>
  );
}
