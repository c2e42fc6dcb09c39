import { generateKeyPairSync } from 'node:crypto';
import { isLeft, isRight } from 'fp-ts/Either';
import { defaultContext, taskStreamId, DEFAULT_SCORING_POLICY } from '@duban/domain';
import { officeFixture, taskFixture } from '@duban/testing';
import {
  accountabilityFlags,
  auditTimeline,
  createDeadlineSweeper,
  createEngine,
  createInMemoryEventStore,
  createInMemoryReadModelStore,
  createProjectionRunner,
  publicKeyHex,
  rebuild,
  stateAsOf,
  supervisionProjection,
  taskBoard,
  unitScorecard,
  warnings,
  type Projection,
  type ProjectionFailure,
  type SupervisionModel,
} from '@duban/engine';
import { executeOrThrow, orThrow, runQuarterScenario } from '@duban/testing';
import type { Engine } from '@duban/engine';
import type { Command, TaskCommand } from '@duban/domain';

let n = 0;
const exec = (engine: Engine, c: TaskCommand) => executeOrThrow(engine, c, `p-${++n}`);
const quarterScenario = async (engine = createEngine({ store: createInMemoryEventStore() })) => ({
  engine,
  ...(await runQuarterScenario(engine)),
});

const ctx = defaultContext();
const json = (x: unknown) => JSON.parse(JSON.stringify(x));

describe('projection runner', () => {
  it('gives the same model live as a rebuild from zero', async () => {
    const engine = createEngine({ store: createInMemoryEventStore() });
    const runner = createProjectionRunner({
      engine,
      projection: supervisionProjection,
      store: createInMemoryReadModelStore<SupervisionModel>(),
    });
    await runner.start();
    await quarterScenario(engine);
    const all = [];
    for await (const e of engine.readAll()) all.push(e);
    await runner.waitFor(all.at(-1)!.position!);
    const live = json(runner.current());
    await runner.stop();
    expect(live).toEqual(json(await rebuild(supervisionProjection, engine.readAll())));
    expect(live.events).toBe(all.length);
  });

  it('resumes after a restart from the saved checkpoint without applying an event twice', async () => {
    const engine = createEngine({ store: createInMemoryEventStore() });
    const saved = createInMemoryReadModelStore<SupervisionModel>();
    const t1 = taskFixture({ taskId: 'R1' });
    await exec(engine, t1.assign());
    await exec(engine, t1.accept());
    const first = createProjectionRunner({
      engine,
      projection: supervisionProjection,
      store: saved,
      saveEvery: 1,
    });
    await first.catchUp();
    expect(first.current().events).toBe(2);
    // More history arrives while no runner is running.
    await exec(engine, t1.report());
    await exec(engine, t1.urge());
    const second = createProjectionRunner({ engine, projection: supervisionProjection, store: saved });
    const model = orThrow(await second.catchUp());
    expect(model.events).toBe(4);
    expect(model.tasks.R1!.urges).toHaveLength(1);
    expect(json(model)).toEqual(json(await rebuild(supervisionProjection, engine.readAll())));
  });
});

