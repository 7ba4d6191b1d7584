import { prepareWords } from '../format/prepareWords.ts';
import { usePreparing } from '../hooks/usePreparing.ts';

/**
 * What shows while a snapshot's view is on its way: "Loading snapshot…", and when the server is
 * preparing it (read back from its store after a restart: seconds at 5,000 nodes) each step in
 * words, the current one last — never a spinner without words.
 */
export function PreparingSnapshot({ id }: { readonly id: string }) {
  const steps = usePreparing(id).filter((s) => s.stage !== 'ready');
  return (
    <div className="loading" role="status" aria-live="polite">
      <p>{steps.length > 0 ? 'Preparing snapshot…' : 'Loading snapshot…'}</p>
      {steps.length > 0 && (
        <ol className="prepare-steps" data-testid="prepare-progress">
          {steps.map((s) => (
            <li key={s.stage} data-stage={s.stage}>
              {prepareWords(s)}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
