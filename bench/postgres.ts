import { CommandHandler } from '@event-driven-io/emmett';
import { getPostgreSQLEventStore, readMessagesBatch } from '@event-driven-io/emmett-postgresql';
import { dumbo } from '@event-driven-io/dumbo';
import { isLeft } from 'fp-ts/Either';
import { Client, Pool } from 'pg';
import {
  decideTask,
  defaultContext,
  initialTaskState,
  type TaskCommand,
  type TaskEvent,
  type TaskState,
} from '@duban/domain';
import {
  createEngine,
  createInMemoryEventStore,
  createUpcasterRegistry,
  supervisionProjection,
  type Envelope,
} from '@duban/engine';
import { createPostgresEventStore, type PostgresEventStore } from '@duban/postgres';
import { envelopesPath, loadCommandSlice, loadNdjson } from './data';
import { baselineApply, baselineInitial, evolveImmutable } from './folds';
import { byStream, digestOf, seedStreams } from './streams';
import type { SizeName, WorkloadCommand } from './workload';

/**
 * The PostgreSQL tables of the benchmark, on one server that run.ts starts (DUBAN_BENCH_PG_URL): the
 * command path at 1 and at 8 concurrent writers on distinct streams, and a catch-up replay of the whole
 * history from `$all`. Rows: Duban's adapter; Emmett's PostgreSQL store with the same logic in its style;
 * and the floor (plain SQL doing the same writes or reads, nothing decoded or hashed). Each row works in
 * a database of its own, created at load (untimed).
 */

/** Commands per run of the command path (a prefix of the workload's command slice, in global order). */
export const PG_COMMANDS: Record<SizeName, number> = { quick: 500, full: 3_000, province: 3_000 };
/** Events replayed from `$all` (whole tasks: the oldest tasks' lives, in global order). */
export const PG_REPLAY_EVENTS: Record<SizeName, number> = { quick: 50_000, full: 200_000, province: 200_000 };

/** Runs a row may be asked for (warm-up included): run.ts does at most 9 rounds. */
const PLANNED_RUNS = 12;

export interface PgSetup {
  readonly unit: 'events' | 'commands';
  readonly work: number;
  readonly note?: string;
  readonly run: (limit: number) => Promise<number>;
  readonly close: () => Promise<void>;
}

const serverUrl = (): string => {
  const url = process.env.DUBAN_BENCH_PG_URL;
  if (!url) throw new Error('no PostgreSQL server (run.ts starts one and sets DUBAN_BENCH_PG_URL)');
  return url;
};

/** A fresh database for one row of one table. */
const freshDatabase = async (name: string): Promise<string> => {
  const admin = new Client({ connectionString: serverUrl() });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl());
  url.pathname = `/${name}`;
  return url.toString();
};

/** The commands of one timed run, their tasks renamed so that every run starts from empty streams. */
const commandsFor = (all: readonly WorkloadCommand[], run: number, limit: number): WorkloadCommand[] =>
  all.slice(0, limit).map(({ commandId, command }) => ({
    commandId: `r${run}:${commandId}`,
    command: {
      ...command,
      data: { ...command.data, taskId: `r${run}.${command.data.taskId}` },
    } as TaskCommand,
  }));

/** Commands split over `writers` lanes by task, each lane in global order: distinct streams per lane. */
const lanes = (commands: readonly WorkloadCommand[], writers: number): WorkloadCommand[][] => {
  const out: WorkloadCommand[][] = Array.from({ length: writers }, () => []);
  const laneOf = new Map<string, number>();
  for (const c of commands) {
    const id = c.command.data.taskId;
    if (!laneOf.has(id)) laneOf.set(id, laneOf.size % writers);
    out[laneOf.get(id)!]!.push(c);
  }
  return out;
};

const inLanes = async (
  commands: readonly WorkloadCommand[],
  writers: number,
  handle: (c: WorkloadCommand) => Promise<number>,
): Promise<number> => {
  const counts = await Promise.all(
    lanes(commands, writers).map(async (lane) => {
      let n = 0;
      for (const c of lane) n += await handle(c);
      return n;
    }),
  );
  return counts.reduce((a, b) => a + b, 0);
};

type EmmettTaskEvent = { type: TaskEvent['type']; data: TaskEvent['data'] };

