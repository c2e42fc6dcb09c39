import { isLeft, isRight, type Either } from 'fp-ts/Either';
import {
  createEngine,
  verifyStream,
  type Committed,
  type Engine,
  type EngineError,
  type EventStore,
} from '@duban/engine';
import { taskStreamId } from '@duban/domain';
import { createFaultyStore } from './faulty-store';
import { taskFixture } from './task-fixture';

export interface EngineContractFixture {
  readonly store: EventStore;
  /** Runs after the suite has closed the store. */
  readonly teardown?: () => Promise<void>;
}

export interface EngineContractOptions {
  /** Times each race is run (each on a task of its own). Default 50. */
  readonly rounds?: number;
}

/**
 * What the engine promises on any store, under races and faults (README: nothing is thrown, a command id
 * commits once, the hash chain is never broken by the engine itself). Every adapter runs it unchanged,
 * like the store contract; each test works on tasks of its own, so a real server can be shared.
 */
export const describeEngineContract = (
  name: string,
  setup: () => Promise<EngineContractFixture>,
  options: EngineContractOptions = {},
): void => {
  const rounds = options.rounds ?? 50;

  describe(`the engine on ${name} keeps its promises under races and faults`, () => {
    let fixture: EngineContractFixture | undefined;
    const store = (): EventStore => {
      if (!fixture) throw new Error('engine contract setup did not run');
      return fixture.store;
    };
    beforeAll(async () => {
      fixture = await setup();
    });
    afterAll(async () => {
      await fixture?.store.close();
      await fixture?.teardown?.();
    });

    const fast = { retry: { attempts: 50, baseDelayMs: 1, maxDelayMs: 5 } } as const;
    const unique = () => `EC-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    const urge = (engine: Engine, taskId: string, at: string, reason: string, commandId: string) =>
      engine.execute(
        { type: 'UrgeTask', data: { taskId, reason } },
        {
          actor: taskFixture().supervisor,
          at,
          commandId,
        },
      );
    const started = async (engine: Engine) => {
      const f = taskFixture({ taskId: unique() });
      for (const [i, c] of [f.assign(), f.accept()].entries()) {
        const r = await engine.execute(
          { type: c.type, data: c.data },
          { actor: c.actor, at: c.at, commandId: `${f.taskId}-${i}` },
        );
        if (isLeft(r)) throw new Error(`setup ${c.type} rejected: ${r.left.message}`);
      }
      return f;
    };
    const stored = async (engine: Engine, taskId: string) => engine.readStream(taskStreamId(taskId));

    /** After a race: one command committed, its events are what is stored, the chain goes on unbroken. */
    const expectOneCommitted = async (
      engine: Engine,
      taskId: string,
      results: ReadonlyArray<Either<EngineError, Committed>>,
      at: string,
    ) => {
      const answered = results.filter(isRight);
      expect(answered.length).toBeGreaterThan(0);
      const winner = answered[0]!.right;
      for (const r of results)
        if (isLeft(r))
          expect(r.left).toMatchObject({ kind: 'IdempotencyError', code: 'IdempotencyKeyReused' });
        else expect(r.right.events).toEqual(winner.events);
      const events = await stored(engine, taskId);
      expect(events.filter((e) => e.type === 'TaskUrged')).toHaveLength(1);
      expect(events.at(-1)).toMatchObject({
        type: winner.events[0]!.type,
        metadata: winner.events[0]!.metadata,
      });
      // The next command chains onto what is stored, not onto what a loser believed it wrote.
      const next = await urge(engine, taskId, at, 'Next week again', `${taskId}-next`);
      expect(isRight(next)).toBe(true);
      const after = await stored(engine, taskId);
      expect(verifyStream(after)).toMatchObject({ ok: true });
      expect(after.map((e) => e.metadata.revision)).toEqual(after.map((_, i) => i));
    };

    for (const engines of ['one engine', 'two engines'] as const)
      describe(`a command id reused for another command, raced on ${engines}`, () => {
        const pair = () => {
          const a = createEngine({ store: store(), ...fast });
          return engines === 'one engine' ? [a, a] : [a, createEngine({ store: store(), ...fast })];
        };

        it(`other data: one commits, the other is refused, the chain is whole (${rounds} races)`, async () => {
          for (let k = 0; k < rounds; k++) {
            const [a, b] = pair() as [Engine, Engine];
            const f = await started(a);
            const results = await Promise.all([
              urge(a, f.taskId, f.day(3), 'No feedback yet', `${f.taskId}-urge`),
              urge(b, f.taskId, f.day(3), 'Still no feedback', `${f.taskId}-urge`),
            ]);
            expect(results.filter(isRight)).toHaveLength(1);
            await expectOneCommitted(a, f.taskId, results, f.day(4));
          }
        });

        it(`only the time differs (a client retrying with a fresh clock): the same (${rounds} races)`, async () => {
          for (let k = 0; k < rounds; k++) {
            const [a, b] = pair() as [Engine, Engine];
            const f = await started(a);
            const results = await Promise.all([
              urge(a, f.taskId, f.day(3), 'No feedback yet', `${f.taskId}-urge`),
              urge(b, f.taskId, f.day(3, 1), 'No feedback yet', `${f.taskId}-urge`),
            ]);
            expect(results.filter(isRight)).toHaveLength(1);
            await expectOneCommitted(a, f.taskId, results, f.day(4));
          }
        });

        it(`the same command twice: it commits once and both answers are its events (${rounds} races)`, async () => {
          for (let k = 0; k < rounds; k++) {
            const [a, b] = pair() as [Engine, Engine];
            const f = await started(a);
            const results = await Promise.all([
              urge(a, f.taskId, f.day(3), 'No feedback yet', `${f.taskId}-urge`),
              urge(b, f.taskId, f.day(3), 'No feedback yet', `${f.taskId}-urge`),
            ]);
            // Both answers name the one stored event. Which call wrote it cannot always be told (the
            // loser's identical append is the store's idempotent re-append), so `replayed` may be false twice.
            expect(results.every(isRight)).toBe(true);
            await expectOneCommitted(a, f.taskId, results, f.day(4));
          }
        });
      });

    describe('store faults', () => {
      const faulty = () => {
        const faults = createFaultyStore(store());
        return { faults, engine: createEngine({ store: faults.store, ...fast }) };
      };

      it('a stream that cannot be read: a StoreError value, nothing thrown, nothing written', async () => {
        const { faults, engine } = faulty();
        const f = await started(engine);
        const before = await stored(engine, f.taskId);
        faults.inject('read-fails');
        const result = await urge(engine, f.taskId, f.day(3), 'No feedback yet', `${f.taskId}-urge`);
        expect(isLeft(result) && result.left).toMatchObject({ kind: 'StoreError', code: 'StoreUnavailable' });
        expect(await stored(engine, f.taskId)).toEqual(before);
      });

      for (const fault of ['append-rejected', 'append-unavailable'] as const)
        it(`an append that fails before writing (${fault}): a StoreError, and the next command chains on`, async () => {
          const { faults, engine } = faulty();
          const f = await started(engine);
          faults.inject(fault);
          const failed = await urge(engine, f.taskId, f.day(3), 'No feedback yet', `${f.taskId}-urge`);
          expect(isLeft(failed) && failed.left).toMatchObject({ kind: 'StoreError' });
          expect((await stored(engine, f.taskId)).map((e) => e.type)).toEqual([
            'TaskAssigned',
            'TaskAccepted',
          ]);
          const next = await urge(engine, f.taskId, f.day(3), 'No feedback yet', `${f.taskId}-urge`);
          expect(isRight(next) && next.right.replayed).toBe(false);
          expect(verifyStream(await stored(engine, f.taskId))).toMatchObject({ ok: true, events: 3 });
        });

      for (const fault of ['append-answer-lost', 'append-throws-after-write'] as const)
        it(`an append written but not acknowledged (${fault}): the retry commits it exactly once`, async () => {
          const { faults, engine } = faulty();
          const f = await started(engine);
          faults.inject(fault);
          const lost = await urge(engine, f.taskId, f.day(3), 'No feedback yet', `${f.taskId}-urge`);
          expect(isLeft(lost) && lost.left).toMatchObject({ kind: 'StoreError', code: 'StoreUnavailable' });
          const retry = await urge(engine, f.taskId, f.day(3), 'No feedback yet', `${f.taskId}-urge`);
          expect(isRight(retry) && retry.right.replayed).toBe(true);
          const events = await stored(engine, f.taskId);
          expect(events.filter((e) => e.type === 'TaskUrged')).toHaveLength(1);
          if (isRight(retry))
            expect(retry.right.events).toEqual(events.slice(2).map(({ position: _p, ...e }) => e));
          const next = await urge(engine, f.taskId, f.day(4), 'Next week again', `${f.taskId}-next`);
          expect(isRight(next)).toBe(true);
          expect(verifyStream(await stored(engine, f.taskId))).toMatchObject({ ok: true, events: 4 });
        });
    });
  });
};
