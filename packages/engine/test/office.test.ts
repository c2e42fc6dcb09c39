import { isLeft, isRight } from 'fp-ts/Either';
import { DEFAULT_SCORING_POLICY, defaultContext, type Command, type OfficeCommand } from '@duban/domain';
import {
  annualEvaluationOf,
  canonicalJson,
  contextOf,
  createEngine,
  createInMemoryEventStore,
  createPublicationChecker,
  hashEvent,
  GENESIS_HASH,
  quarterScorecard,
  rankingToPublish,
  rebuild,
  supervisionProjection,
  type Engine,
  type Envelope,
} from '@duban/engine';
import { officeFixture, orThrow, runQuarterScenario, taskFixture } from '@duban/testing';

const o = officeFixture();
const defaults = defaultContext();
let n = 0;
const exec = async (engine: Engine, c: Command) => {
  const r = await engine.execute(
    { type: c.type, data: c.data },
    { actor: c.actor, at: c.at, commandId: `o-${++n}` },
  );
  if (isLeft(r)) throw new Error(`${c.type} was refused: ${r.left.message}`);
  return r.right;
};
const withOffice = async (...more: OfficeCommand[]) => {
  const engine = createEngine({ store: createInMemoryEventStore() });
  for (const c of [...o.setup(), ...more]) await exec(engine, c);
  return engine;
};
const model = async (engine: Engine) => rebuild(supervisionProjection, engine.readAll());
const all = async (engine: Engine) => {
  const out: Envelope[] = [];
  for await (const e of engine.readAll()) out.push(e);
  return out;
};

describe('the engine decides every command under the rules in force at its business time', () => {
  it('Spring Festival: a report on 7 February is on time with the 2022 calendar on record, late without it', async () => {
    const assignedAt = '2022-01-28T09:00:00.000+08:00';
    const t = taskFixture({ assignedAt, taskId: 'SF-1' });
    const run = async (engine: Engine) => {
      await exec(engine, t.assign());
      await exec(engine, t.accept('2022-01-28T11:00:00.000+08:00'));
      await exec(engine, t.report({}, '2022-02-07T09:00:00.000+08:00'));
      const check = await exec(
        engine,
        t.checkDeadlines('2022-02-08T09:00:00.000+08:00', { id: '13710-system', kind: 'system' }),
      );
      const m = await model(engine);
      const ctx = contextOf(m, '2022-03-31T18:00:00+08:00', defaults);
      const card = quarterScorecard(m, '2022Q1', DEFAULT_SCORING_POLICY, ctx, {
        asOf: '2022-03-31T15:59:59.999Z',
      });
      return {
        signals: check.events.map((e) => e.type),
        lines: card.ranked[0]?.lines.map((l) => l.text) ?? [],
      };
    };
    const onRecord = await run(await withOffice(o.stateCouncilCalendar(2022)));
    expect(onRecord.signals).toEqual([]);
    const plain = await run(createEngine({ store: createInMemoryEventStore() }));
    expect(plain.signals).toEqual(['MilestoneMissed']);
    // Scored as of the quarter's end the task is open and overdue: graded provisionally in both, but only the
    // history without the calendar also deducts for a late first feedback.
    expect(onRecord.lines.some((l) => l.includes('未按时反馈'))).toBe(false);
    expect(plain.lines.some((l) => l.includes('未按时反馈'))).toBe(true);
  });

  it('refuses a main leader who is not on record, and an approval by someone who is not the main leader', async () => {
    const engine = await withOffice();
    const t = taskFixture({ taskId: 'K-1', key: true });
    const assign = t.assign();
    const bad = await engine.execute(
      { type: assign.type, data: { ...assign.data, approval: { ref: 'x', by: 'nobody' } } },
      { actor: assign.actor, at: assign.at, commandId: 'k1' },
    );
    expect(isLeft(bad) && bad.left).toMatchObject({ code: 'WrongApprover' });
    for (const c of [t.assign(), t.accept(), t.report(), t.requestClosure(), t.reviewClosure('good')])
      await exec(engine, c);
    const approve = t.approveClosure(
      'excellent',
      t.day(14),
      { id: 'nobody', kind: 'main-leader' },
      'Outstanding',
    );
    const impostor = await engine.execute(
      { type: approve.type, data: approve.data },
      { actor: approve.actor, at: approve.at, commandId: 'k1-approve' },
    );
    expect(isLeft(impostor) && impostor.left).toMatchObject({ code: 'NotOnRecord', field: 'actor' });
  });
});

