import { execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** A PostgreSQL server of its own for a test run: on a unix socket in a temporary folder. */
export interface TestPostgres {
  /** A new empty database on this server, as a connection URL. */
  database(name: string): Promise<string>;
  stop(): Promise<void>;
}

/** Debian's PostgreSQL binaries (the `postgresql` package), the newest version installed. */
function binDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] && join(root, versions[0], 'bin');
}

/** Why PostgreSQL cannot be started here, or undefined when it can. */
export function postgresUnavailable(): string | undefined {
  if (!binDir()) return 'PostgreSQL is not installed (apt-get install postgresql; scripts/setup.sh does it)';
  if (process.getuid?.() === 0 && !postgresUser())
    return 'running as root, and there is no "postgres" user to run it as';
  return undefined;
}

/** uid/gid of the `postgres` user: PostgreSQL refuses to run as root. */
function postgresUser(): { uid: number; gid: number } | undefined {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  const [, , uid, gid] = line?.split(':') ?? [];
  return uid && gid ? { uid: Number(uid), gid: Number(gid) } : undefined;
}

/**
 * Starts a throwaway PostgreSQL from Debian's package: `initdb` and `pg_ctl` in a temporary folder,
 * listening on a unix socket there only (no TCP port to collide with anyone's), run as the
 * `postgres` user when we are root. `stop` shuts it down and removes the folder.
 */
export function startPostgres(): TestPostgres {
  const why = postgresUnavailable();
  if (why) throw new Error(`cannot start PostgreSQL: ${why}`);
  const bin = binDir()!;
  const dir = mkdtempSync(join(tmpdir(), 'hoplens-pg-'));
  const data = join(dir, 'data');
  const user = process.getuid?.() === 0 ? postgresUser() : undefined;
  if (user) chownSync(dir, user.uid, user.gid);
  const as = user ? { uid: user.uid, gid: user.gid } : {};
  const run = (cmd: string, args: string[]): void => {
    execFileSync(join(bin, cmd), args, { ...as, stdio: ['ignore', 'pipe', 'pipe'], cwd: dir });
  };
  try {
    run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-instructions']);
    // No TCP, the socket in our folder; fsync off because only a test's data lives here.
    const options = `-c listen_addresses= -k ${dir} -c fsync=off -c max_connections=60`;
    run('pg_ctl', ['start', '-D', data, '-w', '-t', '30', '-l', join(dir, 'log'), '-o', options]);
  } catch (e) {
    const log = existsSync(join(dir, 'log')) ? readFileSync(join(dir, 'log'), 'utf8').slice(-2000) : '';
    rmSync(dir, { recursive: true, force: true });
    const stderr = (e as { stderr?: Buffer }).stderr?.toString() ?? '';
    throw new Error(`cannot start PostgreSQL: ${(e as Error).message}\n${stderr}\n${log}`, { cause: e });
  }
  const url = (db: string): string => `postgresql://postgres@/${db}?host=${encodeURIComponent(dir)}`;
  return {
    database: async (name) => {
      if (!/^[a-z_][a-z0-9_]{0,40}$/.test(name)) throw new Error(`bad database name ${name}`);
      const admin = new pg.Client({ connectionString: url('postgres') });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE ${name}`);
      } finally {
        await admin.end();
      }
      return url(name);
    },
    stop: async () => {
      await new Promise<void>((resolve) => {
        const p = spawn(join(bin, 'pg_ctl'), ['stop', '-D', data, '-m', 'immediate', '-w'], { ...as, stdio: 'ignore' });
        p.on('close', () => resolve());
        p.on('error', () => resolve());
      });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
