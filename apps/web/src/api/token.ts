const KEY = 'hoplens-token';
const CHANNEL = 'hoplens-token';
/** How long a new tab waits for another tab of this browser session to hand it the token. */
const ASK_MS = 150;

type TokenMessage = { readonly kind: 'ask' } | { readonly kind: 'token'; readonly token: string };

const listeners = new Set<() => void>();
const channel = typeof BroadcastChannel === 'undefined' ? undefined : new BroadcastChannel(CHANNEL);

/** The API token this browser session gave, if the server asked for one. Never in localStorage. */
export const getToken = (): string | null => sessionStorage.getItem(KEY);

function keep(token: string): void {
  sessionStorage.setItem(KEY, token);
  listeners.forEach((l) => l());
}

/** Keeps the token for this tab and hands it to the other open tabs of this origin. */
export function setToken(token: string): void {
  keep(token);
  channel?.postMessage({ kind: 'token', token } satisfies TokenMessage);
}

/** Forgets the token (the server rejected it). */
export const clearToken = (): void => sessionStorage.removeItem(KEY);

/** Calls `run` when another tab hands this one a token; returns the unsubscribe. */
export function onTokenShared(run: () => void): () => void {
  listeners.add(run);
  return () => listeners.delete(run);
}

// Tabs share the token the way a browser session shares a login: a tab that has one answers a new
// tab's question, so a second tab or an opened permalink does not ask the user again. sessionStorage
// alone is per tab, and localStorage would outlive the session.
let settled: Promise<void> = Promise.resolve();
if (channel) {
  channel.onmessage = (e: MessageEvent<TokenMessage>) => {
    const m = e.data;
    if (m.kind === 'ask') {
      const token = getToken();
      if (token) channel.postMessage({ kind: 'token', token } satisfies TokenMessage);
    } else if (m.kind === 'token' && typeof m.token === 'string' && m.token !== getToken()) keep(m.token);
  };
  if (!getToken()) {
    settled = new Promise<void>((resolve) => {
      const done = onTokenShared(() => {
        done();
        resolve();
      });
      setTimeout(() => {
        done();
        resolve();
      }, ASK_MS);
    });
    channel.postMessage({ kind: 'ask' } satisfies TokenMessage);
  }
}

/** Resolves once a new tab has heard whether another tab has a token (at most ASK_MS). */
export const tokenSettled = (): Promise<void> => settled;

/** The Authorization header every API call carries when the tab has a token. */
export function authHeader(): Record<string, string> {
  const token = getToken();
  return token ? { authorization: `Bearer ${token}` } : {};
}
