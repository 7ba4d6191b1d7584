import { useCallback, useEffect, useState } from 'react';
import { resolveTheme, THEME_KEY, type Theme } from '../theme/theme.ts';

const DARK_QUERY = '(prefers-color-scheme: dark)';

const stored = (): string | null => {
  try {
    return localStorage.getItem(THEME_KEY);
  } catch {
    return null;
  }
};

/**
 * The theme in force (the system's until the toggle is used, then the user's, kept across visits), set
 * on <html data-theme> for the stylesheet; and the toggle.
 */
export function useTheme(): [Theme, () => void] {
  const [theme, setTheme] = useState<Theme>(() => resolveTheme(stored(), matchMedia(DARK_QUERY).matches));
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  useEffect(() => {
    const media = matchMedia(DARK_QUERY);
    const follow = () => setTheme(resolveTheme(stored(), media.matches));
    media.addEventListener('change', follow);
    return () => media.removeEventListener('change', follow);
  }, []);
  const toggle = useCallback(() => {
    setTheme((t) => {
      const next = t === 'dark' ? 'light' : 'dark';
      try {
        localStorage.setItem(THEME_KEY, next);
      } catch {
        // Private windows may refuse: the choice holds for this page.
      }
      return next;
    });
  }, []);
  return [theme, toggle];
}
