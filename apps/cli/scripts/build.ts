import { builtinModules } from 'node:module';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as esbuild from 'esbuild';
import { generatedLabList } from './generatedLabList.ts';
import { precompiled } from './precompile.ts';

const CLI = fileURLToPath(new URL('..', import.meta.url));
const REPO = join(CLI, '../..');
const OUT = join(CLI, 'dist');

/** What `dist/` holds beside the code: the code finds these relative to itself (see assetUrl). */
const ASSETS: readonly { from: string; to: string; optional?: boolean }[] = [
  { from: 'packages/collector/native/nldump.c', to: 'native/nldump.c' },
  { from: 'packages/collector/native/pcapture.c', to: 'native/pcapture.c' },
  { from: 'packages/model/fixtures/seed-broken.snapshot.json', to: 'demo/seed-broken.snapshot.json' },
  { from: 'packages/model/fixtures/seed-fixed.snapshot.json', to: 'demo/seed-fixed.snapshot.json' },
  { from: 'apps/web/dist', to: 'web', optional: true },
];

export interface BuildOptions {
  /** Fail when the dashboard (apps/web/dist) is not built, instead of shipping without it. */
  readonly requireWeb?: boolean;
}

interface PackageJson {
  readonly name: string;
  readonly dependencies?: Record<string, string>;
}

const readJson = (file: string): PackageJson => JSON.parse(readFileSync(file, 'utf8')) as PackageJson;
const packageName = (specifier: string): string =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

/**
 * Everything is bundled but the CLI's own `dependencies` (native code: better-sqlite3), which stay
 * imports and are what the npm package and the image install. Our code must import them at the
 * range the CLI declares, so the bundle runs against the version it was tested with.
 */
function externals(external: ReadonlySet<string>, found: Map<string, string>): esbuild.Plugin {
  const builtins = new Set(builtinModules);
  return {
    name: 'hoplens-externals',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, (args) => {
        const name = packageName(args.path);
        if (args.path.startsWith('node:') || builtins.has(name)) return { external: true };
        if (!external.has(name)) return undefined;
        if (!args.importer.includes('/node_modules/')) found.set(name, args.importer);
        return { external: true };
      });
    },
  };
}

/** The package.json of the workspace package a file belongs to. */
function owningPackage(file: string): string {
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir))
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'package.json');
  throw new Error(`no package.json above ${file}`);
}

const dependencies = (): Record<string, string> => readJson(join(CLI, 'package.json')).dependencies ?? {};

function checkDependencies(found: Map<string, string>): void {
  const declared = dependencies();
  const problems: string[] = [];
  for (const [name, importer] of found) {
    const owner = owningPackage(importer);
    const wanted = readJson(owner).dependencies?.[name];
    if (wanted !== declared[name])
      problems.push(
        `${name} is ${declared[name]} in apps/cli but ${wanted ?? 'undeclared'} in ${relative(REPO, owner)}`,
      );
  }
  if (problems.length > 0) throw new Error(`the built CLI would import other versions:\n  ${problems.join('\n  ')}`);
}

function options(found: Map<string, string>): esbuild.BuildOptions {
  return {
    absWorkingDir: CLI,
    entryPoints: {
      hoplens: 'src/main.ts',
      // The server collects in a child process that runs this file (see collectInChild).
      collectChild: '../server/src/services/collectChild.ts',
      // Each collection runs in a worker thread that loads this file (see Collections).
      collectWorker: '../server/src/services/collectWorker.ts',
      // Imports and analyses run in a worker thread that loads this file (see AnalysisWorkerClient).
      analysisWorker: '../server/src/analysis/analysisWorker.ts',
      // A SQLite file's store runs in a worker thread that loads this file (see SqliteWorkerStore).
      sqliteWorker: '../server/src/store/sqliteWorker.ts',
      // An import's parts are gzipped in a worker thread that loads this file (see packInBackground).
      packWorker: '../server/src/store/packWorker.ts',
      // The lean `collect` bundle loads the Kubernetes client from this file (see leanOptions).
      kubernetesClient: 'src/kubernetesClient.ts',
      // What collect.cjs and agent.js load only to check input with TypeBox (see CHECKED_LATE).
      collectNetns: '../../packages/collector/src/collectNetns.ts',
      parsePeerPodConfig: '../../packages/collector/src/parse/parsePeerPodConfig.ts',
      hostMapProblems: 'src/hostMapProblems.ts',
      kubernetesObjects: 'src/kubernetesObjects.ts',
      agentRefusals: '../server/src/agent/agentRefusals.ts',
      askAgentOvs: '../../packages/collector/src/sources/askAgentOvs.ts',
    },
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20.19',
    outdir: OUT,
    // Flat: every chunk sits beside the assets it finds relative to itself.
    chunkNames: '[name]-[hash]',
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'none',
    // Bundled CommonJS (Fastify, the Kubernetes client) calls require() for Node's own modules.
    banner: {
      js: "import { createRequire as __hoplensRequire } from 'node:module'; const require = __hoplensRequire(import.meta.url);",
    },
    logLevel: 'warning',
    plugins: [
      externals(new Set(Object.keys(dependencies())), found),
      redirect(LEAN_COMMANDS),
      swap({ './cachedCommands.ts': 'src/cachedCommands.built.ts' }),
    ],
  };
}

