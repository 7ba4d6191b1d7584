import { commandIn, type HopOpenFlow } from '@hoplens/model';
import { CopyButton } from './CopyButton.tsx';

const SOURCES: Record<HopOpenFlow['answer'], string> = {
  recorded: 'OVS answered at collection',
  live: 'OVS answered live: the node’s switch was asked now',
  none: 'no answer from OVS: run this on the node',
};

/** What Open vSwitch did at a hop, in its own words: the rules the packet met and the datapath actions. */
export function OpenFlowHop({ openflow }: { readonly openflow: HopOpenFlow }) {
  const command = commandIn(null, openflow.command);
  return (
    <div className="openflow" data-testid="hop-openflow" data-answer={openflow.answer}>
      <div className="muted">
        {SOURCES[openflow.answer]}
        {openflow.answeredAt ? ` (${openflow.answeredAt})` : ''}
      </div>
      {openflow.rules.length > 0 && (
        <table className="openflow-rules" aria-label={`OpenFlow rules of ${openflow.bridge}`}>
          <thead>
            <tr>
              <th>table</th>
              <th>priority</th>
              <th>cookie</th>
              <th>match → actions</th>
            </tr>
          </thead>
          <tbody>
            {openflow.rules.map((r, i) => (
              <tr key={i} data-testid="openflow-rule">
                <td>{r.table}</td>
                <td>{r.miss ? 'no match' : (r.priority ?? '')}</td>
                <td>{r.cookie ?? ''}</td>
                <td>
                  <code>
                    {r.match || '*'} → {r.actions.join(', ') || 'drop'}
                  </code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {openflow.datapathActions !== undefined && (
        <div>
          Datapath actions: <code data-testid="datapath-actions">{openflow.datapathActions}</code>
        </div>
      )}
      <div className="fix">
        <pre>{command}</pre>
        <CopyButton text={command} label="copy ofproto/trace" />
      </div>
    </div>
  );
}
