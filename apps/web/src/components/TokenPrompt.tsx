import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { setToken } from '../api/token.ts';

/** Shown when the server answers 401: asks for the API token, keeps it for this tab, retries. */
export function TokenPrompt() {
  const [value, setValue] = useState('');
  const client = useQueryClient();
  return (
    <form
      className="token-prompt"
      onSubmit={(e) => {
        e.preventDefault();
        setToken(value.trim());
        void client.invalidateQueries();
      }}
    >
      <label>
        This server needs an API token{' '}
        <input
          type="password"
          value={value}
          onChange={(e) => setValue(e.target.value)}
          autoComplete="off"
          aria-label="API token"
        />
      </label>
      <button type="submit">Use token</button>
    </form>
  );
}
