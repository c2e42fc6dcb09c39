import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import * as path from 'node:path';
import { createPostgresEventStore, migrationSql } from '@duban/postgres';
import { describePostgres, type TestDatabase } from '../../postgres/test/support/database';
import { duban, ndjson, read, smallHistory, tempDir, write } from './helpers';

/**
 * The CLI on PostgreSQL, on the real server that jest's global setup starts for the whole run (or
 * DUBAN_PG_URL's); each describe block has a database of its own. Without a server the blocks are
 * skipped with one line saying why, except under CI, where the run fails instead.
 */

/** The database's connection string with another schema (and any other query parameters). */
const at = (database: TestDatabase, query: Record<string, string>): string => {
  const url = new URL(database.url);
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
  return url.toString();
};

const passwordOf = (database: TestDatabase): string => new URL(database.url).password;

/** What a person sees of the database: its connection string with the password masked. */
const labelOf = (url: string): string => {
  const shown = new URL(url);
  shown.password = '***';
  return shown.toString();
};

/** A port on this machine where nothing listens. */
const closedPort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 1));
    });
  });

/** The whole of what a failed command printed: one line on stderr, nothing on stdout. */
const oneLineFailure = (r: { code: number; stdout: string; stderr: string }, code = 1): string => {
  expect({ code: r.code, stdout: r.stdout }).toEqual({ code, stdout: '' });
  expect(r.stderr.endsWith('\n')).toBe(true);
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  return r.stderr;
};

// Some cases start real processes (node through tsx): on a busy 2-core machine that takes seconds.
jest.setTimeout(120_000);

const DEMO = ['--units', '4', '--tasks', '6', '--quarters', '1'];

/** The real binary (node through tsx), as a shell runs it; `timeout` only guards against a hang. */
const BIN = path.resolve(__dirname, '../bin/duban.js');
const shell = (dir: string, script: string, url: string) =>
  spawnSync('bash', ['-c', script], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, BIN, URL: url },
    timeout: 100_000,
  });

describePostgres(
  'duban migrate',
  (database) => {
    let dir: string;
    beforeAll(() => {
      dir = tempDir();
    });

    it('applies the migrations once, then finds nothing to apply', async () => {
      const url = at(database(), { schema: 'cli_migrate' });
      const first = await duban(['migrate', url], { cwd: dir });
      expect(first).toEqual({
        code: 0,
        stdout: `${labelOf(url)}: schema "cli_migrate" migrated to version 2 (applied 1 event store, 2 checkpoints and read models)\n`,
        stderr: '',
      });
      const again = await duban(['migrate', url], { cwd: dir });
      expect(again.code).toBe(0);
      expect(again.stdout).toBe(
        `${labelOf(url)}: schema "cli_migrate" is at version 2, the latest; nothing to apply\n`,
      );
      expect(first.stdout + again.stdout).not.toContain(passwordOf(database()));
    });

    it('prints the migrations as SQL without connecting; applied by hand, they are what migrate applies', async () => {
      // Nothing listens on this port: --print must not try.
      const nowhere = `postgres://dba:Not-Used-9@127.0.0.1:${await closedPort()}/duban?schema=by_hand`;
      const printed = await duban(['migrate', nowhere, '--print'], { cwd: dir });
      expect(printed).toEqual({ code: 0, stdout: migrationSql({ schema: 'by_hand' }), stderr: '' });
      expect(printed.stdout).toContain('CREATE TABLE "by_hand".events');

      const admin = createPostgresEventStore(database().url);
      try {
        await admin.pool.query(`BEGIN; ${printed.stdout} COMMIT;`);
      } finally {
        await admin.close();
      }
      const url = at(database(), { schema: 'by_hand' });
      const migrated = await duban(['migrate', url], { cwd: dir });
      expect(migrated.stdout).toContain('schema "by_hand" is at version 2, the latest; nothing to apply');
      await write(dir, 'h.ndjson', ndjson((await smallHistory()).lines));
      const imported = await duban(['import', 'h.ndjson', url], { cwd: dir });
      expect(imported.stdout).toContain('imported 23 events in 4 streams');
    });

    it('refuses what is not PostgreSQL, and a schema name that is not a plain identifier', async () => {
      const memory = await duban(['migrate', 'memory:'], { cwd: dir });
      expect(oneLineFailure(memory, 2)).toBe(
        'duban: memory:: duban migrate is for PostgreSQL (postgres://user:password@host:5432/db?schema=duban); files, memory: and EventStoreDB need no schema\n',
      );
      const bad = await duban(['migrate', at(database(), { schema: 'Bad-Name' }), '--print'], { cwd: dir });
      expect(oneLineFailure(bad, 2)).toContain(
        ': schema must be a lower-case PostgreSQL identifier (letters, digits, _; at most 63), got "Bad-Name"',
      );
      const twice = await duban(['verify', `${at(database(), { schema: 'a' })}&schema=b`], { cwd: dir });
      expect(oneLineFailure(twice, 2)).toContain('schema is given 2 times; give it once');
    });
  },
  'cli_migrate',
);

