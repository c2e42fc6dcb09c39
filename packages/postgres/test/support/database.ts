import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/**
 * A database of its own for each test file, on the run's server (the jest global setup's embedded
 * server, or DUBAN_PG_URL). `describePostgres` skips its tests with the reason when no server is there.
 */
const serverUrl = (): string | undefined => process.env.DUBAN_PG_TEST_SERVER;
const skipReason = (): string =>
  process.env.DUBAN_PG_SKIP ?? 'no PostgreSQL server (run through jest, whose global setup starts one)';

/** The same connection string with another database. */
export const withDatabase = (url: string, database: string): string => {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
};

export interface TestDatabase {
  /** Connection string of this file's database. */
  readonly url: string;
  readonly name: string;
}

/** Creates a fresh database on the run's server; `drop()` removes it, ending its connections. */
export const createTestDatabase = async (
  label = 'test',
): Promise<TestDatabase & { drop(): Promise<void> }> => {
  const server = serverUrl();
  if (!server) throw new Error(skipReason());
  const name = `duban_${label.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: server });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  return {
    name,
    url: withDatabase(server, name),
    drop: async () => {
      const client = new Client({ connectionString: server });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
};

/**
 * `describe` with a database of its own (created before its tests, dropped after), or one skipped test
 * naming why when there is no server (never under CI, where the global setup fails instead).
 */
export const describePostgres = (
  name: string,
  body: (database: () => TestDatabase) => void,
  label = 'test',
): void => {
  if (!serverUrl()) {
    describe(name, () => {
      it.skip(`needs a PostgreSQL server: ${skipReason()}`, () => undefined);
    });
    return;
  }
  describe(name, () => {
    let database: (TestDatabase & { drop(): Promise<void> }) | undefined;
    beforeAll(async () => {
      database = await createTestDatabase(label);
    });
    body(() => {
      if (!database) throw new Error('the test database was not created');
      return database;
    });
    // Declared after the body's hooks, so it runs after them: the body closes its connections first.
    afterAll(async () => {
      await database?.drop();
    });
  });
};

/** The server's own connection string (for tests that administer it: terminate backends, …). */
export const testServerUrl = (): string => {
  const server = serverUrl();
  if (!server) throw new Error(skipReason());
  return server;
};
