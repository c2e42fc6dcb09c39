import { isRight } from 'fp-ts/Either';
import {
  createEngine,
  createProjectionRunner,
  type AppendResult,
  type Envelope,
  type Projection,
  type ProposedEvent,
  type RecordedEvent,
} from '@duban/engine';
import { taskFixture, executeOrThrow, orThrow } from '@duban/testing';
import {
  createPostgresEventStore,
  createPostgresReadModelStore,
  createSqlReadModels,
  type PostgresEventStore,
} from '../src';
import { binDir, startEmbeddedPostgres, type EmbeddedPostgres } from './support/embedded-server';
import { batch, collect, logRecorder, prefix, takeUntil } from './support/helpers';

/**
 * The server restarted under running readers. These tests need a server of their own to restart, so they
 * start one (also when DUBAN_PG_URL names a shared server), from the same binaries as the run's.
 */
const available = (() => {
  if (process.env.DUBAN_PG_SKIP) return process.env.DUBAN_PG_SKIP;
  try {
    binDir();
    return true;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
})();

/** Appends, retrying while the server is away (the same events and expected revision: idempotent). */
const appendSurely = async (
  store: PostgresEventStore,
  streamId: string,
  events: ProposedEvent[],
  expectedRevision: bigint | 'no-stream',
): Promise<AppendResult> => {
  for (let attempt = 0; attempt < 200; attempt++) {
    const result = await store.appendToStream(streamId, events, { expectedRevision });
    if (isRight(result)) return result.right;
    if (result.left.code !== 'StoreUnavailable') throw new Error(result.left.message);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`could not append to ${streamId} after the restart`);
};

/** Records every envelope it folds, so a repeat or a gap shows. */
const recorder: Projection<{ seen: string[] }> = {
  name: 'restart-recorder',
  init: () => ({ seen: [] }),
  apply: (model, envelope: Envelope) => void model.seen.push(envelope.metadata.eventId),
};

(available === true ? describe : describe.skip)('a PostgreSQL server restarted under running readers', () => {
  let server: EmbeddedPostgres;
  let store: PostgresEventStore;
  const logs = logRecorder();

  beforeAll(async () => {
    server = await startEmbeddedPostgres({ settings: { fsync: 'off' } });
    store = createPostgresEventStore(server.url, { log: logs.log, pollIntervalMs: 200 });
    await store.migrate();
  }, 60_000);
  afterAll(async () => {
    await store?.close();
    await server?.stop();
  });

  it('a live subscription keeps its place: nothing missed, nothing delivered twice', async () => {
    const s = `${prefix()}s`;
    const before = batch(20);
    await appendSurely(store, s, before, 'no-stream');
    const subscription = store.subscribeToAll({ streamPrefixes: [s] });
    const events = subscription[Symbol.asyncIterator]();
    try {
      const first = await takeUntil(events, (e) => e.eventId === before[19]!.eventId);
      const lost = logs.next('listener-lost');
      await server.restart();
      await lost;
      const after = batch(20);
      for (const [k, e] of after.entries()) await appendSurely(store, s, [e], BigInt(19 + k));
      const rest: RecordedEvent[] = await takeUntil(events, (e) => e.eventId === after[19]!.eventId);
      expect([...first, ...rest].map((e) => e.eventId)).toEqual([...before, ...after].map((e) => e.eventId));
      expect([...first, ...rest].map((e) => e.revision)).toEqual(
        Array.from({ length: 40 }, (_, k) => BigInt(k)),
      );
    } finally {
      await subscription.close();
    }
  }, 60_000);

  it("the engine's projection runner and the SQL read models resume from their checkpoints", async () => {
    const engine = createEngine({ store });
    const readModelStore = createPostgresReadModelStore<{ seen: string[] }>(store);
    const runner = createProjectionRunner({
      engine,
      projection: recorder,
      store: readModelStore,
      saveEvery: 1,
    });
    const tables = createSqlReadModels(engine);
    await runner.start();
    await tables.start();
    const f = taskFixture({ taskId: `R-${prefix()}` });
    const commands = [f.assign(), f.accept(), f.submitPlan(), f.report(), f.urge()];
    for (const [k, c] of commands.slice(0, 2).entries()) await executeOrThrow(engine, c, `restart-${k}`);
    await server.restart();
    for (const [k, c] of commands.slice(2).entries()) {
      for (let attempt = 0; ; attempt++) {
        const result = await engine.execute(
          { type: c.type, data: c.data },
          { actor: c.actor, at: c.at, commandId: `restart-${k + 2}` },
        );
        if (isRight(result)) break;
        if (attempt > 100 || result.left.kind !== 'StoreError') throw new Error(result.left.message);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    let head: RecordedEvent | undefined;
    for await (const e of store.readAll({ direction: 'backwards', maxCount: 1 })) head = e;
    await runner.waitFor(head!.position);
    await tables.waitFor(head!.position);
    await runner.stop();
    await tables.stop();

    const all = (await collect(engine.readAll())).map((e) => e.metadata.eventId);
    expect(runner.current().seen).toEqual(all); // each once, in order, across the restart
    // A new runner (a new process) resumes from the saved checkpoint and folds nothing twice.
    const again = createProjectionRunner({ engine, projection: recorder, store: readModelStore });
    expect(orThrow(await again.catchUp()).seen).toEqual(all);
    const board = await createSqlReadModels(engine).readTaskBoard();
    expect(board.find((c) => c.taskId === f.taskId)).toMatchObject({ urges: 1, status: 'in-progress' });
  }, 60_000);
});

if (available !== true) process.stderr.write(`PostgreSQL restart tests: skipped (${String(available)})\n`);
