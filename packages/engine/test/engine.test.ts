import { isLeft, isRight, type Either } from 'fp-ts/Either';
import { taskFixture } from '@duban/testing';
import type { TaskCommand } from '@duban/domain';
import {
  createEngine,
  createInMemoryEventStore,
  verifyStream,
  GENESIS_HASH,
  isEvent,
  type CommandMeta,
  type Committed,
  type EngineError,
  type EventStore,
} from '@duban/engine';

const f = taskFixture();
let n = 0;
const metaOf = (c: TaskCommand, commandId = `cmd-${++n}`): CommandMeta => ({
  actor: c.actor,
  at: c.at,
  commandId,
});
const run = (engine: ReturnType<typeof createEngine>, c: TaskCommand, commandId?: string) =>
  engine.execute({ type: c.type, data: c.data }, metaOf(c, commandId));
const ok = (r: Either<EngineError, Committed>): Committed => {
  if (isLeft(r)) throw new Error(`expected success, got ${JSON.stringify(r.left)}`);
  return r.right;
};

describe('engine.execute', () => {
  it('commits the decided events with a full envelope and a hash chain', async () => {
    const store = createInMemoryEventStore();
    const engine = createEngine({ store });
    const assigned = ok(await run(engine, f.assign(), 'c-assign'));
    const accepted = ok(await run(engine, f.accept(), 'c-accept'));
    expect(assigned.streamId).toBe(`task-${f.taskId}`);
    const [a] = assigned.events;
    const [b] = accepted.events;
    expect(a!.metadata).toMatchObject({
      streamId: `task-${f.taskId}`,
      revision: 0,
      at: f.assignedAt,
      actor: f.actors.section,
      commandId: 'c-assign',
      correlationId: 'c-assign',
      causationId: 'c-assign',
      schemaVersion: 1,
      prevHash: GENESIS_HASH,
    });
    expect(b!.metadata.prevHash).toBe(a!.metadata.hash);
    expect(b!.metadata.revision).toBe(1);
    const stored = await engine.readStream(`task-${f.taskId}`);
    expect(stored.map((e) => e.type)).toEqual(['TaskAssigned', 'TaskAccepted']);
    expect(verifyStream(stored).ok).toBe(true);
  });

  it('executes the same command id once and returns the first result', async () => {
    const engine = createEngine({ store: createInMemoryEventStore() });
    ok(await run(engine, f.assign(), 'a'));
    ok(await run(engine, f.accept(), 'b'));
    const first = ok(await run(engine, f.urge(), 'urge-1'));
    const again = ok(await run(engine, f.urge(), 'urge-1'));
    expect(again.replayed).toBe(true);
    expect(again.events).toEqual(first.events);
    expect((await engine.readStream(`task-${f.taskId}`)).filter((e) => e.type === 'TaskUrged')).toHaveLength(
      1,
    );
  });

  it('rejects bad input with every problem named and writes nothing', async () => {
    const store = createInMemoryEventStore();
    const engine = createEngine({ store });
    const result = await engine.execute(
      { type: 'AssignTask', data: { taskId: 'T 1', title: '', deadline: 'tomorrow' } },
      { actor: f.actors.section, at: f.assignedAt, commandId: 'x' },
    );
    expect(isLeft(result) && result.left.code).toBe('InvalidInput');
    const paths = isLeft(result) && 'problems' in result.left ? result.left.problems.map((p) => p.path) : [];
    expect(paths).toEqual(
      expect.arrayContaining(['data.taskId', 'data.title', 'data.deadline', 'data.leadUnit']),
    );
    const all = [];
    for await (const e of store.readAll()) all.push(e);
    expect(all).toHaveLength(0);
  });

  it('returns the domain rejection and writes nothing', async () => {
    const engine = createEngine({ store: createInMemoryEventStore() });
    ok(await run(engine, f.assign()));
    const result = await run(engine, f.accept(f.day(0, 2), f.actors.coUnit));
    expect(isLeft(result) && result.left.code).toBe('NotAuthorized');
    expect(await engine.readStream(`task-${f.taskId}`)).toHaveLength(1);
  });

  it('retries when another writer got in first, then decides on the new state', async () => {
    const inner = createInMemoryEventStore();
    let interfere = true;
    // A store that lets a competing urge land just before our first append.
    const store: EventStore = {
      ...inner,
      appendToStream: async (streamId, events, opts) => {
        if (interfere && events[0]?.type === 'TaskUrged') {
          interfere = false;
          ok(await run(createEngine({ store: inner }), f.urge(f.day(5), f.supervisor), 'competitor'));
        }
        return inner.appendToStream(streamId, events, opts);
      },
    };
    const engine = createEngine({ store, sleep: async () => {} });
    ok(await run(engine, f.assign()));
    const mine = ok(await run(engine, f.urge(), 'mine'));
    expect(mine.events[0]!.data).toMatchObject({ count: 2 });
    expect(mine.events[0]!.metadata.revision).toBe(2);
  });

  it('gives up with a typed ConcurrencyError after the configured attempts', async () => {
    const inner = createInMemoryEventStore();
    const store: EventStore = {
      ...inner,
      appendToStream: async (streamId) =>
        ({
          _tag: 'Left',
          left: { code: 'WrongExpectedRevision', streamId, expected: 'any', actual: 99n, message: 'busy' },
        }) as never,
    };
    const engine = createEngine({ store, retry: { attempts: 3 }, sleep: async () => {} });
    const result = await run(engine, f.assign());
    expect(isLeft(result) && result.left).toMatchObject({ code: 'ConcurrencyConflict', attempts: 3 });
  });

  it('refuses to decide on an altered history when verifying on load', async () => {
    const inner = createInMemoryEventStore();
    const engine = createEngine({ store: inner });
    ok(await run(engine, f.assign()));
    ok(await run(engine, f.accept()));
    const tampered: EventStore = {
      ...inner,
      readStream: (id, o) =>
        (async function* () {
          for await (const e of inner.readStream(id, o))
            yield e.revision === 0n
              ? { ...e, data: { ...(e.data as object), leadUnit: 'bureau-of-transport' } }
              : e;
        })(),
    };
    const verifying = createEngine({ store: tampered, verifyOnLoad: true });
    const result = await run(verifying, f.urge());
    expect(isLeft(result) && result.left).toMatchObject({
      code: 'HistoryAltered',
      break: { revision: 0, problem: 'changed' },
    });
    expect(isRight(await run(createEngine({ store: tampered }), f.urge()))).toBe(true);
  });
});

