/** The page's colours. */
export type Theme = 'light' | 'dark';

/** Where a theme the user chose is kept: only a choice made with the toggle, never the default. */
export const THEME_KEY = 'hoplens:theme';

/** The theme to draw: the user's choice when they made one, else what the system prefers. */
export function resolveTheme(stored: string | null, systemPrefersDark: boolean): Theme {
  if (stored === 'light' || stored === 'dark') return stored;
  return systemPrefersDark ? 'dark' : 'light';
}