describePostgres(
  'duban demo, verify, report, replay and export on postgres://',
  (database) => {
    let dir: string;
    let url: string;
    beforeAll(() => {
      dir = tempDir();
      url = at(database(), { schema: 'demo' });
    });

    it('refuses an unmigrated schema, naming duban migrate, and writes nothing', async () => {
      const r = await duban(['demo', '--store', url, ...DEMO, '--out', 'refused'], { cwd: dir });
      expect(oneLineFailure(r)).toBe(
        `duban: ${labelOf(url)}: checking the schema version of "demo" failed: schema "demo" has no Duban tables (relation "demo.schema_migrations" does not exist); create or upgrade it with \`duban migrate ${labelOf(url)}\` (or print the SQL for a DBA with --print)\n`,
      );
      expect(existsSync(path.join(dir, 'refused'))).toBe(false);
    });

    it('runs the demo, whose history is the in-memory run’s byte for byte; verify, report, replay and export read it back', async () => {
      expect((await duban(['migrate', url], { cwd: dir })).code).toBe(0);
      const demo = await duban(['demo', '--store', url, ...DEMO, '--out', 'pg'], { cwd: dir });
      expect(demo.stderr).toBe('');
      expect(demo.code).toBe(0);
      expect(demo.stdout).toContain(`commands in ${labelOf(url)}; every hash chain verifies`);
      expect(demo.stdout).toContain('通报 Quarterly ranking 2022Q1');
      const reference = await duban(['demo', ...DEMO, '--out', 'memory'], { cwd: dir });
      expect(reference.code).toBe(0);
      const history = await read(dir, 'pg/history.ndjson');
      expect(history).toBe(await read(dir, 'memory/history.ndjson'));
      const events = history.trimEnd().split('\n').length;

      const verified = await duban(['verify', url], { cwd: dir });
      expect(verified.stderr).toBe('');
      expect(verified.code).toBe(0);
      expect(verified.stdout).toMatch(
        new RegExp(
          `^${escapeRegExp(labelOf(url))}: intact — ${events} events in \\d+ streams; every hash chain verifies`,
        ),
      );

      // Every view from PostgreSQL is the same as from the file the demo wrote (but for its source).
      const views = [
        ['report', '--quarter', '2022Q1', '--format', 'json'],
        ['replay', '--format', 'json'],
      ];
      for (const [command, ...options] of views) {
        const fromPg = await duban([command!, url, ...options], { cwd: dir });
        const fromFile = await duban([command!, 'pg/history.ndjson', ...options], { cwd: dir });
        expect(fromPg.stderr).toBe('');
        expect(fromPg.code).toBe(0);
        const pg = JSON.parse(fromPg.stdout) as { source: string };
        const file = JSON.parse(fromFile.stdout) as { source: string };
        expect(pg.source).toBe(labelOf(url));
        expect({ ...pg, source: '' }).toEqual({ ...file, source: '' });
      }
      const report = await duban(['report', url, '--quarter', '2022Q1'], { cwd: dir });
      expect(report.code).toBe(0);
      expect(report.stdout).toContain(`通报 Quarterly ranking 2022Q1 — ${labelOf(url)}, ${events} events`);

      const exported = await duban(['export', url], { cwd: dir });
      expect(exported.code).toBe(0);
      expect(exported.stdout).toBe(history);

      const printed = [demo, verified, report, exported].map((r) => r.stdout + r.stderr).join('');
      expect(printed).not.toContain(passwordOf(database()));
    });

    it('refuses to run the demo twice on the same store', async () => {
      const twice = await duban(['demo', '--store', url, ...DEMO, '--out', 'again'], { cwd: dir });
      expect(oneLineFailure(twice)).toBe(
        `duban: ${labelOf(url)} already holds history; the demo needs an empty store\n`,
      );
    });
  },
  'cli_demo',
);

