import { DEFAULT_SCORING_POLICY, OFFICE_STREAM_ID, type ScoringPolicy } from '@duban/domain';
import type { PoolClient } from 'pg';
import type { DomainContext, TaskState } from '@duban/domain';
import {
  comparePositions,
  quartersBetween,
  quartersOf,
  supervisionProjection,
  taskCard,
  unitScorecard,
  type Engine,
  type Envelope,
  type Position,
  type SupervisionModel,
  type TaskCard,
  type UnitScore,
} from '@duban/engine';
import { PostgresStoreError } from './errors';
import type { PostgresEventStore } from './store';

export interface SqlReadModelsOptions {
  /** Scores are computed with this policy. Default: DOMAIN.md's. */
  readonly policy?: ScoringPolicy;
  /** Events folded per transaction while catching up. Default 2000. */
  readonly batchSize?: number;
  /** How long a write keeps retrying while the database is unreachable. Default 60 s. */
  readonly retryForMs?: number;
}

/**
 * The task board (台账) and the quarterly unit scores (按季度通报评分排名) as tables that a reporting tool
 * or an auditor can SELECT: `task_board` and `unit_scores` in the store's schema. One projection keeps
 * them: it folds the engine's `supervisionProjection` and writes, in one transaction per batch of
 * events, the rows those events changed, the folded state behind them and its checkpoint. So the tables
 * always reflect exactly a prefix of the global order, and a restart resumes after it.
 *
 * Rows hold the engine's own values (`taskCard`, `unitScorecard`), whole in `card` / `score_card` and in
 * typed columns for queries. The board is as of `as_of`: the latest business time among the events
 * folded; every open task's light and suggested grade are recomputed when it moves.
 */
export interface SqlReadModels {
  /** Folds and writes everything after the checkpoint; resolves with the position reached. */
  catchUp(): Promise<Position | undefined>;
  /** Catches up, then follows live events until `stop()`. */
  start(): Promise<void>;
  /** Stops following; rejects with the error that stopped it, if one did. */
  stop(): Promise<void>;
  /** Empties the tables and folds the whole history again, in one transaction. */
  rebuild(): Promise<Position | undefined>;
  /** Resolves once the tables reflect `position` (e.g. that of an append just made). */
  waitFor(position: Position): Promise<void>;
  checkpoint(): Position | undefined;
  /** The instant the board is as of (the latest `at` folded). */
  asOf(): string | undefined;
  /** The board rows' cards, in the engine's order (deadline, then task id). */
  readTaskBoard(): Promise<TaskCard[]>;
  /** A quarter's unit scores, by rank. */
  readUnitScores(quarter: string): Promise<UnitScore[]>;
}

export const SQL_READ_MODELS = 'sql-read-models';
const PROJECTION = 'supervision';

interface Meta {
  events: number;
  asOf?: string;
}

/** What a batch changed, collected while folding it. */
interface Touched {
  readonly tasks: Set<string>;
  readonly units: Set<string>;
  readonly quarters: Set<string>;
  /** An office event: calendars, policies or 通报 changed. */
  office: boolean;
  /** The history's latest business time moved. */
  time: boolean;
}

