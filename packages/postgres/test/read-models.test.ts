import { DEFAULT_SCORING_POLICY } from '@duban/domain';
import { isRight } from 'fp-ts/Either';
import { Client } from 'pg';
import {
  createEngine,
  quartersOf,
  rebuild,
  supervisionProjection,
  taskBoard,
  unitScorecard,
  type Engine,
  type Position,
} from '@duban/engine';
import { runQuarterScenario, runSeedWorkflow, taskFixture, executeOrThrow } from '@duban/testing';
import {
  createPostgresEventStore,
  createSqlReadModels,
  PostgresStoreError,
  type PostgresEventStore,
  type SqlReadModels,
} from '../src';
import { describePostgres } from './support/database';

const json = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

const head = async (store: PostgresEventStore): Promise<Position> => {
  for await (const e of store.readAll({ direction: 'backwards', maxCount: 1 })) return e.position;
  throw new Error('the store is empty');
};

/** Interviews of a unit (unit stream events, scored in the quarter they were held). */
const interview = async (engine: Engine, unitId: string, n: number, at: string) => {
  const run = async (type: string, data: object, id: string) => {
    const result = await engine.execute(
      { type, data: { unitId, ...data } },
      { actor: { id: 'mayor', kind: 'main-leader' }, at, commandId: id },
    );
    if (!isRight(result)) throw new Error(JSON.stringify(result.left));
  };
  await run(
    'ScheduleInterview',
    { interviewId: `I-${n}`, interviewee: 'principal', reason: 'Ranked last', scheduledFor: at },
    `schedule-${unitId}-${n}`,
  );
  await run(
    'RecordInterview',
    { interviewId: `I-${n}`, summary: 'A plan was promised' },
    `record-${unitId}-${n}`,
  );
};