describePostgres(
  'duban import and export on postgres://',
  (database) => {
    let dir: string;
    let lines: string[];
    beforeAll(async () => {
      dir = tempDir();
      ({ lines } = await smallHistory());
      await write(dir, 'h.ndjson', ndjson(lines));
    });

    it('export from a file, import into PostgreSQL, export again: the same bytes; a second import finds it all there', async () => {
      const url = at(database(), { schema: 'imported' });
      expect((await duban(['migrate', url], { cwd: dir })).code).toBe(0);
      expect((await duban(['export', 'h.ndjson', '--out', 'a.ndjson'], { cwd: dir })).code).toBe(0);
      const imported = await duban(['import', 'a.ndjson', url], { cwd: dir });
      expect(imported).toEqual({
        code: 0,
        stdout: `imported 23 events in 4 streams from a.ndjson into ${labelOf(url)}\n`,
        stderr: '',
      });
      const exported = await duban(['export', url, '--out', 'b.ndjson'], { cwd: dir });
      expect(exported.code).toBe(0);
      expect(exported.stderr).toBe(`exported 23 events from ${labelOf(url)} to b.ndjson\n`);
      expect(Buffer.from(await read(dir, 'b.ndjson'))).toEqual(Buffer.from(await read(dir, 'a.ndjson')));
      expect(await read(dir, 'a.ndjson')).toBe(ndjson(lines));

      const again = await duban(['import', 'h.ndjson', url], { cwd: dir });
      expect(again.code).toBe(0);
      expect(again.stdout).toContain('imported 0 events in 4 streams');
      expect(again.stdout).toContain('(23 of the 23 events were already there)');
    });

    it('from the binary: the process ends once done (the pool is closed)', () => {
      const url = at(database(), { schema: 'imported' });
      const r = shell(dir, 'exec node "$BIN" verify "$URL"', url);
      expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
      expect(r.stdout).toContain(`${labelOf(url)}: intact — 23 events in 4 streams`);
    });

    it('keeps schemas apart: the same database, another schema, is another store', async () => {
      const url = at(database(), { schema: 'other' });
      expect((await duban(['migrate', url], { cwd: dir })).code).toBe(0);
      const empty = await duban(['verify', url], { cwd: dir });
      expect(empty.code).toBe(1);
      expect(empty.stderr).toBe(`${labelOf(url)}: holds no events: nothing to verify\n`);
    });

    it('refuses to import into an unmigrated schema, naming duban migrate', async () => {
      const url = at(database(), { schema: 'unmigrated' });
      const r = await duban(['import', 'h.ndjson', url], { cwd: dir });
      expect(oneLineFailure(r)).toContain(
        `schema "unmigrated" has no Duban tables (relation "unmigrated.schema_migrations" does not exist); create or upgrade it with \`duban migrate ${labelOf(url)}\``,
      );
    });
  },
  'cli_import',
);

