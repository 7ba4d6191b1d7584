import { useEffect, useState } from 'react';
import { tokenAccepted } from '../api/queries.ts';
import { clearToken, getToken, setToken } from '../api/token.ts';

type Check = 'idle' | 'checking' | 'rejected' | { readonly failed: string };

/**
 * Shown instead of the page when the server answers 401: asks for the API token, checks it with the
 * server before keeping it, says when it is rejected, and keeps it for this browser session (every
 * tab of it), not beyond.
 */
export function TokenPrompt() {
  const [value, setValue] = useState('');
  // A token this session already had and the server now refuses (it was changed) is said so, and dropped.
  const [check, setCheck] = useState<Check>(() => (getToken() === null ? 'idle' : 'rejected'));
  useEffect(() => {
    if (getToken() !== null) clearToken();
  }, []);
  const submit = async (): Promise<void> => {
    const token = value.trim();
    if (!token) return;
    setCheck('checking');
    try {
      if (!(await tokenAccepted(token))) {
        setCheck('rejected');
        return;
      }
      // Keeping it asks again for everything refused (useSharedToken), in this tab and the others.
      setToken(token);
      setCheck('idle');
    } catch (e) {
      setCheck({ failed: (e as Error).message });
    }
  };
  return (
    <main className="home token-page">
      <h1>This server needs an API token</h1>
      <p>
        It was started with <code>--auth-reads</code>: every page asks for the token it was given (its{' '}
        <code>--token-file</code>). hoplens keeps the token for this browser session, in every tab, and forgets it when
        the browser closes.
      </p>
      <form
        className="token-prompt"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <label>
          API token{' '}
          <input
            type="password"
            value={value}
            onChange={(e) => {
              setValue(e.target.value);
              if (check === 'rejected') setCheck('idle');
            }}
            autoComplete="off"
            // The page is this prompt and nothing else: typing starts here.
            autoFocus
            aria-label="API token"
            aria-invalid={check === 'rejected'}
            aria-describedby="token-status"
          />
        </label>
        <button type="submit" disabled={check === 'checking'}>
          {check === 'checking' ? 'Checking…' : 'Use token'}
        </button>
        <p id="token-status" role="status" className={check === 'idle' || check === 'checking' ? 'muted' : 'error'}>
          {check === 'rejected'
            ? 'Token rejected: the server does not accept it. Check it and try again.'
            : typeof check === 'object'
              ? `Could not check the token: ${check.failed}`
              : ''}
        </p>
      </form>
    </main>
  );
}
