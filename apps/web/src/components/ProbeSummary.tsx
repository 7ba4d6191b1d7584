import type { ProbeResult } from '@hoplens/model';

interface Props {
  readonly result: ProbeResult | undefined;
  readonly running: boolean;
  readonly error: Error | null;
  readonly onVerify: () => void;
  readonly onDownload: () => void;
}

/**
 * "Verify with a real ping": the button, and once a probe ran, the kernel's verdict in words, a
 * loud banner when the kernel disagrees with the prediction, what moved on the counters, what
 * could not be observed, and the pcap to download.
 */
export function ProbeSummary({ result, running, error, onVerify, onDownload }: Props) {
  const disagrees = result && (result.agreement.verdict === 'disagree' || result.agreement.dropSite === 'disagree');
  return (
    <div className="probe" data-testid="probe">
      <div className="probe-actions">
        <button type="button" onClick={onVerify} disabled={running} data-testid="probe-verify">
          {running ? 'Pinging…' : result ? 'Verify again' : 'Verify with a real ping'}
        </button>
        {result && (
          <button type="button" onClick={onDownload} data-testid="probe-pcap">
            Download pcap
          </button>
        )}
      </div>
      {error && <p className="error">{error.message}</p>}
      {result && (
        <>
          {disagrees ? (
            <p className="probe-banner probe-disagree" role="alert" data-testid="probe-disagree">
              {capitalized(result.agreement.details[0] ?? 'the kernel disagrees with the trace')}
            </p>
          ) : (
            <p className="probe-banner probe-agree" data-testid="probe-agree">
              The kernel agrees with the trace
              {result.agreement.dropSite === 'unobserved' ? ' (where it dropped the ping was not observed)' : ''}
              {result.agreement.dropSite === 'uncertain' ? ' (where it dropped the ping is uncertain)' : ''}
            </p>
          )}
          <p className="probe-summary" data-testid="probe-summary">
            ping: {result.observed.ping.received} of {result.observed.ping.transmitted} answered —{' '}
            {result.agreement.summary}
          </p>
          <ul className="probe-notes">
            {result.observed.counters
              .filter((c) => c.rxDropped || c.txDropped || c.rxOtherhostDropped)
              .map((c, i) => (
                <li key={`c${i}`}>
                  {c.host}/{c.netns ?? '(root)'}/{c.interface}:{' '}
                  {c.rxOtherhostDropped ? `rx_otherhost_dropped +${c.rxOtherhostDropped} ` : ''}
                  {c.rxDropped ? `rx_dropped +${c.rxDropped} ` : ''}
                  {c.txDropped ? `tx_dropped +${c.txDropped}` : ''}
                </li>
              ))}
            {!result.observed.kernel.available && <li className="muted">not observed: {result.observed.kernel.why}</li>}
            {result.observed.limits.map((l, i) => (
              <li key={`l${i}`} className="muted">
                {l}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

const capitalized = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
