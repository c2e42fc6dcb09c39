import ensureBuilt from '../scripts/ensure-built';
import startPostgres from '../packages/postgres/test/support/global-setup';

/**
 * jest takes one global setup: first the packages whose dist/ is missing or stale are built (the tests
 * that spawn the `duban` binary run the build), then one PostgreSQL server starts for the run.
 */
export default async function globalSetup(): Promise<void> {
  ensureBuilt();
  await startPostgres();
}
