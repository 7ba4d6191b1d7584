const KEY = 'hoplens-token';

/** The API token the user gave this tab, if the server asked for one. Kept for the session only. */
export const getToken = (): string | null => sessionStorage.getItem(KEY);
export const setToken = (token: string): void => sessionStorage.setItem(KEY, token);
