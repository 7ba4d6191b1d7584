import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as esbuild from 'esbuild';
import type { TSchema } from 'typebox';
import { Code } from 'typebox/compile';
import * as Formats from 'typebox/format';
import { onlyKeysOf, withFastClosedObjects } from '../../../packages/model/src/schema/fastClosed.ts';
import { HostMapSchema } from '../../../packages/model/src/schema/hostMap.ts';
import { OvsTraceRequestSchema } from '../../../packages/model/src/schema/ovs.ts';
import { AgentProbeRequestSchema } from '../../../packages/model/src/schema/probe.ts';
import { SnapshotInputSchema } from '../../../packages/model/src/schema/snapshot.ts';

const MODEL = fileURLToPath(new URL('../../../packages/model/', import.meta.url));
const SCHEMA_DIR = fileURLToPath(new URL('../../../packages/model/src/schema/', import.meta.url));

/** A schema to compile at build, by the file and name it is exported as. */
interface Precompiled {
  readonly schema: TSchema;
  readonly from: string;
  readonly name: string;
}

/** What `findings` and `trace` check: the snapshot file they read. */
const SCHEMAS: readonly Precompiled[] = [
  { schema: SnapshotInputSchema, from: join(SCHEMA_DIR, 'snapshot.ts'), name: 'SnapshotInputSchema' },
];

/**
 * One of the values TypeBox's generated code takes from outside (`External[i]`) as source code, with
 * the imports it needs: a regular expression, a format TypeBox defines, or a closed object's key
 * check (fastClosed.ts). Anything else cannot be written out, and the build fails rather than
 * shipping a check that differs from the one compiled at run time.
 */
function externalSource(value: unknown, imports: Set<string>): string {
  if (value instanceof RegExp) return `new RegExp(${JSON.stringify(value.source)}, ${JSON.stringify(value.flags)})`;
  const keys = onlyKeysOf(value);
  if (keys !== undefined) {
    imports.add(`import { onlyKeys } from ${JSON.stringify(join(SCHEMA_DIR, 'fastClosed.ts'))};`);
    return `onlyKeys(${JSON.stringify(keys)})`;
  }
  const format = Object.entries(Formats).find(([name, f]) => name.startsWith('Is') && f === value)?.[0];
  if (format !== undefined) {
    imports.add(`import { ${format} } from 'typebox/format';`);
    return format;
  }
  throw new Error(`cannot write out a value the compiled check uses: ${String(value).slice(0, 80)}`);
}

/**
 * TypeBox's `Code` of a schema, rewritten as validate.ts's `check` compiles it: the imports the
 * generated code needs (only those its body uses), and an expression whose value is its `Check`.
 */
function compiledCheck(schema: TSchema, imports: Set<string>): string {
  const { Code: code, External: external } = Code(withFastClosedObjects(schema));
  const variables = external.variables.map((v) => externalSource(v, imports));
  const lines = code.split('\n');
  // Each generated module declares the same names: one function scope each.
  const body = lines
    .filter((line) => !line.startsWith('import '))
    .join('\n')
    .replace(/^export function /gm, 'function ');
  for (const line of lines) {
    const names = /^import \{ (\w+) \}/.exec(line)?.[1];
    // An import the body never names (TypeBox imports Hashing in every module) is left out.
    if (line.startsWith('import ') && (names === undefined || new RegExp(`\\b${names}\\.`).test(body)))
      imports.add(line);
  }
  return `(() => {\n${body}\nSetExternal({ variables: [${variables.join(', ')}] });\nreturn Check;\n})()`;
}

/**
 * A module that gives each schema of SCHEMAS the check TypeBox compiles for it, compiled now: the
 * same `Code` of the same rewritten schema that validate.ts's `check` builds at run time, written
 * out with the values it refers to and handed to usePrecompiled when the module loads.
 */
export function precompiledChecks(): string {
  const imports = new Set<string>([
    `import { usePrecompiled } from ${JSON.stringify(join(SCHEMA_DIR, 'validate.ts'))};`,
  ]);
  const modules = SCHEMAS.map(({ schema, from, name }, i) => {
    imports.add(`import { ${name} } from ${JSON.stringify(from)};`);
    return `usePrecompiled(${name}, ${compiledCheck(schema, imports)}); // ${i}`;
  });
  return [...imports, ...modules].join('\n');
}

/**
 * Modules of checks compiled at build standing alone, by file name: each export's schema. They import
 * neither the schemas nor validate.ts, so a command checks its input without loading TypeBox, whose
 * modules were ~60 % of collect.cjs (and of agent.js); what a check refuses is checked again by
 * validate() for the problems to name, from a file loaded only then (readHostMap.ts, agentRefusals.ts).
 */
const STANDALONE: Readonly<Record<string, Readonly<Record<string, TSchema>>>> = {
  'precompiledHostMap.ts': { isHostMap: HostMapSchema },
  'precompiledAgentChecks.ts': {
    isOvsTraceRequest: OvsTraceRequestSchema,
    isAgentProbeRequest: AgentProbeRequestSchema,
  },
};

/** One of the STANDALONE modules as built: each of its checks compiled now. */
export function standaloneChecks(file: string): string {
  const imports = new Set<string>();
  const checks = Object.entries(STANDALONE[file]!).map(
    ([name, schema]) => `export const ${name} = ${compiledCheck(schema, imports)};`,
  );
  return [...imports, ...checks].join('\n');
}

/** The source files the built CLI gets compiled checks in place of, and what replaces each. */
const GENERATED: Readonly<Record<string, () => string>> = {
  'precompiledChecks.ts': precompiledChecks,
  ...Object.fromEntries(Object.keys(STANDALONE).map((file) => [file, () => standaloneChecks(file)])),
};

/**
 * An esbuild plugin: the source's precompiledChecks.ts (which does nothing) replaced by
 * precompiledChecks(), and each STANDALONE module (which checks with the schemas) by its checks
 * compiled now.
 */
export function precompiled(): esbuild.Plugin {
  return {
    name: 'hoplens-precompiled',
    setup(build) {
      build.onResolve(
        { filter: new RegExp(`/(${Object.keys(GENERATED).join('|')})$`.replaceAll('.', '\\.')) },
        (args) => ({
          path: args.path.slice(args.path.lastIndexOf('/') + 1),
          namespace: 'precompiled',
        }),
      );
      build.onLoad({ filter: /./, namespace: 'precompiled' }, (args) => ({
        contents: GENERATED[args.path]!(),
        loader: 'js',
        // Where the generated code's own imports (typebox) resolve.
        resolveDir: MODEL,
      }));
    },
  };
}