describe("the office's record as the engine keeps it", () => {
  it('reads the same after catch-ups asked for at once, one after the other, as a fresh engine reads it', async () => {
    const store = createInMemoryEventStore();
    const engine = createEngine({ store });
    const [establish, ...rest] = o.setup();
    await exec(engine, establish!);
    orThrow(await engine.officeState()); // kept folded from here on
    const other = createEngine({ store });
    for (const c of rest) await exec(other, c);
    const expected = orThrow(await createEngine({ store }).officeState());
    const states = await Promise.all([engine.officeState(), engine.officeState(), engine.officeState()]);
    for (const state of states) expect(orThrow(state)).toEqual(expected);
  });
});

describe('published 通报 are facts', () => {
  const published = async () => {
    const engine = await withOffice();
    await runQuarterScenario(engine);
    return engine;
  };

  it('a quarter is published once it has ended, as the engine computes it, with the policy version used', async () => {
    const engine = await published();
    const early = await engine.execute(
      {
        type: 'PublishQuarterlyRanking',
        data: { officeId: 'changzhi', quarter: '2022Q1', approval: o.approval },
      },
      { actor: o.inspectionOffice, at: '2022-03-31T17:00:00+08:00', commandId: 'early' },
    );
    expect(isLeft(early) && early.left).toMatchObject({ code: 'QuarterNotEnded' });
    const before = await model(engine);
    const expected = rankingToPublish(before, '2022Q1', defaults);
    const done = await exec(engine, o.publish('2022Q1', '2022-04-02T09:00:00.000+08:00'));
    expect(done.events).toHaveLength(1);
    const { officeId: _o, at: _a, approval: _p, ...data } = done.events[0]!.data as Record<string, unknown>;
    expect(canonicalJson(data)).toBe(canonicalJson(expected));
    expect(expected.policy).toEqual({ name: 'default', revision: -1 });
    expect(expected.units.map((u) => [u.rank, u.unitId, u.score])).toEqual([
      [1, 'bureau-of-commerce', 78.5],
      [2, 'bureau-of-finance', 70],
      [3, 'bureau-of-transport', 57],
    ]);
    // Published once: again decides nothing.
    expect((await exec(engine, o.publish('2022Q1', '2022-04-03T09:00:00.000+08:00'))).events).toEqual([]);
  });

  it('a criticism recorded in Q3 never re-ranks the published Q1: it is booked as a correction in Q3', async () => {
    const engine = await published();
    await exec(engine, o.publish('2022Q1', '2022-04-02T09:00:00.000+08:00'));
    const t1 = taskFixture({ taskId: 'T1' });
    const criticised = await exec(engine, t1.criticise('C-9', '2022-08-01T09:00:00.000+08:00'));
    expect(criticised.events.map((e) => e.type)).toEqual(['CriticismRecorded', 'TaskRegraded']);
    const m = await model(engine);
    // What the units were told stands; Q1 as computed today would differ.
    expect(m.office.rankings['2022Q1']!.units.map((u) => [u.unitId, u.score])).toEqual([
      ['bureau-of-commerce', 78.5],
      ['bureau-of-finance', 70],
      ['bureau-of-transport', 57],
    ]);
    const ctx = contextOf(m, '2022-09-30T18:00:00+08:00', defaults);
    const q3 = quarterScorecard(m, '2022Q3', DEFAULT_SCORING_POLICY, ctx);
    const corrections = [...q3.ranked, ...q3.unranked].flatMap((u) =>
      'lines' in u
        ? u.lines.filter((l) => l.kind === 'correction').map((l) => [u.unitId, l.points])
        : [[u.unitId, u.reason]],
    );
    // T1: good (90) → very-poor (40); commerce led it (weight 1 of 1.5). Finance, its co-unit, was graded
    // on its own part, which the criticism of the task does not change: no correction for it.
    expect(corrections).toEqual([
      ['bureau-of-commerce', expect.stringContaining('a correction of -33.33 to an earlier 通报')],
    ]);
  });

  it('a unit whose only task is overdue and never accepted ranks, with its deductions', async () => {
    const engine = await withOffice();
    const t = taskFixture({ taskId: 'Late-1', deadlineInWorkingDays: 5 });
    await exec(engine, t.assign({ leadUnit: 'bureau-of-transport', coUnits: [] }));
    const other = taskFixture({ taskId: 'Ok-1' });
    for (const c of [
      other.assign({ coUnits: [] }),
      other.accept(),
      other.report(),
      other.requestClosure(),
      other.reviewClosure('good'),
      other.approveClosure('good'),
    ])
      await exec(engine, c);
    const m = await model(engine);
    const q = quarterScorecard(
      m,
      '2022Q1',
      DEFAULT_SCORING_POLICY,
      contextOf(m, '2022-03-31T18:00:00+08:00', defaults),
      {
        asOf: '2022-03-31T15:59:59.999Z',
      },
    );
    const transport = q.ranked.find((s) => s.unitId === 'bureau-of-transport')!;
    expect(transport.lines.map((l) => l.kind)).toEqual(['grade', 'average', 'deduction', 'deduction']);
    expect(transport.lines[0]!.text).toContain('provisional: 逾期未办结');
    expect(transport.tasksByGrade['very-poor']).toBe(1);
    expect(q.ranked.map((s) => s.unitId)).toEqual(['bureau-of-commerce', 'bureau-of-transport']);
  });

  it('a scoring policy adopted mid-year applies from its quarter only', async () => {
    const strict = {
      ...DEFAULT_SCORING_POLICY,
      gradePoints: { ...DEFAULT_SCORING_POLICY.gradePoints, good: 80 },
    };
    const engine = await withOffice(
      o.command(
        'AdoptScoringPolicy',
        { policy: strict, name: 'strict', effectiveFromQuarter: '2022Q2' },
        o.mainLeader,
        '2022-03-15T09:00:00.000+08:00',
      ),
    );
    await runQuarterScenario(engine);
    const q1 = rankingToPublish(await model(engine), '2022Q1', defaults);
    expect(q1.policy).toEqual({ name: 'default', revision: -1 });
    expect(q1.units[0]!.lines[0]!.points).toBe(90);
    const t = taskFixture({ taskId: 'Q2-1', assignedAt: '2022-04-06T09:00:00.000+08:00' });
    for (const c of [
      t.assign({ coUnits: [] }),
      t.accept(),
      t.report(),
      t.requestClosure(),
      t.reviewClosure('good'),
      t.approveClosure('good'),
    ])
      await exec(engine, c);
    const q2 = rankingToPublish(await model(engine), '2022Q2', defaults);
    expect(q2.policy.name).toBe('strict');
    expect(q2.units[0]!.lines[0]!.points).toBe(80);
  });

  it('a replay reproduces every published ranking byte for byte; a published number changed and re-hashed does not', async () => {
    const engine = await published();
    await exec(engine, o.publish('2022Q1', '2022-04-02T09:00:00.000+08:00'));
    const history = await all(engine);
    const checker = createPublicationChecker(defaults);
    for (const e of history) checker.push(e);
    expect(checker.report()).toEqual({ checked: 1, mismatches: [] });

    // An insider lifts finance's published score and re-hashes the office stream's chain.
    let prev = GENESIS_HASH;
    const forged = history.map((e) => {
      if (e.metadata.streamId !== 'office') return e;
      let data = e.data as Record<string, unknown>;
      if (e.type === 'QuarterlyRankingPublished') {
        const units = (data.units as Array<Record<string, unknown>>).map((u) =>
          u.unitId === 'bureau-of-finance' ? { ...u, score: 86 } : u,
        );
        data = { ...data, units };
      }
      const metadata = { ...e.metadata, prevHash: prev };
      const hash = hashEvent({ type: e.type, data, metadata });
      prev = hash;
      return { ...e, data, metadata: { ...metadata, hash } } as Envelope;
    });
    const again = createPublicationChecker(defaults);
    for (const e of forged) again.push(e);
    expect(again.report().mismatches).toEqual([
      expect.objectContaining({
        type: 'QuarterlyRankingPublished',
        period: '2022Q1',
        detail: expect.stringContaining('units'),
      }),
    ]);
  });

  it('the year: evaluated once it has ended from its published quarters, then sent to whom the seed names', async () => {
    const engine = await published();
    await exec(engine, o.publish('2022Q1', '2022-04-02T09:00:00.000+08:00'));
    const early = await engine.execute(
      { type: 'PublishAnnualEvaluation', data: { officeId: 'changzhi', year: 2022, approval: o.approval } },
      { actor: o.inspectionOffice, at: '2022-12-31T09:00:00+08:00', commandId: 'y-early' },
    );
    expect(isLeft(early) && early.left).toMatchObject({ code: 'YearNotEnded' });
    const sendEarly = await engine.execute(
      {
        type: 'RecordAnnualResultsSent',
        data: {
          officeId: 'changzhi',
          year: 2022,
          recipient: 'organization-personnel',
          reference: 'CZ-2023-4',
        },
      },
      { actor: o.inspectionOffice, at: '2023-01-05T09:00:00+08:00', commandId: 'y-send-early' },
    );
    expect(isLeft(sendEarly) && sendEarly.left).toMatchObject({ code: 'EvaluationNotPublished' });
    const year = await exec(engine, o.publishYear(2022, '2023-01-05T09:00:00.000+08:00'));
    expect(year.events[0]!.data).toMatchObject({
      year: 2022,
      units: [
        {
          unitId: 'bureau-of-commerce',
          rank: 1,
          score: 78.5,
          band: '合格 satisfactory',
          quarters: [{ quarter: '2022Q1', score: 78.5, rank: 1 }],
        },
        { unitId: 'bureau-of-finance', rank: 2, score: 70 },
        { unitId: 'bureau-of-transport', rank: 3, score: 57, band: '不合格 unsatisfactory' },
      ],
    });
    for (const recipient of ['organization-personnel', 'party-assessment'] as const) {
      const sent = await engine.execute(
        {
          type: 'RecordAnnualResultsSent',
          data: { officeId: 'changzhi', year: 2022, recipient, reference: `CZ-2023-${recipient}` },
        },
        { actor: o.inspectionOffice, at: '2023-01-06T09:00:00+08:00', commandId: `y-send-${recipient}` },
      );
      expect(isRight(sent)).toBe(true);
    }
    const m = await model(engine);
    expect(m.office.resultsSent.map((r) => r.recipient)).toEqual([
      'organization-personnel',
      'party-assessment',
    ]);
    // Before publication a report previews the year: a published quarter still counts as published.
    const preview = annualEvaluationOf(m, 2022, defaults, {
      '2022Q1': [{ unitId: 'bureau-of-commerce', score: 10, rank: 9 }],
      '2022Q2': [{ unitId: 'bureau-of-commerce', score: 88.5, rank: 1 }],
    });
    expect(preview.units.find((u) => u.unitId === 'bureau-of-commerce')).toMatchObject({
      score: 83.5,
      quarters: [
        { quarter: '2022Q1', score: 78.5, rank: 1 },
        { quarter: '2022Q2', score: 88.5, rank: 1 },
      ],
    });
    expect(preview.rule).toContain('2022Q2 computed, not yet published');
    expect(annualEvaluationOf(m, 2022, defaults).rule).toContain('published quarterly scores of 2022');
    const checker = createPublicationChecker(defaults);
    for (const e of await all(engine)) checker.push(e);
    expect(checker.report()).toEqual({ checked: 2, mismatches: [] });
    expect(orThrow(await engine.officeState()).annual['2022']).toBeDefined();
  });
});
