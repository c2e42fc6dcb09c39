import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isRight } from 'fp-ts/Either';
import { taskStreamId } from '@duban/domain';
import { taskFixture } from '@duban/testing';
import {
  createEngine,
  createFileReadModelStore,
  createInMemoryEventStore,
  createProjectionRunner,
  supervisionProjection,
  verifyStream,
  type SupervisionModel,
} from '@duban/engine';
import { executeOrThrow, orThrow } from '@duban/testing';
import type { Engine } from '@duban/engine';
import type { TaskCommand } from '@duban/domain';

let n = 0;
const exec = (engine: Engine, c: TaskCommand) => executeOrThrow(engine, c, `c-${++n}`);

describe('concurrent commands on one task', () => {
  it('commits every one exactly once, in some order, with an unbroken chain', async () => {
    const engine = createEngine({
      store: createInMemoryEventStore(),
      retry: { attempts: 20, baseDelayMs: 1 },
    });
    const f = taskFixture({ taskId: 'C1' });
    await exec(engine, f.assign());
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        engine.execute(
          { type: 'UrgeTask', data: { taskId: 'C1', reason: `urge ${i}` } },
          { actor: f.supervisor, at: f.day(1, i), commandId: `urge-${i}` },
        ),
      ),
    );
    expect(results.every(isRight)).toBe(true);
    const stream = await engine.readStream(taskStreamId('C1'));
    const urges = stream.filter((e) => e.type === 'TaskUrged');
    expect(urges).toHaveLength(12);
    expect(urges.map((e) => (e.data as { count: number }).count)).toEqual(
      Array.from({ length: 12 }, (_, i) => i + 1),
    );
    expect(new Set(urges.map((e) => e.metadata.commandId)).size).toBe(12);
    expect(verifyStream(stream).ok).toBe(true);
  });
});

describe('file read-model store', () => {
  it('saves the model with its checkpoint in one file and resumes from it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'duban-rm-'));
    const engine = createEngine({ store: createInMemoryEventStore() });
    const f = taskFixture({ taskId: 'F1' });
    await exec(engine, f.assign());
    const runner = createProjectionRunner({
      engine,
      projection: supervisionProjection,
      store: createFileReadModelStore<SupervisionModel>(dir),
    });
    await runner.catchUp();
    const saved = JSON.parse(readFileSync(join(dir, 'supervision.json'), 'utf8'));
    expect(saved.checkpoint).toBe('1/1');
    expect(saved.model.tasks.F1.status).toBe('assigned');
    await exec(engine, f.accept());
    const again = createProjectionRunner({
      engine,
      projection: supervisionProjection,
      store: createFileReadModelStore<SupervisionModel>(dir),
    });
    expect(orThrow(await again.catchUp()).events).toBe(2);
  });
});

describe('engine.subscribe', () => {
  it('delivers committed task and unit events after a position, then live', async () => {
    const engine = createEngine({ store: createInMemoryEventStore() });
    const f = taskFixture({ taskId: 'L1' });
    await exec(engine, f.assign());
    const sub = engine.subscribe();
    const it = sub[Symbol.asyncIterator]();
    expect((await it.next()).value.type).toBe('TaskAssigned');
    await exec(engine, f.accept());
    expect((await it.next()).value).toMatchObject({ type: 'TaskAccepted', metadata: { revision: 1 } });
    await sub.close();
  });
});

describe('the stream-state cache', () => {
  it('reads on from what it folded when another engine wrote to the stream meanwhile', async () => {
    const store = createInMemoryEventStore();
    const a = createEngine({ store });
    const b = createEngine({ store });
    const f = taskFixture({ taskId: 'K1' });
    const urge = (engine: Engine, at: string, commandId: string) =>
      engine.execute(
        { type: 'UrgeTask', data: { taskId: 'K1', reason: 'No feedback this week' } },
        { actor: f.supervisor, at, commandId },
      );
    await exec(a, f.assign());
    await exec(a, f.accept()); // a now holds the task at revision 1
    expect(isRight(await urge(b, f.day(1), 'from-b'))).toBe(true); // revision 2, behind a's back
    const mine = await urge(a, f.day(2), 'from-a');
    expect(isRight(mine) && mine.right.events[0]).toMatchObject({
      data: { count: 2 },
      metadata: { revision: 3 },
    });
    expect(verifyStream(await a.readStream(taskStreamId('K1'))).ok).toBe(true);
    // a also learnt b's command id: executing it again replays b's result
    const replay = await urge(a, f.day(1), 'from-b');
    expect(isRight(replay) && replay.right).toMatchObject({
      replayed: true,
      events: [{ metadata: { revision: 2 } }],
    });
  });

  it('decides the same with the cache off', async () => {
    for (const cacheSize of [0, 1, 10_000]) {
      const engine = createEngine({ store: createInMemoryEventStore(), cacheSize });
      const f = taskFixture({ taskId: 'K2' });
      const g = taskFixture({ taskId: 'K3' });
      for (const c of [f.assign(), g.assign(), f.accept(), g.accept(), f.urge(), g.urge(), f.urge(f.day(6))])
        await exec(engine, c);
      const urges = (await engine.readStream(taskStreamId('K2'))).filter((e) => e.type === 'TaskUrged');
      expect(urges.map((e) => (e.data as { count: number }).count)).toEqual([1, 2]);
    }
  });
});