export const pgCommand = async (row: string, size: SizeName, writers: number): Promise<PgSetup> => {
  const all = loadCommandSlice(size);
  const work = Math.min(PG_COMMANDS[size], all.length);
  const ctx = defaultContext();
  const database = await freshDatabase(`bench_command_${writers}_${row.replace(/-/g, '_')}`);
  let runs = 0;
  const next = (limit: number) => commandsFor(all, runs++, limit);

  if (row === 'duban' || row === 'duban-append-lock' || row === 'duban-no-order') {
    const store: PostgresEventStore = createPostgresEventStore(database, { poolSize: writers + 2 });
    await store.migrate();
    // Variants for the cost of ordering: a serialising lock per append (readers then need no snapshot
    // rule), or no appenders' lock at all (unsound for readers: the cost floor of the shipped design).
    if (row !== 'duban') {
      const client = new Client({ connectionString: database });
      await client.connect();
      const { rows } = await client.query<{ def: string }>(
        `SELECT pg_get_functiondef('duban.append_events'::regproc) AS def`,
      );
      const shared = /PERFORM pg_advisory_xact_lock_shared\(([-0-9]+), 0\);/;
      const def =
        row === 'duban-append-lock'
          ? rows[0]!.def.replace(shared, 'PERFORM pg_advisory_xact_lock($1, 0);')
          : rows[0]!.def.replace(shared, '');
      if (def === rows[0]!.def) throw new Error('append_events changed: the ordering variants need updating');
      await client.query(def);
      await client.end();
    }
    const engine = createEngine({ store });
    return {
      unit: 'commands',
      work,
      run: (limit) =>
        inLanes(next(limit), writers, async ({ commandId, command }) => {
          const result = await engine.execute(
            { type: command.type, data: command.data },
            { actor: command.actor, at: command.at, commandId },
          );
          if (isLeft(result)) throw new Error(`${command.type} rejected: ${result.left.message}`);
          return result.right.events.length;
        }),
      close: () => store.close(),
    };
  }
  if (row === 'emmett') {
    const store = getPostgreSQLEventStore(database, { connectionOptions: { max: writers + 2 } as never });
    await store.schema.migrate();
    const handle = CommandHandler<TaskState, EmmettTaskEvent>({
      evolve: (state, event) => evolveImmutable(state, event.type, event.data),
      initialState: initialTaskState,
      mapToStreamId: (taskId) => `task-${taskId}`,
    });
    return {
      unit: 'commands',
      work,
      run: (limit) =>
        inLanes(next(limit), writers, async ({ command }) => {
          const result = await handle(store, command.data.taskId, (state) => {
            const decision = decideTask(command, state, ctx);
            if (isLeft(decision)) throw new Error(`${command.type} rejected: ${decision.left.message}`);
            return decision.right as EmmettTaskEvent[];
          });
          return result.newEvents.length;
        }),
      close: () => store.close(),
    };
  }
  if (row === 'floor') {
    // The rows Duban writes, decided beforehand (untimed, on the in-memory store): each command's
    // events inserted by one multi-row INSERT in a transaction of its own.
    const pool = new Pool({ connectionString: database, max: writers + 2 });
    await pool.query(`CREATE TABLE events (
      sequence bigserial PRIMARY KEY, stream_id text NOT NULL, revision bigint NOT NULL, event_id uuid NOT NULL,
      type text NOT NULL, data json NOT NULL, metadata json NOT NULL, UNIQUE (stream_id, revision))`);
    // Decided for every run beforehand (untimed): the same commands Duban's row runs, renamed alike.
    const rowsOf = new Map<string, Envelope[]>();
    const plans: WorkloadCommand[][] = [];
    for (let run = 0; run < PLANNED_RUNS; run++) {
      const commands = commandsFor(all, run, work);
      const engine = createEngine({ store: createInMemoryEventStore() });
      for (const { commandId, command } of commands) {
        const result = await engine.execute(
          { type: command.type, data: command.data },
          { actor: command.actor, at: command.at, commandId },
        );
        if (isLeft(result)) throw new Error(result.left.message);
        rowsOf.set(commandId, [...result.right.events]);
      }
      plans.push(commands);
    }
    return {
      unit: 'commands',
      work,
      run: async (limit) => {
        const commands = plans[runs++]?.slice(0, limit);
        if (!commands) throw new Error(`the floor row planned ${PLANNED_RUNS} runs`);
        return inLanes(commands, writers, async ({ commandId }) => {
          const events = rowsOf.get(commandId)!;
          if (events.length === 0) return 0;
          const client = await pool.connect();
          try {
            const values: unknown[] = [];
            const tuples = events.map((e) => {
              values.push(e.metadata.streamId, e.metadata.revision, e.metadata.eventId, e.type);
              values.push(JSON.stringify(e.data), JSON.stringify(e.metadata));
              const k = values.length;
              return `($${k - 5}, $${k - 4}, $${k - 3}, $${k - 2}, $${k - 1}, $${k})`;
            });
            await client.query('BEGIN');
            await client.query(
              `INSERT INTO events (stream_id, revision, event_id, type, data, metadata) VALUES ${tuples.join(', ')}`,
              values,
            );
            await client.query('COMMIT');
          } finally {
            client.release();
          }
          return events.length;
        });
      },
      close: () => pool.end(),
    };
  }
  throw new Error(`no PostgreSQL command row ${row}`);
};

