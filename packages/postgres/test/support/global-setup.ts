import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-server';

/**
 * Jest global setup: one PostgreSQL server for the whole run, unless DUBAN_PG_URL names one already
 * running. Test files read the server from the environment (see `database.ts`) and make a database each.
 *
 * A server that cannot start fails the run under CI=true, saying why; elsewhere the PostgreSQL suites
 * are skipped, with one line saying so.
 */
export const SERVER_URL_VARIABLE = 'DUBAN_PG_TEST_SERVER';
export const SKIP_VARIABLE = 'DUBAN_PG_SKIP';

declare global {
  var __dubanEmbeddedPostgres: EmbeddedPostgres | undefined;
}

export default async function globalSetup(): Promise<void> {
  if (process.env.DUBAN_PG_URL) {
    process.env[SERVER_URL_VARIABLE] = process.env.DUBAN_PG_URL;
    return;
  }
  try {
    // Throwaway data: durability settings off make the suites faster and change no behaviour tested.
    const server = await startEmbeddedPostgres({
      settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' },
    });
    globalThis.__dubanEmbeddedPostgres = server;
    process.env[SERVER_URL_VARIABLE] = server.url;
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    if (process.env.CI === 'true' || process.env.CI === '1')
      throw new Error(
        `PostgreSQL test server could not start, and CI requires the PostgreSQL suites: ${why}`,
      );
    process.env[SKIP_VARIABLE] = why;
    process.stderr.write(
      `\nPostgreSQL suites: skipped (the embedded server could not start: ${why}; set DUBAN_PG_URL=postgres://… to use a running server)\n`,
    );
  }
}
