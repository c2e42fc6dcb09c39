import { Client, Pool, type PoolClient, type QueryResultRow } from 'pg';
import {
  classify,
  describeTarget,
  PostgresStoreError,
  readError,
  type FailureContext,
  type Target,
} from './errors';
import {
  DEFAULT_SCHEMA,
  LATEST_VERSION,
  MIGRATIONS,
  migrationsTableSql,
  schemaNames,
  type SchemaNames,
} from './schema';

/** One line the adapter reports about itself; messages never carry the connection's password. */
export interface PostgresLogEntry {
  readonly level: 'info' | 'warn' | 'error';
  /** A stable name: listener-connected, listener-lost, notify-failed, pool-error, held-back, … */
  readonly event: string;
  readonly message: string;
}

export interface ConnectionOptions {
  /** PostgreSQL schema holding Duban's tables. Default `duban`. */
  readonly schema?: string;
  /** Connections in the pool. Default 10. */
  readonly poolSize?: number;
  /** How long an operation waits for a free connection before failing (PoolExhausted). Default 10 s. */
  readonly acquireTimeoutMs?: number;
  /** Where the adapter reports reconnections, waits and background failures. Default: nowhere. */
  readonly log?: (entry: PostgresLogEntry) => void;
  /** Shown in pg_stat_activity. Default `duban`. */
  readonly applicationName?: string;
}

export interface MigrationResult {
  readonly schema: string;
  /** Versions applied by this call (empty when the schema was up to date). */
  readonly applied: readonly number[];
  /** The schema's version now. */
  readonly version: number;
}

/** The shared plumbing of the store, its subscriptions and the read models: pool, names, failures. */
export interface Database {
  readonly pool: Pool;
  readonly names: SchemaNames;
  readonly target: Target;
  readonly failures: FailureContext;
  readonly log: (entry: PostgresLogEntry) => void;
  /** Runs one statement on a pooled connection; driver and server failures become PostgresStoreError. */
  query<R extends QueryResultRow>(what: string, text: string, values?: unknown[]): Promise<R[]>;
  /** A failure of a statement run elsewhere (a transaction's client) as the error reads throw. */
  failure(error: unknown, what: string): Error;
  /** Checks once that the schema is migrated to this adapter's version (remembered when it is). */
  ensureMigrated(): Promise<void>;
  migrate(): Promise<MigrationResult>;
  /** A connection string for a dedicated (non-pooled) client: the LISTEN connection. */
  newClient(): Client;
  end(): Promise<void>;
}

const DEFAULT_POOL_SIZE = 10;
const DEFAULT_ACQUIRE_TIMEOUT_MS = 10_000;

