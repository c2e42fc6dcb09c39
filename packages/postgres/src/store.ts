import { left, right, type Either } from 'fp-ts/Either';
import type { Pool } from 'pg';
import {
  appendTooLarge,
  DEFAULT_MAX_APPEND_SIZE,
  serializeEvent,
  type AppendError,
  type AppendOptions,
  type AppendResult,
  type EventStore,
  type ExpectedRevision,
  type Position,
  type ProposedEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeToAllOptions,
  type Subscription,
} from '@duban/engine';
import { openDatabase, type ConnectionOptions, type Database, type MigrationResult } from './database';
import { classify, PostgresStoreError, storeUnavailable, wrongExpectedRevision } from './errors';
import {
  countLimit,
  createHorizons,
  EVENT_COLUMNS,
  readPage,
  toRecorded,
  type EventRow,
  type Horizons,
} from './reads';
import { openSubscription } from './subscription';
import { createWakeups, type Wakeups } from './wakeups';

export interface PostgresEventStoreOptions extends ConnectionOptions {
  /** Bytes of JSON data + metadata one append may carry (checked before sending). Default 1 MiB. */
  readonly maxAppendSize?: number;
  /** Events per query when reading `$all` or a stream. Default 1000. */
  readonly readPageSize?: number;
  /** Subscriptions read again at least this often, notification or not. Default 1000 ms. */
  readonly pollIntervalMs?: number;
  /**
   * How long a subscription lets committed events wait behind an older transaction that is still
   * running before it waits for the appends in flight instead. Default 200 ms.
   */
  readonly heldBackTimeoutMs?: number;
  /** How long a subscription keeps retrying while the database is unreachable. Default 60 s. */
  readonly reconnectTimeoutMs?: number;
}

/** The event store port on PostgreSQL, plus what a deployment needs around it. */
export interface PostgresEventStore extends EventStore {
  /** The PostgreSQL schema holding the tables. */
  readonly schema: string;
  /** Applies the missing migrations (each in its own transaction); safe to run concurrently and again. */
  migrate(): Promise<MigrationResult>;
  /** The pool (shared with the read models and checkpoints built on this store). */
  readonly pool: Pool;
  /** Internal plumbing shared with `@duban/postgres`'s read models; not for callers. */
  readonly internals: StoreInternals;
}

export interface StoreInternals {
  readonly db: Database;
  readonly horizons: Horizons;
  readonly wakeups: Wakeups;
}

const START: Position = Object.freeze({ commit: 0n, prepare: 0n });

interface AppendRow {
  readonly outcome: 'written' | 'duplicate' | 'conflict';
  readonly revision: string;
  readonly transaction_id: string | null;
  readonly sequence: string | null;
}

const modeOf = (expected: ExpectedRevision): [string, string | null] =>
  typeof expected === 'bigint' ? ['exact', expected.toString()] : [expected, null];

/** JSON array of the batch for append_events: the serialised data and metadata are spliced in as they are. */
const batchJson = (events: ReturnType<typeof serializeEvent>[]): string =>
  `[${events.map((e) => `{"i":"${e.eventId}","t":${JSON.stringify(e.type)},"d":${e.data},"m":${e.metadata}}`).join(',')}]`;

/**
 * `createPostgresEventStore('postgres://user:password@host:5432/db', { schema: 'duban' })`: the event
 * store port on PostgreSQL through node-postgres, with a pool. Run `migrate()` once (or apply
 * `migrationSql()` by hand) before use; until then every call fails with SchemaNotMigrated.
 *
 * - Appends are one call of `append_events` (one transaction): the expected revision, idempotent
 *   re-appends by event id and the insert, with EventStoreDB's rules, as the in-memory store has them.
 * - `$all` is read in the order (transaction id, sequence), and only below the oldest transaction still
 *   running, so a reader never passes an event that could still commit: see docs/postgres.md.
 * - Subscriptions catch up by query and then wake on LISTEN/NOTIFY, polling as a fallback.
 */
