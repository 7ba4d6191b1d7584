const KEY = 'hoplens-token';

/** The API token the user gave this tab, if the server asked for one. Kept for the session only. */
export const getToken = (): string | null => sessionStorage.getItem(KEY);
export const setToken = (token: string): void => sessionStorage.setItem(KEY, token);

/** The Authorization header every API call carries when the tab has a token. */
export function authHeader(): Record<string, string> {
  const token = getToken();
  return token ? { authorization: `Bearer ${token}` } : {};
}