describe('engine.execute reads what it is given once, and nothing it is given can make it throw', () => {
  const problems = (r: Either<EngineError, Committed>) =>
    isLeft(r) && r.left.kind === 'ValidationError' ? r.left.problems : [];

  it('validates the whole meta with a codec, naming each field and rule', async () => {
    const engine = createEngine({ store: createInMemoryEventStore() });
    const c = f.assign();
    const input = { type: c.type, data: c.data };
    for (const meta of [null, undefined, 42, 'meta'] as unknown as CommandMeta[]) {
      const r = await engine.execute(input, meta);
      expect(isLeft(r) && r.left.code).toBe('InvalidInput');
    }
    const base = { actor: c.actor, at: c.at, commandId: 'c-1' };
    const cases: Array<[Record<string, unknown>, string, string | RegExp]> = [
      [{ ...base, correlationId: { nested: true } }, 'correlationId', /expected CommandKey/],
      [{ ...base, causationId: '' }, 'causationId', 'must be a non-empty key'],
      [{ ...base, commandId: 'a\u001b[2Jb' }, 'commandId', 'must not hold control characters'],
      [{ ...base, commandId: 'x'.repeat(257) }, 'commandId', 'must be at most 256 characters'],
      [{ ...base, commandId: 'c-\ud800' }, 'commandId', 'must be well-formed text'],
      [{ ...base, commandId: 7 }, 'commandId', /expected CommandKey/],
      [{ ...base, at: '2022-03-31T24:00:00+08:00' }, 'at', /hours 00-23/],
      [{ ...base, actor: { id: 'x', kind: 'emperor' } }, 'actor.kind', /expected/],
    ];
    for (const [meta, path, message] of cases) {
      const r = await engine.execute(input, meta as unknown as CommandMeta);
      const p = problems(r).find((x) => x.path === path);
      expect({ path, message: p?.message }).toEqual({ path, message: expect.stringMatching(message) });
    }
    const all: unknown[] = [];
    for await (const e of engine.readAll()) all.push(e);
    expect(all).toEqual([]);
  });

  it('an actor whose getter answers differently the second time is read once: what was checked is what is recorded', async () => {
    const engine = createEngine({ store: createInMemoryEventStore() });
    ok(await run(engine, f.assign()));
    let reads = 0;
    const actor = {
      id: 'officer-wu',
      kind: 'unit',
      get unitId() {
        reads += 1;
        return reads === 1 ? 'bureau-of-commerce' : 'bureau-of-transport';
      },
    };
    const r = await engine.execute(
      { type: 'AcceptTask', data: { taskId: f.taskId } },
      { actor: actor as never, at: f.day(0, 2), commandId: 'getter' },
    );
    const committed = ok(r);
    expect(reads).toBe(1);
    expect(committed.events[0]!.metadata.actor).toEqual({
      id: 'officer-wu',
      kind: 'unit',
      unitId: 'bureau-of-commerce',
    });
    expect(verifyStream(await engine.readStream(`task-${f.taskId}`)).ok).toBe(true);
  });

  it('input that cannot be read (cycles, BigInts, throwing getters, deep nesting) is invalid input, not a crash', async () => {
    const engine = createEngine({ store: createInMemoryEventStore() });
    const cyclic: Record<string, unknown> = { taskId: 'T-1' };
    cyclic.self = cyclic;
    let deep: unknown = 'x';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const meta = { actor: f.actors.leadUnit, at: f.day(0, 2), commandId: 'bad' };
    for (const data of [
      cyclic,
      { taskId: 'T-1', n: 10n },
      Object.defineProperty({}, 'taskId', {
        enumerable: true,
        get: () => {
          throw new Error('boom');
        },
      }),
      { taskId: 'T-1', deployment: deep },
    ]) {
      const r = await engine.execute({ type: 'AcceptTask', data }, meta);
      expect(isLeft(r) && r.left.code).toBe('InvalidInput');
    }
    const nested = await engine.execute({ type: 'AcceptTask', data: { taskId: 'T-1', d: deep } }, meta);
    expect(problems(nested)).toEqual([{ path: '', message: 'is nested too deeply' }]);
    const thrown = await engine.execute(null as never, meta);
    expect(isLeft(thrown) && thrown.left.code).toBe('InvalidInput');
  });

  it('a command id reused for another command is refused by name, with what differs', async () => {
    const engine = createEngine({ store: createInMemoryEventStore() });
    ok(await run(engine, f.assign(), 'a'));
    ok(await run(engine, f.accept(), 'b'));
    ok(await run(engine, f.urge(), 'urge-1'));
    const r = await engine.execute(
      { type: 'UrgeTask', data: { taskId: f.taskId, reason: 'Another reason' } },
      { actor: f.supervisor, at: f.day(6), commandId: 'urge-1' },
    );
    expect(isLeft(r) && r.left).toMatchObject({
      kind: 'IdempotencyError',
      code: 'IdempotencyKeyReused',
      commandId: 'urge-1',
      streamId: `task-${f.taskId}`,
      differs: ['at', 'data'],
    });
    expect((await engine.readStream(`task-${f.taskId}`)).filter((e) => e.type === 'TaskUrged')).toHaveLength(
      1,
    );
  });

  it('an unexpected defect (an upcaster that throws) is an InternalError value', async () => {
    const store = createInMemoryEventStore();
    ok(await run(createEngine({ store }), f.assign()));
    const engine = createEngine({
      store,
      upcasters: {
        upcast: () => {
          throw new Error('upcaster bug');
        },
      },
    });
    const r = await run(engine, f.accept());
    expect(isLeft(r) && r.left).toMatchObject({ kind: 'InternalError', code: 'Unexpected' });
    expect(isLeft(r) && r.left.message).toContain('upcaster bug');
  });
});