describe('projection runner failures', () => {
  /** A projection that throws on the first TaskUrged it sees, like a defect in a read model. */
  const brittle: Projection<SupervisionModel> = {
    ...supervisionProjection,
    name: 'brittle',
    apply(model, envelope) {
      if (envelope.type === 'TaskUrged') throw new Error('read model defect');
      supervisionProjection.apply(model, envelope);
    },
  };

  it('live: a projection that throws stops the runner with a typed failure, keeps the last good checkpoint, stops cleanly', async () => {
    const engine = createEngine({ store: createInMemoryEventStore() });
    const saved = createInMemoryReadModelStore<SupervisionModel>();
    const failures: ProjectionFailure[] = [];
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const runner = createProjectionRunner({
        engine,
        projection: brittle,
        store: saved,
        onError: (f) => failures.push(f),
      });
      const t = taskFixture({ taskId: 'PF1' });
      await exec(engine, t.assign());
      expect(isRight(await runner.start())).toBe(true);
      const accepted = await executeOrThrow(engine, t.accept(), 'pf-accept');
      const urged = await executeOrThrow(engine, t.urge(), 'pf-urge');
      const position = (await engine.readStream(urged.streamId)).at(-1)!.position!;
      const waited = await runner.waitFor(position);
      expect(isLeft(waited) && waited.left).toMatchObject({
        kind: 'ProjectionError',
        code: 'ProjectionFailed',
        projection: 'brittle',
        event: { streamId: 'task-PF1', revision: 2, type: 'TaskUrged' },
      });
      expect(failures).toHaveLength(1);
      expect(runner.failure()).toEqual(failures[0]);
      // The saved model is the last good one, and so is what the runner holds now.
      const last = await saved.load('brittle');
      expect(last?.model.events).toBe(2);
      expect(runner.current().events).toBe(2);
      expect(runner.checkpoint()).toEqual(last?.checkpoint);
      expect(failures[0]!.checkpoint).toEqual(last?.checkpoint);
      expect(accepted.events).toHaveLength(1);
      await expect(runner.stop()).resolves.toBeUndefined();
      expect(isLeft(await runner.catchUp())).toBe(true);
      // A restart resumes from the checkpoint and fails on the same event, not silently past it.
      const again = createProjectionRunner({ engine, projection: brittle, store: saved });
      expect(isLeft(await again.catchUp()) && again.failure()?.event?.type).toBe('TaskUrged');
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('a read-model store that cannot save is a SaveFailed failure, not a rejection', async () => {
    const engine = createEngine({ store: createInMemoryEventStore() });
    await exec(engine, taskFixture({ taskId: 'PF2' }).assign());
    const runner = createProjectionRunner({
      engine,
      projection: supervisionProjection,
      store: {
        load: async () => undefined,
        save: async () => {
          throw new Error('disk full');
        },
      },
    });
    const result = await runner.catchUp();
    expect(isLeft(result) && result.left).toMatchObject({ code: 'SaveFailed' });
    expect(isLeft(result) && result.left.message).toContain('disk full');
    await expect(runner.stop()).resolves.toBeUndefined();
  });
});

describe('ids that name members of Object.prototype', () => {
  it('tasks and units called constructor, toString, hasOwnProperty, valueOf are folded, boarded and ranked like any other', async () => {
    const engine = createEngine({ store: createInMemoryEventStore() });
    const ids = ['constructor', 'toString', 'hasOwnProperty', 'valueOf'];
    for (const id of ids) {
      const t = taskFixture({ taskId: id });
      await exec(engine, t.assign({ leadUnit: id, coUnits: [] }));
      const unit = { id: `director-${id}`, kind: 'unit' as const, unitId: id };
      for (const c of [
        t.accept(undefined, unit),
        t.report({}, undefined, unit),
        t.requestClosure(undefined, unit),
        t.reviewClosure('good'),
        t.approveClosure('good'),
      ])
        await exec(engine, c);
    }
    const model = await rebuild(supervisionProjection, engine.readAll());
    expect(Object.keys(model.tasks).sort()).toEqual([...ids].sort());
    expect(
      taskBoard(model, '2022-04-01T09:00:00+08:00', ctx)
        .map((c) => c.taskId)
        .sort(),
    ).toEqual([...ids].sort());
    const ranking = unitScorecard(model, '2022Q1', DEFAULT_SCORING_POLICY, ctx);
    expect(ranking.map((s) => s.unitId).sort()).toEqual([...ids].sort());
    expect((Object as unknown as { status?: unknown }).status).toBeUndefined();
    // Saved as JSON and read back, the model is still safe to key by these ids.
    const saved = createInMemoryReadModelStore<SupervisionModel>();
    const runner = createProjectionRunner({ engine, projection: supervisionProjection, store: saved });
    orThrow(await runner.catchUp());
    const resumed = createProjectionRunner({ engine, projection: supervisionProjection, store: saved });
    const back = orThrow(await resumed.catchUp());
    expect(Object.getPrototypeOf(back.tasks)).toBeNull();
    const id: string = 'constructor';
    expect(back.tasks[id]?.status).toBe('closed');
    expect(json(back)).toEqual(json(model));
  });
});

describe('task board, warnings and accountability', () => {
  it('shows each task with its light, deadline after extensions and grades', async () => {
    const engine = createEngine({ store: createInMemoryEventStore() });
    const f = taskFixture({ taskId: 'B1', deadlineInWorkingDays: 12 });
    for (const c of [
      f.assign(),
      f.accept(),
      f.report(),
      f.requestExtension(f.day(25, 8), f.day(8)),
      f.approveExtension(f.day(9)),
    ])
      await exec(engine, c);
    const model = await rebuild(supervisionProjection, engine.readAll());
    const [card] = taskBoard(model, f.day(10), ctx);
    expect(card).toMatchObject({
      taskId: 'B1',
      status: 'in-progress',
      deadline: f.day(25, 8),
      extended: true,
      light: 'green',
      suggestedGrade: 'basic',
    });
    expect(taskBoard(model, f.day(23), ctx)[0]!.light).toBe('yellow');
    expect(taskBoard(model, f.day(26), ctx)[0]!.light).toBe('red');
  });

  it('warns of overdue, repeatedly urged and unanswered difficulties', async () => {
    const engine = createEngine({ store: createInMemoryEventStore() });
    const f = taskFixture({ taskId: 'W1', deadlineInWorkingDays: 10 });
    for (const c of [
      f.assign(),
      f.accept(),
      f.report(),
      f.reportDifficulty(f.day(3)),
      f.urge(f.day(4)),
      f.urge(f.day(5)),
    ])
      await exec(engine, c);
    const model = await rebuild(supervisionProjection, engine.readAll());
    const kinds = (now: string) =>
      warnings(model, now, DEFAULT_SCORING_POLICY.accountability, ctx).map((w) => w.kind);
    expect(kinds(f.day(6))).toEqual(['repeatedly-urged']);
    expect(kinds(f.day(8))).toEqual(['approaching', 'repeatedly-urged', 'difficulty-unanswered']);
    expect(kinds(f.day(11))).toEqual(['overdue', 'repeatedly-urged', 'difficulty-unanswered']);
  });

  it('flags units for interview and referral with the evidence', async () => {
    const { engine } = await quarterScenario();
    const unit = async (type: string, data: object, at: string, id: string) =>
      engine.execute(
        { type, data: { unitId: 'bureau-of-transport', ...data } },
        { actor: { id: 'mayor', kind: 'main-leader' }, at, commandId: id },
      );
    for (const n of [1, 2]) {
      expect(
        isRight(
          await unit(
            'ScheduleInterview',
            {
              interviewId: `I-${n}`,
              interviewee: 'principal',
              reason: 'Ranked last',
              scheduledFor: `2022-03-2${n}T09:00:00+08:00`,
            },
            `2022-03-1${n}T09:00:00+08:00`,
            `s${n}`,
          ),
        ),
      ).toBe(true);
      expect(
        isRight(
          await unit(
            'RecordInterview',
            { interviewId: `I-${n}`, summary: 'Director promised a plan' },
            `2022-03-2${n}T10:00:00+08:00`,
            `r${n}`,
          ),
        ),
      ).toBe(true);
    }
    const model = await rebuild(supervisionProjection, engine.readAll());
    // Three units ranked: too few for "ranked low" under the default (at least five), so only the interviews flag.
    expect(
      accountabilityFlags(model, '2022Q1', DEFAULT_SCORING_POLICY, ctx).map((f) => [f.unitId, f.reason]),
    ).toEqual([['bureau-of-transport', 'interviewed-repeatedly']]);
    // A policy that ranks fields of two and draws the line at 80 flags the last two, both below it.
    const small = {
      ...DEFAULT_SCORING_POLICY,
      accountability: { ...DEFAULT_SCORING_POLICY.accountability, minRankedUnits: 2, lowRankBelowScore: 80 },
    };
    const flags = accountabilityFlags(model, '2022Q1', small, ctx);
    expect(flags.map((f) => [f.unitId, f.action, f.reason])).toEqual([
      ['bureau-of-finance', 'interview', 'ranked-low'],
      ['bureau-of-transport', 'interview', 'ranked-low'],
      ['bureau-of-transport', 'referral', 'interviewed-repeatedly'],
    ]);
    // A line below every score flags nobody for ranking last of a good field.
    const high = { ...small, accountability: { ...small.accountability, lowRankBelowScore: 40 } };
    expect(accountabilityFlags(model, '2022Q1', high, ctx).filter((f) => f.reason === 'ranked-low')).toEqual(
      [],
    );
    // Interviews count within the policy's window of quarters: a year later they no longer do.
    expect(
      accountabilityFlags(model, '2023Q1', DEFAULT_SCORING_POLICY, ctx).filter(
        (f) => f.reason === 'interviewed-repeatedly',
      ),
    ).toEqual([]);
    expect(flags[2]!.evidence).toEqual([
      { streamId: 'unit-bureau-of-transport', revision: 1, type: 'InterviewRecorded' },
      { streamId: 'unit-bureau-of-transport', revision: 3, type: 'InterviewRecorded' },
    ]);
  });
});

describe('audit timeline and time travel', () => {
  it('lists who did what and when, with the state after each event', async () => {
    const { engine, t1 } = await quarterScenario();
    const timeline = auditTimeline(await engine.readStream(taskStreamId('T1')));
    expect(timeline.map((e) => [e.revision, e.type, e.actor.id, e.stateAfter.status])).toEqual([
      [0, 'TaskAssigned', 'clerk-zhao', 'assigned'],
      [1, 'TaskAccepted', 'director-zhou', 'in-progress'],
      [2, 'WorkPlanSubmitted', 'director-zhou', 'in-progress'],
      [3, 'ProgressReported', 'director-zhou', 'in-progress'],
      [4, 'ClosureRequested', 'director-zhou', 'closure-requested'],
      [5, 'ClosureReviewed', 'clerk-zhao', 'closure-reviewed'],
      [6, 'TaskClosed', 'vice-mayor-li', 'closed'],
    ]);
    expect(Object.isFrozen(timeline[0]!.stateAfter)).toBe(true);
    expect(stateAsOf(await engine.readStream(taskStreamId('T1')), t1.day(1, 1))).toMatchObject({
      status: 'in-progress',
      version: 3,
    });
    expect(stateAsOf(await engine.readStream(taskStreamId('T1')), '2022-02-01T00:00:00+08:00').status).toBe(
      'none',
    );
  });
});

describe('deadline sweeper', () => {
  it('signals each due time exactly once, also across restarts', async () => {
    const engine = createEngine({ store: createInMemoryEventStore() });
    const f = taskFixture({ taskId: 'S1', deadlineInWorkingDays: 10 });
    await exec(engine, f.assign());
    await exec(engine, f.accept());
    const sweeper = createDeadlineSweeper(engine);
    const sweepAt = async (at: string) =>
      sweeper.sweep(await rebuild(supervisionProjection, engine.readAll()), at);
    const types = async () => (await engine.readStream(taskStreamId('S1'))).map((e) => e.type).slice(2);

    expect(await sweepAt(f.day(2))).toMatchObject({ checked: 0, committed: [] });
    await sweepAt(f.day(4)); // first feedback (3 working days) missed
    await sweepAt(f.day(4));
    await createDeadlineSweeper(engine).sweep(
      await rebuild(supervisionProjection, engine.readAll()),
      f.day(4, 1),
    );
    expect(await types()).toEqual(['MilestoneMissed']);
    await sweepAt(f.day(8)); // 2 working days before the deadline
    await sweepAt(f.day(12)); // deadline passed
    await sweepAt(f.day(13));
    expect(await types()).toEqual(['MilestoneMissed', 'DeadlineApproaching', 'DeadlineMissed']);
  });

  it('signs its commands with the key of a sweeping person who has one on record, and is refused without it', async () => {
    const o = officeFixture();
    const engine = createEngine({ store: createInMemoryEventStore() });
    const record = async (c: Command) =>
      orThrow(
        await engine.execute(
          { type: c.type, data: c.data },
          { actor: c.actor, at: c.at, commandId: `p-${++n}` },
        ),
      );
    for (const c of o.setup()) await record(c);
    const key = generateKeyPairSync('ed25519');
    const sweeping = o.inspectionOffice;
    await record(
      o.command('RegisterActorKey', { personId: sweeping.id, publicKey: publicKeyHex(key.publicKey) }),
    );
    const f = taskFixture({ taskId: 'S2', deadlineInWorkingDays: 10 });
    await exec(engine, f.assign());
    await exec(engine, f.accept());
    const model = async () => rebuild(supervisionProjection, engine.readAll());
    const unsigned = await createDeadlineSweeper(engine, sweeping).sweep(await model(), f.day(4));
    expect(unsigned.committed).toEqual([]);
    expect(unsigned.errors).toMatchObject([{ taskId: 'S2', error: { code: 'SignatureRequired' } }]);
    const signed = await createDeadlineSweeper(engine, sweeping, { signingKey: key.privateKey }).sweep(
      await model(),
      f.day(4),
    );
    expect(signed.errors).toEqual([]);
    expect(signed.committed.map((e) => e.type)).toEqual(['MilestoneMissed']);
    expect(signed.committed[0]!.metadata.signature).toEqual({
      publicKey: publicKeyHex(key.publicKey),
      value: expect.stringMatching(/^[0-9a-f]{128}$/),
    });
  });
});
