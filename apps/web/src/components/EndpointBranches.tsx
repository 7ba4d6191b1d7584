import { branchStop, type Hop, type TraceResult } from '@hoplens/model';

interface Props {
  readonly trace: TraceResult;
  /** The branch shown on the graph and in the hop list. */
  readonly chosen: number;
  readonly onChoose: (branch: number) => void;
}

const where = (h: Hop): string => `${h.host}/${h.netns ?? '(root)'}${h.interface ? `/${h.interface}` : ''}`;

/**
 * A trace to a Service, one branch per endpoint kube-proxy may pick: how many are reachable, each
 * endpoint's verdict and where a broken one stops, and the DNAT that sends the packet its way.
 * Choosing one shows its path on the graph and in the hop list.
 */
export function EndpointBranches({ trace, chosen, onChoose }: Props) {
  const branches = trace.branches ?? [];
  const ok = branches.filter((b) => b.verdict === 'delivered').length;
  const dnat = branches[chosen]?.hops.find((h) => h.component === 'nat' && h.reason.includes('(DNAT)'));
  return (
    <div className="branches" data-testid="branches">
      <p className="branches-head" data-testid="branches-summary">
        <strong>
          {ok} of {branches.length} endpoints reachable
        </strong>
        {branches
          .filter((b) => b.verdict !== 'delivered')
          .map((b) => {
            const stop = branchStop(b);
            return `; ${b.label} ${b.verdict}${stop ? ` at ${where(stop)} (${stop.component})` : ''}`;
          })
          .join('')}
      </p>
      <ul className="branch-list" aria-label="endpoints">
        {branches.map((b, i) => {
          const stop = b.verdict === 'delivered' ? undefined : branchStop(b);
          return (
            <li key={b.label} data-testid="branch" data-verdict={b.verdict}>
              <button
                type="button"
                aria-pressed={i === chosen}
                className={`branch-line${i === chosen ? ' chosen' : ''}`}
                onClick={() => onChoose(i)}
                title="show this endpoint's path"
              >
                <span className="branch-label">{b.label}</span>
                <span className="muted"> {Math.round(b.probability * 100)}%</span>{' '}
                <span className={`badge badge-${b.verdict === 'delivered' ? 'ok' : b.verdict}`}>{b.verdict}</span>
                {stop && <span className="muted"> at {where(stop)}</span>}
              </button>
            </li>
          );
        })}
      </ul>
      {dnat && (
        <p className="muted" data-testid="branch-dnat">
          {dnat.reason}
        </p>
      )}
    </div>
  );
}