export const createPostgresEventStore = (
  connection: string | Pool,
  options: PostgresEventStoreOptions = {},
): PostgresEventStore => {
  const maxAppendSize = options.maxAppendSize ?? DEFAULT_MAX_APPEND_SIZE;
  if (!Number.isSafeInteger(maxAppendSize) || maxAppendSize <= 0)
    throw new RangeError(`maxAppendSize must be a positive integer, got ${maxAppendSize}`);
  const pageSize = options.readPageSize ?? 1000;
  const db = openDatabase(connection, options);
  const { names, target } = db;
  const horizons = createHorizons(db);
  const wakeups = createWakeups(db);
  const settings = {
    pageSize,
    pollIntervalMs: options.pollIntervalMs ?? 1000,
    heldBackTimeoutMs: options.heldBackTimeoutMs ?? 200,
    reconnectTimeoutMs: options.reconnectTimeoutMs ?? 60_000,
  };
  const openSubscriptions = new Set<() => Promise<void>>();
  let closed = false;

  const closedError = () =>
    new PostgresStoreError('StoreClosed', `${target.label}: the event store is closed`);
  const ensureOpen = (): void => {
    if (closed) throw closedError();
  };

  const appendToStream = async (
    streamId: string,
    events: readonly ProposedEvent[],
    appendOptions: AppendOptions = {},
  ): Promise<Either<AppendError, AppendResult>> => {
    if (closed) return left(storeUnavailable(`${target.label}: the event store is closed`));
    const expected = appendOptions.expectedRevision ?? 'any';
    const encoded = events.map(serializeEvent);
    // Checked before the revision, like EventStoreDB, which refuses the request as it arrives.
    const size = encoded.reduce((sum, e) => sum + e.size, 0);
    if (size > maxAppendSize) return left(appendTooLarge(streamId, size, maxAppendSize));
    const [mode, revision] = modeOf(expected);
    const what = `append to ${streamId}`;
    let row: AppendRow;
    try {
      await db.ensureMigrated();
      const rows = await db.pool.query<AppendRow>(
        `SELECT outcome, revision::text AS revision, transaction_id::text AS transaction_id, sequence::text AS sequence
         FROM ${names.appendEvents}($1, $2, $3::bigint, $4::json)`,
        [streamId, mode, revision, batchJson(encoded)],
      );
      row = rows.rows[0]!;
    } catch (error) {
      // Another writer's transaction bypassing the stream lock can still collide on (stream, revision).
      if ((error as { code?: unknown }).code === '23505')
        return left(await conflictAfterRace(streamId, expected));
      const failure = classify(error, what, db.failures);
      if (!failure) throw error;
      return left(storeUnavailable(failure.message, error));
    }
    if (row.outcome === 'conflict')
      return left(wrongExpectedRevision(streamId, expected, BigInt(row.revision)));
    if (row.outcome === 'written' && encoded.length > 0) wakeups.appended();
    return right({
      nextExpectedRevision: BigInt(row.revision),
      position:
        row.transaction_id === null
          ? START
          : { commit: BigInt(row.transaction_id), prepare: BigInt(row.sequence!) },
    });
  };

  const conflictAfterRace = async (streamId: string, expected: ExpectedRevision): Promise<AppendError> => {
    try {
      const rows = await db.query<{ revision: string | null }>(
        `reading the end of ${streamId}`,
        `SELECT max(revision)::text AS revision FROM ${names.events} WHERE stream_id = $1`,
        [streamId],
      );
      return wrongExpectedRevision(streamId, expected, BigInt(rows[0]?.revision ?? -1));
    } catch (error) {
      return storeUnavailable(error instanceof Error ? error.message : String(error), error);
    }
  };

  async function* readStream(
    streamId: string,
    readOptions: ReadStreamOptions = {},
  ): AsyncGenerator<RecordedEvent> {
    ensureOpen();
    await db.ensureMigrated();
    const backwards = readOptions.direction === 'backwards';
    const from = readOptions.fromRevision ?? (backwards ? 'end' : 'start');
    let remaining = countLimit(readOptions.maxCount);
    // Revisions are dense from 0, so a page boundary is simply the next revision.
    let next: bigint | undefined =
      from === 'start' ? (backwards ? -1n : 0n) : from === 'end' ? undefined : from;
    if (from === 'end' && !backwards) return; // nothing after the end
    const what = `reading ${streamId}`;
    while (remaining > 0) {
      const limit = Math.min(pageSize, remaining);
      const values: unknown[] = [streamId, limit];
      let bound = '';
      if (next !== undefined) {
        values.push(next.toString());
        bound = ` AND revision ${backwards ? '<=' : '>='} $3::bigint`;
      }
      const rows = await db.query<EventRow>(
        what,
        // e.revision: the bigint column, not the text it is selected as.
        `SELECT ${EVENT_COLUMNS} FROM ${names.events} e WHERE e.stream_id = $1${bound.replace('revision', 'e.revision')}
         ORDER BY e.revision${backwards ? ' DESC' : ''} LIMIT $2`,
        values,
      );
      for (const row of rows) {
        if (closed) return;
        yield toRecorded(row);
      }
      remaining -= rows.length;
      if (rows.length < limit) return;
      const last = BigInt(rows[rows.length - 1]!.revision);
      next = backwards ? last - 1n : last + 1n;
      if (next < 0n) return;
    }
  }

  async function* readAll(readOptions: ReadAllOptions = {}): AsyncGenerator<RecordedEvent> {
    ensureOpen();
    await db.ensureMigrated();
    let remaining = countLimit(readOptions.maxCount);
    const prefixes = readOptions.streamPrefixes;
    if (remaining === 0 || prefixes?.length === 0) return;
    const backwards = readOptions.direction === 'backwards';
    const from = readOptions.fromPosition ?? (backwards ? 'end' : 'start');
    const what = 'reading $all';
    // A fixed horizon: everything committed before this call, and nothing can still arrive below it.
    const horizon = await horizons.covering(prefixes, what);
    let cursor: Position | undefined = typeof from === 'object' ? from : undefined;
    if (!backwards && from === 'end') return;
    let inclusive = true;
    while (remaining > 0) {
      const limit = Math.min(pageSize, remaining);
      const page = await readPage(db, what, {
        from: cursor,
        inclusive,
        backwards,
        horizon: { fixed: horizon },
        prefixes,
        limit,
      });
      for (const event of page) {
        if (closed) return;
        yield event;
      }
      remaining -= page.length;
      if (page.length < limit) return;
      cursor = page[page.length - 1]!.position;
      inclusive = false;
    }
  }

  const subscribeToAll = (subscribeOptions: SubscribeToAllOptions = {}): Subscription => {
    if (closed) {
      // As with the in-memory store: a subscription on a closed store fails when read.
      const refusal = closedError();
      return {
        [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(refusal) }),
        close: async () => undefined,
      };
    }
    const subscription = openSubscription(
      db,
      horizons,
      wakeups,
      settings,
      subscribeOptions.fromPosition ?? 'start',
      subscribeOptions.streamPrefixes,
      (close) => openSubscriptions.delete(close),
    );
    openSubscriptions.add(subscription.close);
    return subscription;
  };

  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await Promise.all([...openSubscriptions].map((end) => end()));
    await wakeups.close();
    await db.end();
  };

  return {
    schema: names.schema,
    pool: db.pool,
    internals: { db, horizons, wakeups },
    migrate: () => {
      if (closed) return Promise.reject(closedError());
      return db.migrate();
    },
    appendToStream,
    readStream,
    readAll,
    subscribeToAll,
    close,
  };
};