/** The oldest tasks' whole lives, in global order, up to `limit` events. */
const replayHistory = (size: SizeName): Envelope[] => {
  const upcasters = createUpcasterRegistry();
  const all = loadNdjson<Envelope>(envelopesPath(size));
  const limit = PG_REPLAY_EVENTS[size];
  if (all.length <= limit) return all.map((e) => upcasters.upcast(e));
  const counts = new Map<string, number>();
  for (const e of all) counts.set(e.metadata.streamId, (counts.get(e.metadata.streamId) ?? 0) + 1);
  const chosen = new Set<string>();
  let total = 0;
  for (const [stream, n] of counts) {
    if (total + n > limit) break;
    chosen.add(stream);
    total += n;
  }
  return all.filter((e) => chosen.has(e.metadata.streamId)).map((e) => upcasters.upcast(e));
};

export const pgReplay = async (row: string, size: SizeName): Promise<PgSetup> => {
  let history = replayHistory(size);
  const work = history.length;
  const database = await freshDatabase(`bench_replay_${row}`);
  const streams = byStream(history);
  history = [];

  if (row === 'duban') {
    // Seeded as the engine wrote it, one append per stream (untimed); replayed by the engine from $all.
    const store = createPostgresEventStore(database, { readPageSize: 2000 });
    await store.migrate();
    await seedStreams(store, streams);
    streams.clear();
    const engine = createEngine({ store });
    return {
      unit: 'events',
      work,
      run: async (limit) => {
        const model = supervisionProjection.init();
        let i = 0;
        for await (const envelope of engine.readAll()) {
          if (i++ >= limit) break;
          supervisionProjection.apply(model, envelope);
        }
        return digestOf(Object.values(model.tasks));
      },
      close: () => store.close(),
    };
  }
  if (row === 'emmett') {
    const store = getPostgreSQLEventStore(database);
    await store.schema.migrate();
    for (const [streamId, events] of streams)
      await store.appendToStream(
        streamId,
        events.map((e) => ({ type: e.type, data: e.data }) as EmmettTaskEvent),
      );
    streams.clear();
    const pool = dumbo({ connectionString: database });
    return {
      unit: 'events',
      work,
      run: async (limit) => {
        // Emmett's own reader of the global log, batch by batch, folding with its immutable evolve.
        const states = new Map<string, TaskState>();
        let after: bigint | undefined;
        let seen = 0;
        for (;;) {
          const batch = await readMessagesBatch<EmmettTaskEvent>(
            pool.execute,
            after === undefined ? { from: 0n, batchSize: 2000 } : { after, batchSize: 2000 },
          );
          for (const m of batch.messages) {
            if (seen++ >= limit) break;
            const id = (m.data as { taskId: string }).taskId;
            states.set(id, evolveImmutable(states.get(id) ?? initialTaskState(), m.type, m.data));
          }
          if (!batch.areMessagesLeft || batch.messages.length === 0 || seen >= limit) break;
          after = batch.currentGlobalPosition;
        }
        return digestOf(states.values());
      },
      close: async () => {
        await pool.close();
        await store.close();
      },
    };
  }
  if (row === 'floor') {
    // The same rows, read back with a plain keyset-paged SELECT and folded by the hand-written switch.
    const pool = new Pool({ connectionString: database, max: 2 });
    await pool.query(`CREATE TABLE events (sequence bigserial PRIMARY KEY, stream_id text NOT NULL,
      type text NOT NULL, data json NOT NULL, metadata json NOT NULL)`);
    const ordered = [...streams.values()].flat();
    streams.clear();
    for (let i = 0; i < ordered.length; i += 500) {
      const chunk = ordered.slice(i, i + 500);
      await pool.query(
        `INSERT INTO events (stream_id, type, data, metadata)
         SELECT x->>'s', x->>'t', x->'d', x->'m' FROM json_array_elements($1::json) x`,
        [JSON.stringify(chunk.map((e) => ({ s: e.metadata.streamId, t: e.type, d: e.data, m: e.metadata })))],
      );
    }
    return {
      unit: 'events',
      work,
      run: async (limit) => {
        const states = new Map<string, TaskState>();
        let after = 0;
        let seen = 0;
        for (;;) {
          const { rows } = await pool.query<{ sequence: string; type: string; data: TaskEvent['data'] }>(
            'SELECT sequence, type, data, metadata FROM events WHERE sequence > $1 ORDER BY sequence LIMIT 2000',
            [after],
          );
          for (const r of rows) {
            if (seen++ >= limit) break;
            let s = states.get(r.data.taskId);
            if (!s) states.set(r.data.taskId, (s = baselineInitial()));
            baselineApply(s, { type: r.type, data: r.data } as TaskEvent);
          }
          if (rows.length < 2000 || seen >= limit) break;
          after = Number(rows[rows.length - 1]!.sequence);
        }
        return digestOf(states.values());
      },
      close: () => pool.end(),
    };
  }
  throw new Error(`no PostgreSQL replay row ${row}`);
};
