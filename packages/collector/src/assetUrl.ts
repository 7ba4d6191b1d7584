/**
 * Where a file that ships beside the code lies: relative to the TypeScript module when running from
 * source (tsx, vitest), or relative to the built bundle, which has it copied beside itself
 * (apps/cli/scripts/build.ts lays dist/ out flat, so every chunk finds the same paths).
 */
export function assetUrl(moduleUrl: string, paths: { readonly source: string; readonly built: string }): URL {
  return new URL(moduleUrl.endsWith('.ts') ? paths.source : paths.built, moduleUrl);
}
