import { isLeft } from 'fp-ts/Either';
import { defaultContext, DEFAULT_SCORING_POLICY, type Actor, type Command } from '@duban/domain';
import {
  accountabilityFlags,
  auditTimeline,
  createEngine,
  createInMemoryEventStore,
  projectStages,
  quarterScorecard,
  rebuild,
  supervisionProjection,
  taskBoard,
  unitScorecard,
  warnings,
  type Engine,
  type SupervisionModel,
} from '@duban/engine';
import { taskFixture } from '@duban/testing';

const ctx = defaultContext();
const policy = DEFAULT_SCORING_POLICY;
let n = 0;
const exec = async (engine: Engine, c: Command) => {
  const r = await engine.execute(
    { type: c.type, data: c.data },
    { actor: c.actor, at: c.at, commandId: `scope-${++n}` },
  );
  if (isLeft(r)) throw new Error(`${c.type}: ${r.left.message}`);
};

// S-1: section-2's task, led by commerce with finance as co-unit, closed in 2022Q1.
// S-2: section-5's task, led by transport, left open long past its deadline (overdue, flagged).
const a = taskFixture({ taskId: 'S-1' });
const b = taskFixture({ taskId: 'S-2', deadlineInWorkingDays: 3 });
const transport: Actor = { id: 'officer-zheng', kind: 'unit', unitId: 'bureau-of-transport' };
const now = a.day(20);

let model: SupervisionModel;
let engine: ReturnType<typeof createEngine>;
beforeAll(async () => {
  engine = createEngine({ store: createInMemoryEventStore() });
  for (const c of [
    a.assign({ project: 'ring-road' }),
    b.assign(
      { sectionId: 'section-5', leadUnit: 'bureau-of-transport', coUnits: [], project: 'ring-road' },
      b.actors.otherSection,
    ),
    a.accept(),
    a.report(),
    b.accept(undefined, transport),
    a.requestClosure(),
    a.reviewClosure('good'),
    a.approveClosure('good'),
  ])
    await exec(engine, c);
  model = await rebuild(supervisionProjection, engine.readAll());
});

const unit = (unitId: string): Actor => ({ id: `staff-${unitId}`, kind: 'unit', unitId });
const section = (sectionId: string): Actor => ({
  id: `clerk-${sectionId}`,
  kind: 'section',
  unitId: sectionId,
});
const readers = {
  lead: unit('bureau-of-commerce'),
  coUnit: unit('bureau-of-finance'),
  otherLead: unit('bureau-of-transport'),
  unrelated: unit('bureau-of-housing'),
  section2: section('section-2'),
  section5: section('section-5'),
  mainLeader: { id: 'mayor', kind: 'main-leader' } as Actor,
  deputyLeader: { id: 'vice-mayor-li', kind: 'deputy-leader' } as Actor,
  inspectionOffice: { id: 'inspector-sun', kind: 'inspection-office' } as Actor,
  auditor: { id: 'auditor-feng', kind: 'auditor' } as Actor,
};

describe('read models as one reader (在一定范围内)', () => {
  const board = (as?: Actor) => taskBoard(model, now, ctx, as ? { as } : {}).map((c) => c.taskId);

  it('the task board: a unit sees the tasks it leads or co-operates on, a section those it supervises', () => {
    expect(board()).toEqual(['S-2', 'S-1']);
    expect(board(readers.lead)).toEqual(['S-1']);
    expect(board(readers.coUnit)).toEqual(['S-1']);
    expect(board(readers.otherLead)).toEqual(['S-2']);
    expect(board(readers.unrelated)).toEqual([]);
    expect(board(readers.section2)).toEqual(['S-1']);
    expect(board(readers.section5)).toEqual(['S-2']);
  });

  it.each(['mainLeader', 'deputyLeader', 'inspectionOffice', 'auditor'] as const)(
    '%s sees everything: board, warnings, scorecard, flags',
    (who) => {
      const as = readers[who];
      expect(board(as)).toEqual(board());
      expect(warnings(model, now, policy.accountability, ctx, { as })).toEqual(
        warnings(model, now, policy.accountability, ctx),
      );
      expect(quarterScorecard(model, '2022Q1', policy, ctx, { as })).toEqual(
        quarterScorecard(model, '2022Q1', policy, ctx),
      );
      expect(accountabilityFlags(model, '2022Q1', policy, ctx, { as })).toEqual(
        accountabilityFlags(model, '2022Q1', policy, ctx),
      );
    },
  );

  it('warnings are about tasks: a unit reads those of its own tasks only', () => {
    const all = warnings(model, now, policy.accountability, ctx);
    expect(all.map((w) => w.taskId)).toContain('S-2');
    expect(warnings(model, now, policy.accountability, ctx, { as: readers.lead })).toEqual([]);
    expect(
      warnings(model, now, policy.accountability, ctx, { as: readers.otherLead }).map((w) => w.taskId),
    ).toEqual(all.filter((w) => w.taskId === 'S-2').map((w) => w.taskId));
    expect(warnings(model, now, policy.accountability, ctx, { as: readers.section2 })).toEqual([]);
  });

  it('an unpublished scorecard: a unit reads its own line (same score and rank), a section none', () => {
    const all = unitScorecard(model, '2022Q1', policy, ctx);
    expect(all.map((s) => s.unitId).sort()).toEqual([
      'bureau-of-commerce',
      'bureau-of-finance',
      'bureau-of-transport',
    ]);
    const own = unitScorecard(model, '2022Q1', policy, ctx, { as: readers.coUnit });
    expect(own).toEqual(all.filter((s) => s.unitId === 'bureau-of-finance'));
    expect(unitScorecard(model, '2022Q1', policy, ctx, { as: readers.unrelated })).toEqual([]);
    expect(unitScorecard(model, '2022Q1', policy, ctx, { as: readers.section2 })).toEqual([]);
  });

  it('accountability flags: a unit reads its own, a section and other units none', () => {
    const all = accountabilityFlags(model, '2022Q1', policy, ctx);
    expect(all.some((f) => f.unitId === 'bureau-of-transport' && f.reason === 'seriously-behind')).toBe(true);
    expect(accountabilityFlags(model, '2022Q1', policy, ctx, { as: readers.otherLead })).toEqual(
      all.filter((f) => f.unitId === 'bureau-of-transport'),
    );
    expect(accountabilityFlags(model, '2022Q1', policy, ctx, { as: readers.lead })).toEqual([]);
    expect(accountabilityFlags(model, '2022Q1', policy, ctx, { as: readers.section5 })).toEqual([]);
  });

  it("a project's staged 通报 before publication: a unit reads its own standing, ranked among all", () => {
    const all = projectStages(model, 'ring-road', now, ctx);
    expect(all.map((s) => s.unitId)).toEqual(['bureau-of-commerce', 'bureau-of-transport']);
    expect(projectStages(model, 'ring-road', now, ctx, { as: readers.otherLead })).toEqual([all[1]]);
    expect(projectStages(model, 'ring-road', now, ctx, { as: readers.section2 })).toEqual([]);
  });

  it("a task's audit timeline: whole for those who may read the task, empty for others", async () => {
    const stream = await engine.readStream('task-S-1');
    const all = auditTimeline(stream);
    expect(all.length).toBeGreaterThan(0);
    for (const as of [readers.lead, readers.coUnit, readers.section2, readers.auditor, readers.mainLeader])
      expect(auditTimeline(stream, { as })).toEqual(all);
    for (const as of [readers.otherLead, readers.unrelated, readers.section5])
      expect(auditTimeline(stream, { as })).toEqual([]);
  });
});
