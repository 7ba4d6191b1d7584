/** How an import call failed: the server's answer (status and message), no answer, or something else. */
export type ImportFailure =
  | { readonly kind: 'answer'; readonly status: number; readonly message: string }
  | { readonly kind: 'unreachable' }
  | { readonly kind: 'empty' }
  | { readonly kind: 'other'; readonly message: string };

/** The server's own words are shown, cut to this many characters (a schema error can list hundreds). */
export const MAX_DETAIL = 300;

/** Why an import failed, for a person: which file, what is wrong, what to do, and the server's detail. */
export interface ImportErrorText {
  readonly title: string;
  readonly what: string;
  readonly todo: string;
  /** The server's message as sent, bounded; absent when it has none worth adding. */
  readonly detail: string | undefined;
}

const bounded = (text: string): string => (text.length > MAX_DETAIL ? `${text.slice(0, MAX_DETAIL - 1)}…` : text);

const REEXPORT =
  'Pick a snapshot exported from hoplens (JSON or JSON.gz) or a file made by `hoplens dump`, as it was written.';

/** Words for a failed import of `file`. */
export function importErrorText(file: string, error: ImportFailure): ImportErrorText {
  const title = `Could not import “${file}”`;
  const say = (what: string, todo: string, detail?: string): ImportErrorText => ({
    title,
    what,
    todo,
    detail: detail === undefined ? undefined : bounded(detail),
  });
  if (error.kind === 'unreachable')
    return say('The hoplens server did not answer.', 'Import it again once the server is back.');
  if (error.kind === 'empty')
    return say(
      'The file is empty (0 bytes), as when a download or copy did not finish or another file was picked.',
      REEXPORT,
    );
  if (error.kind === 'other') return say('The import failed.', REEXPORT, error.message);
  const m = error.message;
  if (error.status === 400 && m.startsWith('the gzip body is truncated or corrupt'))
    return say(
      'The file is gzip-compressed but cut short or damaged, as when a download or copy did not finish.',
      'Copy or download it again (`gzip -t` on the file tells whether it is whole), then import it.',
      m,
    );
  if (error.status === 400 && m.startsWith('body is not valid JSON')) {
    const cut = /end of (JSON )?input|Unterminated/i.test(m);
    return cut
      ? say(
          'The file is JSON that stops before its end, as when a download or copy did not finish.',
          'Copy or download it again, then import it.',
          m,
        )
      : say('The file is not JSON, so it is not a hoplens snapshot or dump.', REEXPORT, m);
  }
  if (error.status === 409)
    return say(
      'hoplens already holds a snapshot with this file’s id but other contents: the file was changed after it was exported.',
      'Import the file as hoplens exported it; snapshots never change, so an edited copy cannot replace one.',
      m,
    );
  if (error.status === 413)
    return say(
      'The file is larger than this server accepts.',
      'Start the server with a larger --import-limit, or import a snapshot of fewer hosts.',
      m,
    );
  if (error.status === 422)
    return say(
      'The file is JSON, but not a hoplens snapshot or dump: some of its fields are missing or wrong.',
      REEXPORT,
      m,
    );
  // The server's disk is full: importing again fails the same way until room is made.
  if (error.status === 507)
    return say(
      'The server’s disk is full: the snapshot was not stored (nothing else was touched); the file may well be fine.',
      'Free space where the server keeps its database (or let retention delete old snapshots: --keep, --keep-last), then import it again.',
      m,
    );
  // The server's own failure says nothing about the file: do not send the person to look for another.
  if (error.status >= 500)
    return say(
      `The server failed while importing it (${error.status}); the file may well be fine.`,
      'Import it again; if it fails again, the server’s log says why.',
      m,
    );
  return say(`The server refused it (${error.status}).`, REEXPORT, m);
}