describe('reading one task or unit without a projection', () => {
  it('taskState folds the task now, or as it stood at a business time, and never hands out the cached state', async () => {
    const engine = createEngine({ store: createInMemoryEventStore() });
    ok(await run(engine, f.assign()));
    ok(await run(engine, f.accept()));
    ok(await run(engine, f.urge()));
    const now = await engine.taskState(f.taskId);
    expect(isRight(now) && now.right).toMatchObject({ status: 'in-progress', version: 3 });
    if (isRight(now)) now.right.urges.push({ revision: 99, at: f.day(9) }); // the caller's copy only
    const before = await engine.taskState(f.taskId, { asOf: f.day(0, 3) });
    expect(isRight(before) && before.right).toMatchObject({ status: 'in-progress', version: 2 });
    expect(isRight(before) && before.right.urges).toEqual([]);
    const again = await engine.taskState(f.taskId);
    expect(isRight(again) && again.right.urges).toHaveLength(1);
    expect(ok(await run(engine, f.urge(f.day(6)))).events[0]!.data).toMatchObject({ count: 2 });
    const never = await engine.taskState('T-none');
    expect(isRight(never) && never.right.status).toBe('none');
    const bad = await engine.taskState(f.taskId, { asOf: 'yesterday' });
    expect(isLeft(bad) && bad.left).toMatchObject({ code: 'InvalidInput', problems: [{ path: 'asOf' }] });
  });

  it('unitState folds a unit record', async () => {
    const engine = createEngine({ store: createInMemoryEventStore() });
    const r = await engine.execute(
      {
        type: 'ScheduleInterview',
        data: {
          unitId: 'bureau-of-commerce',
          interviewId: 'IV-1',
          interviewee: 'principal',
          reason: 'Seriously behind',
          scheduledFor: f.day(8),
        },
      },
      { actor: f.actors.mainLeader, at: f.day(5), commandId: 'iv-1' },
    );
    ok(r);
    const unit = await engine.unitState('bureau-of-commerce');
    expect(isRight(unit) && unit.right.interviews).toEqual([
      { id: 'IV-1', status: 'scheduled', revision: 0, scheduledFor: f.day(8) },
    ]);
  });

  it('isEvent narrows an envelope to its event type', async () => {
    const engine = createEngine({ store: createInMemoryEventStore() });
    ok(await run(engine, f.assign()));
    const [e] = await engine.readStream(`task-${f.taskId}`);
    expect(isEvent(e!, 'TaskAssigned') && e.data.leadUnit).toBe('bureau-of-commerce');
    expect(isEvent(e!, 'TaskClosed')).toBe(false);
  });
});
