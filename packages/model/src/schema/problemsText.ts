/** What is wrong with `what`, in one line: its first five problems by path, the rest counted. */
export const problemsText = (what: string, problems: readonly string[]): string =>
  `invalid ${what}: ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? ` (+${problems.length - 5} more)` : ''}`;
