/**
 * @duban/postgres — the Duban engine on PostgreSQL: the event store port (gap-free global order,
 * LISTEN/NOTIFY subscriptions), versioned migrations, checkpoints, and SQL read models (task board and
 * quarterly unit scores as tables). See docs/postgres.md.
 */
export { createPostgresEventStore, type PostgresEventStore, type PostgresEventStoreOptions } from './store';
export { type ConnectionOptions, type MigrationResult, type PostgresLogEntry } from './database';
export {
  createPostgresCheckpoints,
  createPostgresReadModelStore,
  type PostgresCheckpoints,
  type PostgresReadModelStoreOptions,
} from './checkpoints';
export {
  createSqlReadModels,
  SQL_READ_MODELS,
  type SqlReadModels,
  type SqlReadModelsOptions,
} from './read-models';
export { PostgresStoreError, type PostgresFailure } from './errors';
export {
  checkSchemaName,
  DEFAULT_SCHEMA,
  LATEST_VERSION,
  MIGRATIONS,
  migrationSql,
  type Migration,
} from './schema';
/** Re-exported for callers who configure the adapter alone; one value for every store of the port. */
export { DEFAULT_MAX_APPEND_SIZE } from '@duban/engine';
