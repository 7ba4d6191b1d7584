import { ApiError, ServerUnreachable } from '../api/client.ts';
import { EmptyFile } from '../api/emptyFile.ts';
import { importErrorText, type ImportFailure } from '../format/importError.ts';

const failure = (e: unknown): ImportFailure =>
  e instanceof EmptyFile
    ? { kind: 'empty' }
    : e instanceof ApiError
      ? { kind: 'answer', status: e.status, message: e.message }
      : e instanceof ServerUnreachable
        ? { kind: 'unreachable' }
        : { kind: 'other', message: e instanceof Error ? e.message : String(e) };

/** A failed import, said for a person: the file, what is wrong, what to do, the server's words as text. */
export function ImportError({
  file,
  error,
  onDismiss,
}: {
  readonly file: string;
  readonly error: unknown;
  readonly onDismiss: () => void;
}) {
  const t = importErrorText(file, failure(error));
  return (
    <div className="import-error" role="alert" data-testid="import-error">
      <div>
        <strong>{t.title}</strong>: {t.what} {t.todo}
        {t.detail && (
          <div className="import-error-detail">
            Server: <code>{t.detail}</code>
          </div>
        )}
      </div>
      <button type="button" aria-label="dismiss" onClick={onDismiss}>
        ×
      </button>
    </div>
  );
}