/**
 * Source files replaced by another in the build: the built CLI loads `findings` and `trace` from
 * quick.cjs through V8's code cache (codeCache.ts), which source runs have no file for.
 */
function swap(to: Readonly<Record<string, string>>): esbuild.Plugin {
  return {
    name: 'hoplens-swap',
    setup(build) {
      build.onResolve({ filter: /./ }, (args) => {
        const path = to[args.path];
        return path === undefined ? undefined : { path: join(CLI, path) };
      });
    },
  };
}

/**
 * `findings` and `trace` (quick.cjs), `collect` and `lab`, each as one CommonJS file: Node 20 keeps
 * compiled code between runs only for scripts (vm.Script's cachedData, see codeCache.ts), not for
 * ES modules. Parsing and compiling was ~40 ms of a `findings` run of ~220 ms on the seed snapshot
 * (--cpu-prof), and the snapshot's schema check comes compiled with it (precompile.ts): TypeBox
 * building it was ~50 ms more. `collect` is a whole command measured against plotnetcfg; a file of
 * its own, as the split build's shared chunks would make it compile ~700 KiB where it needs ~470.
 */
function cachedOptions(found: Map<string, string>): esbuild.BuildOptions {
  const split = options(found);
  return {
    ...split,
    entryPoints: { quick: 'src/commands/quick.ts', collect: 'src/commands/collect.ts', lab: 'src/commands/lab.ts' },
    outExtension: { '.js': '.cjs' },
    format: 'cjs',
    splitting: false,
    // Assets are found relative to the file that needs them (assetUrl): import.meta.url as in ESM.
    banner: { js: 'var __hoplensModuleUrl = require("node:url").pathToFileURL(__filename).href;' },
    define: { 'import.meta.url': '__hoplensModuleUrl' },
    // import() of kubernetesClient.js as require(): a script compiled by vm has no import() of its
    // own without an experimental flag, and Node >= 20.19 requires ES modules.
    supported: { 'dynamic-import': false },
    plugins: [
      externals(new Set(Object.keys(dependencies())), found),
      precompiled(),
      // Loaded only for --kubeconfig: the split build's copy, not 5 MiB more in this file.
      redirect({ '@kubernetes/client-node': './kubernetesClient.js' }),
      redirect(CHECKED_LATE, 'dynamic-import'),
    ],
  };
}

/**
 * The node agent, built as one file outside the split build: every KiB it loads stays in each
 * node's idle RSS. Its copy (and collect.cjs's) of the collector and the model is its own; main.ts
 * therefore knows a usage error by name.
 */
const LEAN_COMMANDS = { './commands/agent.ts': './agent.js' } as const;

/**
 * The modules that check input with TypeBox and that `collect` and the agent import only when
 * they need them: the iproute2 backend (its `ip -j` JSON), a pod VM's peer-pod config, the problems
 * of a host map the compiled check refused (readHostMap.ts), the Kubernetes API's pods and
 * Services, why the agent refuses a request its compiled checks refused (agentRefusals.ts), and
 * another agent's switch (askAgentOvs.ts, which an agent never asks). Their files are the split
 * build's, so that collect.cjs and agent.js carry no TypeBox: bundled in, even unrun, a lazily
 * imported module makes esbuild evaluate all of @hoplens/model's index with it.
 */
const CHECKED_LATE = {
  './collectNetns.ts': './collectNetns.js',
  './parse/parsePeerPodConfig.ts': './parsePeerPodConfig.js',
  './hostMapProblems.ts': './hostMapProblems.js',
  '../kubernetesObjects.ts': './kubernetesObjects.js',
  './agentRefusals.ts': './agentRefusals.js',
  './askAgentOvs.ts': './askAgentOvs.js',
} as const;

/**
 * Imports resolved to files of dist/ that another build writes (external, so loaded at run time);
 * with `kind`, only imports of that kind (a static re-export of the same file stays bundled).
 */