describePostgres('SQL read models: the task board and the quarterly unit scores as tables', (database) => {
  let store: PostgresEventStore;
  let engine: Engine;
  let sql: Client;

  /** The engine's own values from a fold of the whole history, as of the tables' instant. */
  const expected = async (asOf: string) => {
    const model = await rebuild(supervisionProjection, engine.readAll());
    const quarters = quartersOf(model, engine.context);
    return {
      board: json(taskBoard(model, asOf, engine.context)),
      scores: Object.fromEntries(
        quarters.map((q) => [q, json(unitScorecard(model, q, DEFAULT_SCORING_POLICY, engine.context))]),
      ),
      events: model.events,
    };
  };

  const actual = async (models: SqlReadModels) => {
    const board = await models.readTaskBoard();
    const { rows } = await sql.query<{ quarter: string }>('SELECT DISTINCT quarter FROM duban.unit_scores');
    const scores: Record<string, unknown> = {};
    for (const { quarter } of rows.sort((a, b) => a.quarter.localeCompare(b.quarter)))
      scores[quarter] = await models.readUnitScores(quarter);
    const meta = await sql.query<{ model: { events: number } }>(
      `SELECT model FROM duban.read_models WHERE name = 'sql-read-models'`,
    );
    return { board, scores, events: meta.rows[0]?.model.events };
  };

  beforeAll(async () => {
    store = createPostgresEventStore(database().url);
    await store.migrate();
    engine = createEngine({ store });
    sql = new Client(database().url);
    await sql.connect();
    await runSeedWorkflow(engine);
    await runQuarterScenario(engine);
    await interview(engine, 'bureau-of-transport', 1, '2022-03-21T10:00:00+08:00');
  });
  afterAll(async () => {
    await sql.end();
    await store.close();
  });

  it('catches up to tables equal to the in-memory projection, row for row', async () => {
    const models = createSqlReadModels(engine);
    const position = await models.catchUp();
    expect(position).toEqual(await head(store));
    const asOf = models.asOf()!;
    expect(await actual(models)).toEqual(await expected(asOf));
    expect(Object.keys((await actual(models)).scores)).toEqual(['2022Q1']);
  });

  it('keeps typed columns a reporting tool can query', async () => {
    const { rows } = await sql.query<{ unit_id: string; rank: number; score: string; deductions: string }>(
      `SELECT unit_id, rank, score::text AS score, deductions::text AS deductions
       FROM duban.unit_scores WHERE quarter = '2022Q1' ORDER BY rank, unit_id`,
    );
    const model = await rebuild(supervisionProjection, engine.readAll());
    const card = unitScorecard(model, '2022Q1', DEFAULT_SCORING_POLICY, engine.context);
    expect(rows.map((r) => [r.unit_id, r.rank, Number(r.score), Number(r.deductions)])).toEqual(
      card.map((s) => [s.unitId, s.rank, s.score, s.deductions]),
    );
    const board = await sql.query<{ task_id: string; status: string; light: string; co_units: string[] }>(
      `SELECT task_id, status, light, co_units FROM duban.task_board ORDER BY deadline, task_id`,
    );
    const cards = taskBoard(model, '2022-04-01T00:00:00Z', engine.context); // which tasks: any instant
    expect(new Set(board.rows.map((r) => r.task_id))).toEqual(new Set(cards.map((c) => c.taskId)));
    expect(board.rows.find((r) => r.task_id === 'T3')).toMatchObject({
      status: 'closed',
      light: 'none',
      co_units: ['bureau-of-commerce'],
    });
  });

  it('follows live commands, each batch with its checkpoint in one transaction', async () => {
    const models = createSqlReadModels(engine);
    await models.start();
    try {
      const t4 = taskFixture({ taskId: 'T4', assignedAt: '2022-04-06T09:00:00.000+08:00' });
      for (const [k, c] of [t4.assign(), t4.accept(), t4.report(), t4.urge()].entries())
        await executeOrThrow(engine, c, `live-T4-${k}`);
      await interview(engine, 'bureau-of-finance', 2, '2022-04-20T10:00:00+08:00');
      await models.waitFor(await head(store));
      expect(await actual(models)).toEqual(await expected(models.asOf()!));
      expect((await models.readTaskBoard()).find((c) => c.taskId === 'T4')).toMatchObject({ urges: 1 });
    } finally {
      await models.stop();
    }
  });

  it('a new instance resumes from the checkpoint: nothing is folded twice', async () => {
    const t5 = taskFixture({ taskId: 'T5', assignedAt: '2022-05-09T09:00:00.000+08:00' });
    for (const [k, c] of [t5.assign(), t5.accept()].entries())
      await executeOrThrow(engine, c, `resume-T5-${k}`);
    const restarted = createSqlReadModels(engine);
    await restarted.catchUp();
    const now = await actual(restarted);
    expect(now).toEqual(await expected(restarted.asOf()!));
    expect(now.events).toBe((await expected(restarted.asOf()!)).events);
  });

  it('rebuilds from scratch to the same tables', async () => {
    const models = createSqlReadModels(engine);
    await models.catchUp();
    const before = await actual(models);
    await sql.query(`UPDATE duban.task_board SET light = 'tampered', card = '{}'`);
    await models.rebuild();
    expect(await actual(models)).toEqual(before);
    expect(
      (await sql.query(`SELECT count(*)::int AS n FROM duban.task_board WHERE light = 'tampered'`)).rows[0],
    ).toEqual({ n: 0 });
  });

  it('refuses a second instance that writes from a checkpoint the first has moved', async () => {
    const first = createSqlReadModels(engine);
    const second = createSqlReadModels(engine);
    await first.catchUp();
    await second.catchUp();
    const t6 = taskFixture({ taskId: 'T6', assignedAt: '2022-06-01T09:00:00.000+08:00' });
    await executeOrThrow(engine, t6.assign(), 'conflict-T6-0');
    await first.catchUp();
    await executeOrThrow(engine, t6.accept(), 'conflict-T6-1');
    const refused = await second.catchUp().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(PostgresStoreError);
    expect(refused).toMatchObject({ code: 'ProjectionConflict' });
    // The refused instance reloads and carries on from the stored checkpoint.
    await second.catchUp();
    expect(await actual(second)).toEqual(await expected(second.asOf()!));
  });
});
