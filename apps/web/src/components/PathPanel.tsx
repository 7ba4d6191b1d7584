import { isDropHop, isUnknownStopHop, traceStop, type Hop, type ProbeResult, type TraceResult } from '@hoplens/model';
import { plural } from '../format/plural.ts';
import { CopyButton } from './CopyButton.tsx';
import type { PathTarget } from '../routing/urlState.ts';
import { DestinationPicker } from './DestinationPicker.tsx';
import { EndpointBranches } from './EndpointBranches.tsx';
import { OpenFlowHop } from './OpenFlowHop.tsx';
import { FixCommand } from './FixCommand.tsx';
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
  readonly snapshot: string;
  readonly pod: string;
  readonly target: PathTarget;
  /** With one branch per Service endpoint: the one whose hops `trace` holds, and how to choose another. */
  readonly trace: TraceResult | undefined;
  readonly branch: number;
  readonly onBranch: (branch: number) => void;
  readonly error: Error | null;
  /** Where the server can probe (it has sources); absent otherwise. */
  readonly probe?: ProbeProps | undefined;
  readonly onDestination: (target: PathTarget) => void;
  /** Brings a hop's element to the middle of the graph. */
  readonly onShow: (elementId: string) => void;
  readonly onClose: () => void;
}

const where = (h: Hop): string => `${h.host}/${h.netns ?? '(root)'}${h.interface ? `/${h.interface}` : ''}`;

/**
 * The selected pod's path: first the verdict and the broken hop with its reason and fix (what was
 * asked for, above the fold), then every hop, numbered as the graph numbers them; a hop brings its
 * element into view.
 */
export function PathPanel(props: Props) {
  const { snapshot, pod, target, trace, error, probe, onDestination, onShow, onClose } = props;
  const { to } = target;
  const observed = probe?.result;
  // Where the packet stopped, or where hoplens could not tell: only a drop is worded as one.
  const stop = trace && traceStop(trace);
  const dropped = stop !== undefined && isDropHop(stop.hop);
  return (
    <section className="panel path-panel" data-testid="path-panel" aria-labelledby="path-title" tabIndex={-1}>
      <header className="panel-head">
        <h2 id="path-title">
          Path of {pod} {to === 'node' ? '(from its node)' : `to ${to}`}
          {target.proto !== 'icmp' && ` (${target.proto}${target.port === undefined ? '' : `/${target.port}`})`}
        </h2>
        <button type="button" onClick={onClose} aria-label="close path">
          ×
        </button>
      </header>
      {error && <p className="error">{error.message}</p>}
      {!trace && !error && <p>Tracing…</p>}
      {trace && (
        <p className="verdict-line">
          <span className={`verdict verdict-${trace.verdict}`} data-testid="path-verdict">
            {trace.verdict}
          </span>{' '}
          <span className="muted">
            {plural(trace.hops.filter((h) => h.direction === 'request').length, 'hop')} out,{' '}
            {trace.hops.filter((h) => h.direction === 'reply').length} back
          </span>
        </p>
      )}
      {trace?.branches && <EndpointBranches trace={trace} chosen={props.branch} onChoose={props.onBranch} />}
      {stop && (
        <div className={`stop stop-${stop.hop.verdict}`} data-testid="path-stop">
          <div className="stop-head">
            <strong>
              {dropped ? 'Dropped' : 'Cannot tell'} at hop {stop.n}
            </strong>{' '}
            <span className="hop-comp">{stop.hop.component}</span> <span className="hop-where">{where(stop.hop)}</span>
            <button type="button" onClick={() => onShow(stop.hop.element)} data-testid="jump-to-stop">
              {dropped ? 'Jump to drop' : 'Jump to hop'}
            </button>
          </div>
          <p className="hop-reason">
            {stop.hop.reason}
            {stop.hop.dropReason !== undefined && (
              <span className="muted" data-testid="drop-reason">
                {' '}
                (the kernel's drop reason: {stop.hop.dropReason})
              </span>
            )}
          </p>
          {stop.hop.fix && <FixCommand fix={stop.hop.fix} />}
        </div>
      )}
      {trace && probe && <ProbeSummary {...probe} />}
      <DestinationPicker snapshot={snapshot} pod={pod} target={target} onChange={onDestination} />
      {trace && (
        <ol className="hops">
          {trace.hops.map((h, i) => (
            <li
              key={i}
              data-testid="hop"
              data-verdict={h.verdict}
              data-component={h.component}
              data-direction={h.direction}
              className={`hop hop-${h.verdict} hop-${h.direction}`}
            >
              <button type="button" className="hop-line" onClick={() => onShow(h.element)} title="show on the graph">
                <span className="hop-dir">{h.direction}</span>
                <span className="hop-comp">{h.component}</span>
                <span className="hop-where">{where(h)}</span>
                <span className={`badge badge-${h.verdict}`}>{isUnknownStopHop(h) ? 'stopped' : h.action}</span>
              </button>
              <div className="hop-reason">{h.reason}</div>
              {h.openflow && <OpenFlowHop openflow={h.openflow} />}
              {h.rule && (
                <div className="hop-rule" data-testid="hop-rule">
                  <code>{h.rule.text}</code>
                  {h.rule.comment !== undefined && <span className="muted"> ({h.rule.comment})</span>}
                  {h.rule.packets !== undefined && <span className="muted"> · {h.rule.packets} packets</span>}
                  <pre>{h.rule.command}</pre>
                  <CopyButton text={h.rule.command} label="copy command" />
                </div>
              )}
              {observed && observed.predicted.hops.length === trace.hops.length && (
                <HopObserved result={observed} index={i} />
              )}
              {h.fix && i + 1 !== stop?.n && <FixCommand fix={h.fix} />}
              {h.fix && i + 1 === stop?.n && <p className="muted">fix: above</p>}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