describePostgres(
  'postgres:// that cannot be used: one line, never the password',
  (database) => {
    let dir: string;
    beforeAll(async () => {
      dir = tempDir();
      await write(dir, 'h.ndjson', ndjson((await smallHistory()).lines));
    });

    /** Every command that takes a store, on `url`. */
    const everyCommand = (url: string): string[][] => [
      ['verify', url],
      ['export', url],
      ['export', url, '--out', 'never.ndjson'],
      ['report', url],
      ['replay', url],
      ['explain', url, 'T1'],
      ['import', 'h.ndjson', url],
      ['demo', '--store', url, ...DEMO, '--out', 'never'],
      ['migrate', url],
    ];

    const expectEveryCommandFails = async (url: string, cause: string, secrets: readonly string[]) => {
      for (const argv of everyCommand(url)) {
        const r = await duban(argv, { cwd: dir });
        const line = oneLineFailure(r);
        expect({ argv, line: line.startsWith(`duban: ${labelOf(url)}: `) }).toEqual({ argv, line: true });
        expect(line).toContain(cause);
        for (const secret of secrets) expect(line).not.toContain(secret);
      }
      expect(existsSync(path.join(dir, 'never.ndjson'))).toBe(false);
      expect(existsSync(path.join(dir, 'never'))).toBe(false);
    };

    it('a wrong password: the server’s refusal, and neither that password nor the real one', async () => {
      const url = new URL(database().url);
      url.password = 'Wrong-Pa55-word';
      await expectEveryCommandFails(url.toString(), '28P01 password authentication failed', [
        'Wrong-Pa55-word',
        passwordOf(database()),
      ]);
    });

    it('a password with characters that must be percent-encoded, or given as ?password=, in every form', async () => {
      const password = 'p@ss/wo:rd#1 ok';
      const url = new URL(database().url);
      url.password = encodeURIComponent(password);
      const forms = [password, encodeURIComponent(password), url.password];
      await expectEveryCommandFails(url.toString(), '28P01', forms);
      const query = new URL(database().url);
      query.password = '';
      query.searchParams.set('password', password);
      const r = await duban(['verify', query.toString()], { cwd: dir });
      const line = oneLineFailure(r);
      expect(line).toContain('?password=***');
      expect(line).toContain('28P01');
      for (const secret of [...forms, query.searchParams.toString()]) expect(line).not.toContain(secret);
    });

    it('from the binary, standard output appended to a file: exit 1, one line, the file untouched', async () => {
      await write(dir, 'backup.ndjson', 'an earlier backup\n');
      const url = new URL(database().url);
      url.password = 'Wrong-Pa55-word';
      const r = shell(dir, 'exec node "$BIN" export "$URL" >> backup.ndjson', url.toString());
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(
        /^duban: postgres:\/\/postgres:\*\*\*@[^\n]*28P01 password authentication failed[^\n]*\n$/,
      );
      expect(await read(dir, 'backup.ndjson')).toBe('an earlier backup\n');
    });

    it('no password where the server asks for one: said so; PGPASSWORD is used when set', async () => {
      const url = new URL(database().url);
      url.password = '';
      const saved = process.env.PGPASSWORD;
      delete process.env.PGPASSWORD;
      try {
        const r = await duban(['verify', url.toString()], { cwd: dir });
        expect(oneLineFailure(r)).toBe(
          `duban: ${url.toString()}: the server asks for a password and none was given (put it in the connection string, percent-encoded, or in PGPASSWORD)\n`,
        );
        process.env.PGPASSWORD = passwordOf(database());
        const migrated = await duban(['migrate', url.toString()], { cwd: dir });
        expect(migrated.stdout).toContain(`${url.toString()}: schema "duban" migrated to version 2`);
      } finally {
        if (saved === undefined) delete process.env.PGPASSWORD;
        else process.env.PGPASSWORD = saved;
      }
    });

    it('a server that is not there: the connection refused', async () => {
      const url = new URL(database().url);
      url.port = String(await closedPort());
      url.password = 'Secret-Pa55';
      await expectEveryCommandFails(url.toString(), 'ECONNREFUSED', ['Secret-Pa55']);
    });
  },
  'cli_failures',
);

describe('postgres:// locations refused before any server is asked', () => {
  const dir = tempDir();

  it('a connection string that is not a URL: refused without echoing it', async () => {
    // An unencoded / ends the host part: nothing can be parsed, so nothing of it is shown.
    const r = await duban(['verify', 'postgres://duban:pa/ss@db.internal/duban'], { cwd: dir });
    expect(oneLineFailure(r, 2)).toBe(
      'duban: postgres://… is not a valid connection string (not shown: it may hold a password); percent-encode / ? # in the user name and password (e.g. %2F for /)\n',
    );
  });

  it('a connection string where a file is due: named without its password', async () => {
    const r = await duban(['import', 'postgres://duban:Pa55-word@db.internal/duban', 'memory:'], {
      cwd: dir,
    });
    expect(oneLineFailure(r, 2)).toBe(
      'duban: postgres://duban:***@db.internal/duban: FILE must be an NDJSON file (write one from a store with duban export)\n',
    );
  });
});

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
