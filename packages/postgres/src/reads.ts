import type { Position, RecordedEvent } from '@duban/engine';
import type { Database } from './database';

/** A row of the events table as the read queries select it. */
export interface EventRow {
  readonly c: string;
  readonly p: string;
  readonly stream_id: string;
  readonly revision: string;
  readonly event_id: string;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: Record<string, unknown>;
}

export const EVENT_COLUMNS =
  'transaction_id::text AS c, sequence::text AS p, stream_id, revision::text AS revision, event_id::text AS event_id, type, data, metadata';

export const toRecorded = (row: EventRow): RecordedEvent => ({
  eventId: row.event_id,
  type: row.type,
  data: row.data,
  metadata: row.metadata,
  streamId: row.stream_id,
  revision: BigInt(row.revision),
  position: { commit: BigInt(row.c), prepare: BigInt(row.p) },
});

/** At most `maxCount` events, none when it is 0 or negative; undefined means no limit. */
export const countLimit = (maxCount: number | undefined): number =>
  maxCount === undefined ? Number.POSITIVE_INFINITY : Math.max(0, Math.floor(maxCount));

/**
 * The WHERE clause that keeps what readers of `$all` may see: never a `$` system stream, and only the
 * prefixes asked for (an empty list matches nothing). Adds its parameter to `values`.
 */
export const visibleClause = (prefixes: readonly string[] | undefined, values: unknown[]): string => {
  const system = `stream_id NOT LIKE '$%'`;
  if (prefixes === undefined) return system;
  values.push([...prefixes]);
  return `${system} AND stream_id ^@ ANY($${values.length}::text[])`;
};

export interface PageQuery {
  /** Read after (or at, when `inclusive`) this position; from the very start or end when undefined. */
  readonly from?: Position;
  readonly inclusive: boolean;
  readonly backwards: boolean;
  /** Only transactions below this id: a fixed horizon, or the live one (xmin, or `known` when higher). */
  readonly horizon: { readonly fixed: bigint } | { readonly live: bigint };
  readonly prefixes: readonly string[] | undefined;
  readonly limit: number;
}

/** One page of `$all` in global order (or its reverse), below a horizon where nothing can still arrive. */
export const readPage = async (db: Database, what: string, q: PageQuery): Promise<RecordedEvent[]> => {
  const values: unknown[] = [];
  const where: string[] = [];
  if ('fixed' in q.horizon) {
    values.push(q.horizon.fixed.toString());
    where.push(`transaction_id < $${values.length}::xid8`);
  } else {
    values.push(q.horizon.live.toString());
    where.push(`transaction_id < greatest(pg_snapshot_xmin(pg_current_snapshot()), $${values.length}::xid8)`);
  }
  if (q.from) {
    values.push(q.from.commit.toString(), q.from.prepare.toString());
    const op = q.backwards ? (q.inclusive ? '<=' : '<') : q.inclusive ? '>=' : '>';
    where.push(`(transaction_id, sequence) ${op} ($${values.length - 1}::xid8, $${values.length}::bigint)`);
  }
  where.push(visibleClause(q.prefixes, values));
  values.push(q.limit);
  const order = q.backwards ? 'transaction_id DESC, sequence DESC' : 'transaction_id, sequence';
  const rows = await db.query<EventRow>(
    what,
    `SELECT ${EVENT_COLUMNS} FROM ${db.names.events} WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT $${values.length}`,
    values,
  );
  return rows.map(toRecorded);
};

/**
 * The global order's horizon: every event below it is committed and no append can still add one below
 * it. Normally the oldest transaction still running anywhere on the server (pg_snapshot_xmin). That one
 * may be a long transaction that never appends (a report, a migration, a read model rebuild); when events
 * that readers could want wait above it, `drainAppenders` waits for the appends in flight instead.
 */
export interface Horizons {
  /** The highest horizon proven so far (it only grows). */
  known(): bigint;
  /**
   * A horizon covering every event committed before the call: everything the caller could have seen
   * written is below it, and nothing can still be added below it. May wait for appends in flight.
   */
  covering(prefixes: readonly string[] | undefined, what: string): Promise<bigint>;
  /** Are there events after `after`, visible to this reader, that the live horizon still holds back? */
  heldBack(
    after: Position | undefined,
    prefixes: readonly string[] | undefined,
    what: string,
  ): Promise<boolean>;
  /** Waits for the appends in flight to finish; raises the known horizon past them. */
  drainAppenders(what: string): Promise<bigint>;
}

export const createHorizons = (db: Database): Horizons => {
  let known = 0n;
  const raise = (h: bigint): bigint => {
    if (h > known) known = h;
    return known;
  };

  // Appends take the appenders' lock in shared mode before their transaction gets its id; taking it
  // exclusively waits for those in flight. The snapshot's xmax is read in the same statement, before
  // the wait: every transaction id below it was handed out before, so an append holding one is waited for.
  // On a hot standby the primary's appenders hold no lock here: only the horizon itself can move.
  let replica: Promise<boolean> | undefined;
  const isReplica = (what: string): Promise<boolean> => {
    replica ??= db
      .query<{ r: boolean }>(what, 'SELECT pg_is_in_recovery() AS r')
      .then((rows) => rows[0]!.r)
      .catch((error: unknown) => {
        replica = undefined;
        throw error;
      });
    return replica;
  };

  const drainAppenders = async (what: string): Promise<bigint> => {
    if (await isReplica(what)) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      return known;
    }
    const rows = await db.query<{ horizon: string }>(
      what,
      'SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS horizon, pg_advisory_xact_lock($1, 0) AS waited',
      [db.names.appendersClass],
    );
    return raise(BigInt(rows[0]!.horizon));
  };

  const heldBack = async (
    after: Position | undefined,
    prefixes: readonly string[] | undefined,
    what: string,
  ): Promise<boolean> => {
    const values: unknown[] = [known.toString()];
    let cursor = '';
    if (after) {
      values.push(after.commit.toString(), after.prepare.toString());
      cursor = ` AND (transaction_id, sequence) > ($2::xid8, $3::bigint)`;
    }
    const visible = visibleClause(prefixes, values);
    const rows = await db.query<{ held: boolean }>(
      what,
      `SELECT EXISTS (SELECT 1 FROM ${db.names.events}
         WHERE transaction_id >= greatest(pg_snapshot_xmin(pg_current_snapshot()), $1::xid8)${cursor} AND ${visible}) AS held`,
      values,
    );
    return rows[0]!.held;
  };

  const covering = async (prefixes: readonly string[] | undefined, what: string): Promise<bigint> => {
    for (;;) {
      const values: unknown[] = [known.toString()];
      const visible = visibleClause(prefixes, values);
      const rows = await db.query<{ horizon: string; held: boolean }>(
        what,
        `SELECT greatest(pg_snapshot_xmin(s), $1::xid8)::text AS horizon,
           EXISTS (SELECT 1 FROM ${db.names.events}
             WHERE transaction_id >= greatest(pg_snapshot_xmin(s), $1::xid8) AND ${visible}) AS held
         FROM pg_current_snapshot() AS s`,
        values,
      );
      const { horizon, held } = rows[0]!;
      if (!held) return raise(BigInt(horizon));
      // On a primary the drain proves a horizon past everything visible; on a replica, look again.
      if (!(await isReplica(what))) return drainAppenders(what);
      await drainAppenders(what);
    }
  };

  return { known: () => known, covering, heldBack, drainAppenders };
};