export const createSqlReadModels = (engine: Engine, options: SqlReadModelsOptions = {}): SqlReadModels => {
  const store = engine.store as Partial<PostgresEventStore>;
  if (!store.internals)
    throw new TypeError(
      'createSqlReadModels needs an engine on a PostgreSQL event store (createPostgresEventStore)',
    );
  const { db } = store.internals;
  const n = db.names;
  const ctx: DomainContext = engine.context;
  const policy = options.policy ?? DEFAULT_SCORING_POLICY;
  const batchSize = options.batchSize ?? 2000;
  const retryForMs = options.retryForMs ?? 60_000;

  let model: SupervisionModel | undefined;
  let meta: Meta = { events: 0 };
  let checkpoint: Position | undefined;
  let live: { close(): Promise<void> } | undefined;
  let loop: Promise<void> | undefined;
  let failure: unknown;
  const waiters: Array<{ position: Position; resolve: () => void; reject: (e: unknown) => void }> = [];

  /**
   * The quarters a task can be scored in: from its assignment to its closure (or to the history's latest
   * event while open) — closed in one, provisionally graded in those whose end found it overdue.
   */
  const quartersOfTask = (t: TaskState | undefined, lastAt: string | undefined): string[] =>
    t?.assigned && lastAt ? quartersBetween(t.assigned.at, t.closed?.at ?? lastAt, ctx) : [];

  const withClient = async <T>(what: string, work: (client: PoolClient) => Promise<T>): Promise<T> => {
    await db.ensureMigrated();
    let client: PoolClient;
    try {
      client = await db.pool.connect();
    } catch (error) {
      throw db.failure(error, what);
    }
    try {
      return await work(client);
    } catch (error) {
      throw db.failure(error, what);
    } finally {
      client.release();
    }
  };

  const load = async (): Promise<void> => {
    if (model) return;
    await withClient('loading the SQL read models', async (client) => {
      const saved = await client.query<{ model: Meta; c: string; p: string }>(
        `SELECT model, commit_position::text AS c, prepare_position::text AS p FROM ${n.readModels} WHERE name = $1`,
        [SQL_READ_MODELS],
      );
      const fresh = supervisionProjection.init();
      const row = saved.rows[0];
      if (row) {
        meta = row.model;
        checkpoint = { commit: BigInt(row.c), prepare: BigInt(row.p) };
        fresh.events = meta.events;
        const tasks = await client.query<{ task_id: string; state: TaskState }>(
          `SELECT task_id, state FROM ${n.taskStates} WHERE projection = $1`,
          [PROJECTION],
        );
        for (const t of tasks.rows) fresh.tasks[t.task_id] = t.state;
        const units = await client.query<{ unit_id: string; state: SupervisionModel['units'][string] }>(
          `SELECT unit_id, state FROM ${n.unitStates} WHERE projection = $1`,
          [PROJECTION],
        );
        for (const u of units.rows) fresh.units[u.unit_id] = u.state;
      } else {
        meta = { events: 0 };
        checkpoint = undefined;
      }
      model = fresh;
    });
  };

  const newTouched = (): Touched => ({
    tasks: new Set(),
    units: new Set(),
    quarters: new Set(),
    office: false,
    time: false,
  });

  /** Folds one event, noting what it changes (and the quarter a task was scored in before it). */
  const fold = (envelope: Envelope, touched: Touched): void => {
    const m = model!;
    const data = envelope.data as { taskId?: string; unitId?: string };
    if (data.taskId !== undefined && envelope.metadata.streamId.startsWith('task-')) {
      for (const q of quartersOfTask(m.tasks[data.taskId], m.lastAt)) touched.quarters.add(q);
      touched.tasks.add(data.taskId);
    } else if (data.unitId !== undefined && envelope.metadata.streamId.startsWith('unit-')) {
      touched.units.add(data.unitId);
    } else if (envelope.metadata.streamId === OFFICE_STREAM_ID) {
      // The office's record changes calendars, policies and published 通报: every quarter may move.
      touched.office = true;
    }
    const lastBefore = m.lastAt;
    supervisionProjection.apply(m, envelope);
    // Time moved on: quarters that ended meanwhile may now find open tasks overdue at their end.
    if (m.lastAt !== lastBefore) touched.time = true;
    if (!meta.asOf || Date.parse(envelope.metadata.at) > Date.parse(meta.asOf))
      meta.asOf = envelope.metadata.at;
    meta.events = m.events;
  };

  /** Writes what a batch changed, the state behind it and the checkpoint, in the client's transaction. */
  const write = async (client: PoolClient, touched: Touched, asOfMoved: boolean, position: Position) => {
    const m = model!;
    const asOf = meta.asOf!;
    for (const id of touched.tasks)
      for (const q of quartersOfTask(m.tasks[id], m.lastAt)) touched.quarters.add(q);
    if (touched.office || touched.time) for (const q of quartersOf(m, ctx)) touched.quarters.add(q);
    for (const id of touched.units)
      for (const i of m.units[id]?.interviewsHeld ?? []) touched.quarters.add(ctx.calendar.quarterOf(i.at));

    if (touched.tasks.size > 0)
      await client.query(
        `INSERT INTO ${n.taskStates} (projection, task_id, state)
         SELECT $1, x->>'id', x->'state' FROM json_array_elements($2::json) x
         ON CONFLICT (projection, task_id) DO UPDATE SET state = EXCLUDED.state`,
        [PROJECTION, JSON.stringify([...touched.tasks].map((id) => ({ id, state: m.tasks[id] })))],
      );
    if (touched.units.size > 0)
      await client.query(
        `INSERT INTO ${n.unitStates} (projection, unit_id, state)
         SELECT $1, x->>'id', x->'state' FROM json_array_elements($2::json) x
         ON CONFLICT (projection, unit_id) DO UPDATE SET state = EXCLUDED.state`,
        [PROJECTION, JSON.stringify([...touched.units].map((id) => ({ id, state: m.units[id] })))],
      );

    // Cards: the tasks the batch touched, and every open one when the board's instant moved (lights and
    // suggested grades depend on it; a closed task's card does not).
    const cards: TaskCard[] = [];
    for (const state of Object.values(m.tasks)) {
      if (state.status === 'none') continue;
      if (touched.tasks.has(state.taskId) || (asOfMoved && state.status !== 'closed'))
        cards.push(taskCard(state, asOf, ctx));
    }
    if (cards.length > 0)
      await client.query(
        `INSERT INTO ${n.taskBoard} (task_id, title, source, key, status, lead_unit, co_units, supervisor,
           deadline, original_deadline, extended, light, percent_complete, urges, open_rectifications,
           suggested_grade, final_grade, closed_at, as_of, card)
         SELECT c->>'taskId', c->>'title', c->>'source', (c->>'key')::boolean, c->>'status', c->>'leadUnit',
           ARRAY(SELECT json_array_elements_text(c->'coUnits')), c->>'supervisor',
           (c->>'deadline')::timestamptz, (c->>'originalDeadline')::timestamptz, (c->>'extended')::boolean,
           c->>'light', (c->>'percentComplete')::numeric, (c->>'urges')::integer,
           ARRAY(SELECT json_array_elements_text(c->'openRectifications')), c->>'suggestedGrade',
           c->>'finalGrade', (c->>'closedAt')::timestamptz, $2::timestamptz, c
         FROM json_array_elements($1::json) c
         ON CONFLICT (task_id) DO UPDATE SET title = EXCLUDED.title, source = EXCLUDED.source, key = EXCLUDED.key,
           status = EXCLUDED.status, lead_unit = EXCLUDED.lead_unit, co_units = EXCLUDED.co_units,
           supervisor = EXCLUDED.supervisor, deadline = EXCLUDED.deadline,
           original_deadline = EXCLUDED.original_deadline, extended = EXCLUDED.extended, light = EXCLUDED.light,
           percent_complete = EXCLUDED.percent_complete, urges = EXCLUDED.urges,
           open_rectifications = EXCLUDED.open_rectifications, suggested_grade = EXCLUDED.suggested_grade,
           final_grade = EXCLUDED.final_grade, closed_at = EXCLUDED.closed_at, as_of = EXCLUDED.as_of,
           card = EXCLUDED.card`,
        [JSON.stringify(cards), asOf],
      );
    if (asOfMoved) await client.query(`UPDATE ${n.taskBoard} SET as_of = $1::timestamptz`, [asOf]);

    if (touched.quarters.size > 0) {
      const quarters = [...touched.quarters];
      const scores = quarters.flatMap((q) => unitScorecard(m, q, policy, ctx));
      await client.query(`DELETE FROM ${n.unitScores} WHERE quarter = ANY($1::text[])`, [quarters]);
      if (scores.length > 0)
        await client.query(
          `INSERT INTO ${n.unitScores} (quarter, unit_id, rank, score, average, deductions, overdue, tasks_by_grade, score_card)
           SELECT s->>'quarter', s->>'unitId', (s->>'rank')::integer, (s->>'score')::numeric,
             (s->>'average')::numeric, (s->>'deductions')::numeric, (s->>'overdue')::integer, s->'tasksByGrade', s
           FROM json_array_elements($1::json) s`,
          [JSON.stringify(scores)],
        );
    }

    // The checkpoint moves only from where this instance read it: a second instance writing the same
    // tables is refused instead of interleaving.
    const moved = checkpoint
      ? await client.query(
          `UPDATE ${n.readModels} SET model = $2::json, commit_position = $3, prepare_position = $4, updated_at = now()
           WHERE name = $1 AND commit_position = $5 AND prepare_position = $6`,
          [
            SQL_READ_MODELS,
            JSON.stringify(meta),
            position.commit.toString(),
            position.prepare.toString(),
            checkpoint.commit.toString(),
            checkpoint.prepare.toString(),
          ],
        )
      : await client.query(
          `INSERT INTO ${n.readModels} (name, model, commit_position, prepare_position) VALUES ($1, $2::json, $3, $4)
           ON CONFLICT (name) DO NOTHING`,
          [SQL_READ_MODELS, JSON.stringify(meta), position.commit.toString(), position.prepare.toString()],
        );
    if (moved.rowCount !== 1)
      throw new PostgresStoreError(
        'ProjectionConflict',
        `${db.target.label}: the SQL read models' checkpoint moved under this instance (another instance writes them); reload and catch up`,
      );
  };

  /** One transaction: the batch's rows, state and checkpoint, retried while the database is away. */
  const flush = async (touched: Touched, asOfMoved: boolean, position: Position): Promise<void> => {
    const started = Date.now();
    for (let delay = 50; ; delay = Math.min(delay * 2, 2_000)) {
      try {
        await withClient('writing the SQL read models', async (client) => {
          await client.query('BEGIN');
          try {
            await write(client, { ...touched, quarters: new Set(touched.quarters) }, asOfMoved, position);
            await client.query('COMMIT');
          } catch (error) {
            await client.query('ROLLBACK').catch(() => undefined);
            throw error;
          }
        });
        checkpoint = position;
        for (let i = waiters.length - 1; i >= 0; i--)
          if (comparePositions(position, waiters[i]!.position) >= 0) waiters.splice(i, 1)[0]!.resolve();
        return;
      } catch (error) {
        const transient =
          error instanceof PostgresStoreError &&
          (error.code === 'StoreUnavailable' || error.code === 'PoolExhausted');
        if (!transient || Date.now() - started >= retryForMs) {
          model = undefined; // the database did not take the batch: reload before folding again
          throw error;
        }
        db.log({
          level: 'warn',
          event: 'read-model-retry',
          message: `${error.message}; writing the SQL read models again in ${delay} ms`,
        });
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  };

  /** Folds and writes envelopes in batches: `next()` gives the next one, or undefined when none is ready. */
  const drain = async (next: () => Promise<Envelope | undefined>): Promise<void> => {
    for (;;) {
      const touched = newTouched();
      const asOfBefore = meta.asOf;
      let last: Position | undefined;
      for (let count = 0; count < batchSize; count++) {
        const envelope = await next();
        if (!envelope) break;
        if (checkpoint && envelope.position && comparePositions(envelope.position, checkpoint) <= 0) continue;
        fold(envelope, touched);
        last = envelope.position;
      }
      if (!last) return;
      await flush(touched, meta.asOf !== asOfBefore, last);
    }
  };

  const catchUp = async (): Promise<Position | undefined> => {
    await load();
    const source = engine.readAll({ fromPosition: checkpoint ?? 'start' })[Symbol.asyncIterator]();
    await drain(async () => {
      const step = await source.next();
      return step.done ? undefined : step.value;
    });
    return checkpoint;
  };

  return {
    catchUp,
    async start() {
      failure = undefined;
      await catchUp();
      const subscription = engine.subscribe({ fromPosition: checkpoint ?? 'start' });
      live = subscription;
      const events = subscription[Symbol.asyncIterator]();
      const notReady = Symbol('not ready');
      let pending: Promise<IteratorResult<Envelope>> | undefined;
      loop = (async () => {
        for (;;) {
          // Wait for one event, then take those already delivered with it into the same batch.
          const first = await (pending ?? events.next());
          pending = undefined;
          if (first.done) return;
          let handedFirst = false;
          await drain(async () => {
            if (!handedFirst) {
              handedFirst = true;
              return first.value;
            }
            pending ??= events.next(); // one request at a time: a pending one is kept for the next batch
            const ready = await Promise.race([
              pending,
              new Promise<typeof notReady>((resolve) => setImmediate(() => resolve(notReady))),
            ]);
            if (ready === notReady || ready.done) return undefined;
            pending = undefined;
            return ready.value;
          });
        }
      })().catch((error: unknown) => {
        failure = error;
        for (const w of waiters.splice(0)) w.reject(error);
      });
    },
    async stop() {
      await live?.close();
      await loop;
      live = undefined;
      loop = undefined;
      if (failure) throw failure;
    },
    async rebuild() {
      await withClient('rebuilding the SQL read models', async (client) => {
        await client.query('BEGIN');
        try {
          for (const table of [n.taskBoard, n.unitScores]) await client.query(`DELETE FROM ${table}`);
          for (const table of [n.taskStates, n.unitStates])
            await client.query(`DELETE FROM ${table} WHERE projection = $1`, [PROJECTION]);
          await client.query(`DELETE FROM ${n.readModels} WHERE name = $1`, [SQL_READ_MODELS]);
          model = supervisionProjection.init();
          meta = { events: 0 };
          checkpoint = undefined;
          const touched = newTouched();
          let last: Position | undefined;
          for await (const envelope of engine.readAll()) {
            fold(envelope, touched);
            last = envelope.position;
          }
          if (last) await write(client, touched, true, last);
          await client.query('COMMIT');
          checkpoint = last;
        } catch (error) {
          await client.query('ROLLBACK').catch(() => undefined);
          model = undefined;
          throw error;
        }
      });
      return checkpoint;
    },
    waitFor: (position) =>
      failure
        ? Promise.reject(failure)
        : checkpoint && comparePositions(checkpoint, position) >= 0
          ? Promise.resolve()
          : new Promise((resolve, reject) => waiters.push({ position, resolve, reject })),
    checkpoint: () => checkpoint,
    asOf: () => meta.asOf,
    async readTaskBoard() {
      const rows = await db.query<{ card: TaskCard }>(
        'reading the task board',
        `SELECT card FROM ${n.taskBoard}`,
      );
      return rows
        .map((r) => r.card)
        .sort((a, b) => Date.parse(a.deadline) - Date.parse(b.deadline) || a.taskId.localeCompare(b.taskId));
    },
    async readUnitScores(quarter) {
      const rows = await db.query<{ score_card: UnitScore }>(
        `reading the unit scores of ${quarter}`,
        `SELECT score_card FROM ${n.unitScores} WHERE quarter = $1`,
        [quarter],
      );
      // The engine's order: rank, and units sharing a rank by id.
      return rows
        .map((r) => r.score_card)
        .sort((a, b) => a.rank - b.rank || a.unitId.localeCompare(b.unitId));
    },
  };
};
