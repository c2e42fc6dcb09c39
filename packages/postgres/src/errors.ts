import {
  wrongExpectedRevision as engineWrongExpectedRevision,
  type AppendError,
  type ExpectedRevision,
} from '@duban/engine';

/** What went wrong when reading, subscribing or migrating. Appends return `AppendError` values instead. */
export type PostgresFailure =
  /** The server refused or could not be reached, or the connection broke. */
  | 'StoreUnavailable'
  /** Every connection of the pool stayed busy past `acquireTimeoutMs`. */
  | 'PoolExhausted'
  /** The schema lacks Duban's tables, or is older than this adapter: run `migrate()`. */
  | 'SchemaNotMigrated'
  /** The store was closed. */
  | 'StoreClosed'
  /** Another instance of the same projection moved its checkpoint: reload and catch up. */
  | 'ProjectionConflict'
  /** The stored positions are ahead of the server's transaction ids (a logical restore): see the docs. */
  | 'PositionsAhead';

/** Thrown by reads, subscriptions and migrations; the message names the server (never its password). */
export class PostgresStoreError extends Error {
  override readonly name = 'PostgresStoreError';
  constructor(
    readonly code: PostgresFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * Where the adapter talks to, for messages: the connection string without its password, and a way to
 * scrub the password from any text (a server or driver message might echo it).
 */
export interface Target {
  readonly label: string;
  readonly redact: (text: string) => string;
}

export const describeTarget = (connectionString: string | undefined, password?: string): Target => {
  const secrets = new Set<string>();
  let label = 'PostgreSQL';
  if (connectionString) {
    try {
      const url = new URL(connectionString);
      if (url.password) {
        secrets.add(url.password);
        secrets.add(decodeURIComponent(url.password));
        url.password = '';
      }
      const pw = url.searchParams.get('password');
      if (pw) {
        secrets.add(pw);
        url.searchParams.delete('password');
      }
      label = `PostgreSQL at ${url.toString().replace(/^(\w+:\/\/[^:@/]*):?@/, '$1@')}`;
    } catch {
      // Not a URL (a key=value string): name no part of it.
      label = 'PostgreSQL (connection string not shown)';
    }
  }
  if (password) secrets.add(password);
  const list = [...secrets].filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
  const redact = (text: string): string => {
    let out = text;
    for (const s of list) out = out.split(s).join('***');
    return out;
  };
  return { label: redact(label), redact };
};

/** node-postgres errors carry SQLSTATE codes; connection-level ones carry errno codes. */
const sqlState = (error: unknown): string | undefined => {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
};

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** pg-pool's error when no client frees up within connectionTimeoutMillis. */
export const isPoolTimeout = (error: unknown): boolean =>
  /timeout exceeded when trying to connect/i.test(messageOf(error));

/** Errors that mean "the database is gone or going": worth retrying once it is back. */
export const isConnectionFailure = (error: unknown): boolean => {
  const code = sqlState(error) ?? '';
  return (
    code.startsWith('08') || // connection exception
    code === '57P01' || // admin_shutdown (pg_terminate_backend, fast shutdown)
    code === '57P02' || // crash_shutdown
    code === '57P03' || // cannot_connect_now (starting up, shutting down)
    code === '53300' || // too_many_connections
    ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH'].includes(
      code,
    ) ||
    /Connection terminated|connection timeout|Client has encountered a connection error|not queryable/i.test(
      messageOf(error),
    )
  );
};

/**
 * SQLSTATE classes that describe the server or the deployment, not a mistake in our SQL: authorization
 * (28: wrong password, no such role), no such database (3D), insufficient resources (53: disk full, out
 * of memory), operator intervention (57: cancelled, shutting down), system errors (58), internal errors
 * (XX), transaction rollback (40: deadlock), a read-only server (25006), no privilege on our tables (42501).
 */
const isServerCondition = (code: string | undefined): boolean =>
  code !== undefined && (/^(28|3D|53|57|58|XX|40)/.test(code) || code === '25006' || code === '42501');

const isNotMigrated = (error: unknown): boolean =>
  ['42P01', '42883', '3F000'].includes(sqlState(error) ?? '');

export interface FailureContext {
  readonly target: Target;
  readonly schema: string;
  readonly poolSize: number;
  readonly acquireTimeoutMs: number;
}

/** Maps a driver or server error to a failure code and a message naming what failed; undefined for bugs. */
export const classify = (
  error: unknown,
  what: string,
  ctx: FailureContext,
): { code: PostgresFailure; message: string } | undefined => {
  const { target } = ctx;
  if (error instanceof PostgresStoreError) return { code: error.code, message: error.message };
  if (isPoolTimeout(error))
    return {
      code: 'PoolExhausted',
      message: `${target.label}: ${what} failed: all ${ctx.poolSize} connections of the pool stayed busy for ${ctx.acquireTimeoutMs} ms (acquireTimeoutMs); raise poolSize or find what holds them`,
    };
  if (isNotMigrated(error))
    return {
      code: 'SchemaNotMigrated',
      message: `${target.label}: ${what} failed: schema "${ctx.schema}" has no Duban tables (${target.redact(messageOf(error))}); apply the migrations with migrate() (or print them with migrationSql())`,
    };
  const code = sqlState(error);
  if (isConnectionFailure(error) || isServerCondition(code))
    return {
      code: 'StoreUnavailable',
      message: `${target.label}: ${what} failed (${code ? `${code} ` : ''}${target.redact(messageOf(error))})`,
    };
  return undefined;
};

/** A read-side failure as a thrown error; a bug (not a driver or server error) is passed through. */
export const readError = (error: unknown, what: string, ctx: FailureContext): Error => {
  const failure = classify(error, what, ctx);
  if (!failure) return error instanceof Error ? error : new Error(String(error));
  if (error instanceof PostgresStoreError) return error;
  return new PostgresStoreError(failure.code, failure.message, { cause: error });
};

export const storeUnavailable = (message: string, cause?: unknown): AppendError => ({
  code: 'StoreUnavailable',
  message,
  ...(cause === undefined ? {} : { cause }),
});

export const wrongExpectedRevision = (
  streamId: string,
  expected: ExpectedRevision,
  current: bigint,
): AppendError =>
  // The engine's wording, with this store's way of saying "no stream".
  engineWrongExpectedRevision(streamId, expected, current < 0n ? 'no-stream' : current);