function redirect(to: Readonly<Record<string, string>>, kind?: esbuild.ImportKind): esbuild.Plugin {
  return {
    name: `hoplens-redirect${kind === undefined ? '' : `-${kind}`}`,
    setup(build) {
      build.onResolve({ filter: /./ }, (args) => {
        const path = kind === undefined || args.kind === kind ? to[args.path] : undefined;
        return path === undefined ? undefined : { path, external: true };
      });
    },
  };
}

function leanOptions(found: Map<string, string>): esbuild.BuildOptions {
  const split = options(found);
  return {
    ...split,
    entryPoints: { agent: 'src/commands/agent.ts' },
    splitting: false,
    plugins: [
      externals(new Set(Object.keys(dependencies())), found),
      // The host map's and the agent's requests' checks compiled at build, without TypeBox.
      precompiled(),
      // Loaded only for --kubeconfig: the split build's copy, not 5 MiB more in this file.
      redirect({ '@kubernetes/client-node': './kubernetesClient.js' }),
      redirect(CHECKED_LATE, 'dynamic-import'),
    ],
  };
}

function copyAssets({ requireWeb = false }: BuildOptions): void {
  for (const asset of ASSETS) {
    const from = join(REPO, asset.from);
    if (!existsSync(from)) {
      if (asset.optional && !(asset.to === 'web' && requireWeb)) continue;
      throw new Error(`${asset.from} is missing${asset.to === 'web' ? ': run pnpm build' : ''}`);
    }
    mkdirSync(dirname(join(OUT, asset.to)), { recursive: true });
    // Timestamps kept: a helper compiled from native/*.c is rebuilt only when its source changes.
    cpSync(from, join(OUT, asset.to), { recursive: true, preserveTimestamps: true });
  }
  chmodSync(join(OUT, 'hoplens.js'), 0o755);
}

/** Empties dist/ but for the native helpers compiled there (native/build), which outlive builds. */
function clean(): void {
  if (!existsSync(OUT)) return;
  for (const entry of readdirSync(OUT))
    if (entry !== 'native') rmSync(join(OUT, entry), { recursive: true, force: true });
  for (const c of ['nldump.c', 'pcapture.c']) rmSync(join(OUT, 'native', c), { force: true });
}

/** Builds apps/cli/dist from scratch: the bundled CLI and collector child, and the files they ship with. */
export async function buildCli(opts: BuildOptions = {}): Promise<esbuild.Metafile> {
  clean();
  const found = new Map<string, string>();
  const split = options(found);
  // The split build's labList.ts as the text it makes (not in watch builds: see generatedLabList).
  const listed = { ...split, plugins: [generatedLabList(), ...(split.plugins ?? [])] };
  const builds = await Promise.all(
    [listed, leanOptions(found), cachedOptions(found)].map((o) => esbuild.build({ ...o, metafile: true })),
  );
  checkDependencies(found);
  copyAssets(opts);
  return {
    inputs: Object.assign({}, ...builds.map((b) => b.metafile.inputs)) as esbuild.Metafile['inputs'],
    outputs: Object.assign({}, ...builds.map((b) => b.metafile.outputs)) as esbuild.Metafile['outputs'],
  };
}

/** Rebuilds on every change of a file the CLI imports, for development. */
async function watch(): Promise<void> {
  const found = new Map<string, string>();
  const lean = await esbuild.context(leanOptions(found));
  const quick = await esbuild.context(cachedOptions(found));
  const split = options(found);
  const ctx = await esbuild.context({
    ...split,
    plugins: [
      ...(split.plugins ?? []),
      {
        name: 'hoplens-after-build',
        setup(build) {
          build.onEnd((r) => {
            if (r.errors.length > 0) return;
            try {
              checkDependencies(found);
              copyAssets({});
              process.stderr.write(`built ${relative(REPO, OUT)} at ${new Date().toLocaleTimeString()}\n`);
            } catch (e) {
              process.stderr.write(`${(e as Error).message}\n`);
            }
          });
        },
      },
    ],
  });
  await Promise.all([ctx.watch(), lean.watch(), quick.watch()]);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({ options: { watch: { type: 'boolean' }, 'require-web': { type: 'boolean' } } });
  if (values.watch) await watch();
  else {
    const started = performance.now();
    const meta = await buildCli({ requireWeb: values['require-web'] ?? false });
    const kib = Object.values(meta.outputs).reduce((n, o) => n + o.bytes, 0) / 1024;
    process.stderr.write(
      `built ${relative(REPO, OUT)}: ${Object.keys(meta.outputs).length} files, ${Math.round(kib)} KiB of JavaScript in ${Math.round(performance.now() - started)} ms\n`,
    );
  }
}