export const openDatabase = (connection: string | Pool, options: ConnectionOptions = {}): Database => {
  const names = schemaNames(options.schema ?? DEFAULT_SCHEMA);
  const applicationName = options.applicationName ?? 'duban';
  const poolSize = options.poolSize ?? DEFAULT_POOL_SIZE;
  const acquireTimeoutMs = options.acquireTimeoutMs ?? DEFAULT_ACQUIRE_TIMEOUT_MS;
  const connectionString =
    typeof connection === 'string'
      ? connection
      : (connection as unknown as { options?: { connectionString?: string } }).options?.connectionString;
  const givenPassword =
    typeof connection === 'string'
      ? undefined
      : (connection as unknown as { options?: { password?: unknown } }).options?.password;
  const target = describeTarget(
    connectionString,
    typeof givenPassword === 'string' ? givenPassword : undefined,
  );
  if (typeof connection === 'string') {
    try {
      new URL(connection);
    } catch {
      throw new RangeError(`${target.label}: not a postgres:// connection string`);
    }
  }
  const pool =
    typeof connection === 'string'
      ? new Pool({
          connectionString: connection,
          max: poolSize,
          connectionTimeoutMillis: acquireTimeoutMs,
          idleTimeoutMillis: 30_000,
          application_name: applicationName,
        })
      : connection;
  const failures: FailureContext = {
    target,
    schema: names.schema,
    poolSize: typeof connection === 'string' ? poolSize : (pool.options.max ?? DEFAULT_POOL_SIZE),
    acquireTimeoutMs:
      typeof connection === 'string' ? acquireTimeoutMs : (pool.options.connectionTimeoutMillis ?? 0),
  };
  const sink = options.log ?? (() => undefined);
  const log = (entry: PostgresLogEntry): void => sink({ ...entry, message: target.redact(entry.message) });
  // An idle connection that the server drops (a restart, pg_terminate_backend) is reported here; without
  // a listener node-postgres would crash the process. The pool replaces it on the next use.
  // A connection can report its loss twice (the server's FATAL message, then the socket's end), after
  // pg-pool's one-shot listener of a query is gone: a permanent listener keeps that from crashing us.
  pool.on('connect', (client) => client.on('error', () => undefined));
  pool.on('error', (error) =>
    log({
      level: 'warn',
      event: 'pool-error',
      message: `${target.label}: idle connection lost (${error.message})`,
    }),
  );

  const query = async <R extends QueryResultRow>(what: string, text: string, values?: unknown[]) => {
    try {
      return (await pool.query<R>(text, values)).rows;
    } catch (error) {
      throw readError(error, what, failures);
    }
  };

  let migrated: Promise<void> | undefined;
  const checkVersion = async (): Promise<void> => {
    const rows = await query<{ version: number | null }>(
      `checking the schema version of "${names.schema}"`,
      `SELECT max(version) AS version FROM ${names.migrations}`,
    );
    const version = rows[0]?.version ?? 0;
    if (version < LATEST_VERSION)
      throw new PostgresStoreError(
        'SchemaNotMigrated',
        `${target.label}: schema "${names.schema}" is at version ${version}, this adapter needs ${LATEST_VERSION}; apply the migrations with migrate() (or print them with migrationSql())`,
      );
    // Positions are transaction ids: a cluster whose counter is behind the stored ones (a logical
    // dump restored into a new cluster) would put new events before old ones. Refuse it, saying why.
    const ahead = await query<{ stored: string | null; next: string }>(
      `checking the transaction ids of "${names.schema}"`,
      `SELECT (SELECT max(transaction_id) FROM ${names.events})::text AS stored,
              pg_snapshot_xmax(pg_current_snapshot())::text AS next`,
    );
    const { stored, next } = ahead[0]!;
    if (stored !== null && BigInt(stored) >= BigInt(next))
      throw new PostgresStoreError(
        'PositionsAhead',
        `${target.label}: schema "${names.schema}" holds events of transaction ${stored}, but this server hands out ids from ${next} (restored from a logical dump into another cluster?); new events would sort before old ones. Raise the server's transaction id epoch (pg_resetwal -e) past the stored one; see docs/postgres.md, "Backups"`,
      );
    if (version > LATEST_VERSION)
      throw new PostgresStoreError(
        'SchemaNotMigrated',
        `${target.label}: schema "${names.schema}" is at version ${version}, newer than this adapter's ${LATEST_VERSION}; upgrade @duban/postgres`,
      );
  };
  const ensureMigrated = (): Promise<void> => {
    migrated ??= checkVersion().catch((error: unknown) => {
      migrated = undefined; // checked again next time: someone may migrate meanwhile
      throw error;
    });
    return migrated;
  };

  const migrate = async (): Promise<MigrationResult> => {
    let client: PoolClient | undefined;
    const applied: number[] = [];
    try {
      client = await pool.connect();
      // One migrator at a time per schema; others wait, then find nothing left to do.
      await client.query('SELECT pg_advisory_lock($1, $2)', [names.appendersClass ^ 2, 0]);
      try {
        await client.query(migrationsTableSql(names));
        const done = new Set(
          (await client.query<{ version: number }>(`SELECT version FROM ${names.migrations}`)).rows.map(
            (r) => r.version,
          ),
        );
        for (const m of MIGRATIONS) {
          if (done.has(m.version)) continue;
          await client.query('BEGIN');
          try {
            await client.query(m.sql(names));
            await client.query(`INSERT INTO ${names.migrations} (version, name) VALUES ($1, $2)`, [
              m.version,
              m.name,
            ]);
            await client.query('COMMIT');
          } catch (error) {
            await client.query('ROLLBACK').catch(() => undefined);
            throw error;
          }
          applied.push(m.version);
          log({
            level: 'info',
            event: 'migrated',
            message: `${target.label}: applied migration ${m.version} (${m.name}) to schema "${names.schema}"`,
          });
        }
      } finally {
        await client.query('SELECT pg_advisory_unlock($1, $2)', [names.appendersClass ^ 2, 0]);
      }
      migrated = undefined;
      await ensureMigrated();
      return { schema: names.schema, applied, version: LATEST_VERSION };
    } catch (error) {
      const failure = classify(error, `migrating schema "${names.schema}"`, failures);
      if (error instanceof PostgresStoreError) throw error;
      throw new PostgresStoreError(
        failure?.code ?? 'StoreUnavailable',
        failure?.message ??
          `${target.label}: migrating schema "${names.schema}" failed: ${target.redact(error instanceof Error ? error.message : String(error))}`,
        { cause: error },
      );
    } finally {
      client?.release();
    }
  };

  const newClient = (): Client =>
    new Client({
      ...(connectionString ? { connectionString } : pool.options),
      application_name: `${applicationName} listener`,
      connectionTimeoutMillis: acquireTimeoutMs,
    });

  return {
    pool,
    names,
    target,
    failures,
    log,
    query,
    failure: (error, what) => readError(error, what, failures),
    ensureMigrated,
    migrate,
    newClient,
    end: () => pool.end(),
  };
};
