import { isLeft, isRight } from 'fp-ts/Either';
import { defaultContext, DEFAULT_SCORING_POLICY, type Command } from '@duban/domain';
import {
  createEngine,
  createInMemoryEventStore,
  projectStages,
  rebuild,
  supervisionProjection,
  taskBoard,
  warnings,
  type Engine,
} from '@duban/engine';
import { taskFixture } from '@duban/testing';

const ctx = defaultContext();
let n = 0;
const exec = async (engine: Engine, c: Command) => {
  const r = await engine.execute(
    { type: c.type, data: c.data },
    { actor: c.actor, at: c.at, commandId: `wf-${++n}` },
  );
  if (isLeft(r)) throw new Error(`${c.type}: ${r.left.message}`);
  return r.right;
};
const fresh = () => createEngine({ store: createInMemoryEventStore() });

describe('what the engine checks across streams, and the read models of issue 13', () => {
  it('an inspection names only tasks on record (the unit stream cannot know: the engine looks)', async () => {
    const engine = fresh();
    const f = taskFixture({ taskId: 'IN-1' });
    await exec(engine, f.assign());
    const inspect = (taskIds: string[]) =>
      engine.execute(
        {
          type: 'RecordInspection',
          data: {
            unitId: 'bureau-of-commerce',
            inspectionId: `I-${taskIds.join('-')}`,
            approval: { ref: 'Mayor approved inspection 3', by: 'mayor' },
            methods: ['hear-reports'],
            findings: 'Queues',
            opinion: 'Add windows',
            taskIds,
          },
        },
        { actor: f.actors.inspectionOffice, at: f.day(5), commandId: `inspect-${taskIds.join('-')}` },
      );
    expect(isRight(await inspect(['IN-1']))).toBe(true);
    const ghost = await inspect(['IN-1', 'GHOST-9']);
    expect(isLeft(ghost) && ghost.left).toMatchObject({ code: 'TaskNotFound', field: 'data.taskIds.1' });
  });

  it('warnings: a difficulty the office has not answered in time, and an extension reply overdue', async () => {
    const engine = fresh();
    const f = taskFixture({ taskId: 'W-1' });
    for (const c of [
      f.assign(),
      f.accept(),
      f.report(),
      f.reportDifficulty(f.day(4)),
      f.requestExtension(f.day(30, 8), f.day(10)),
    ])
      await exec(engine, c);
    const model = await rebuild(supervisionProjection, engine.readAll());
    const kinds = (now: string) =>
      warnings(model, now, DEFAULT_SCORING_POLICY.accountability, ctx).map((w) => w.kind);
    expect(kinds(f.day(8))).not.toContain('difficulty-unanswered');
    expect(kinds(f.day(9))).toContain('difficulty-unanswered');
    expect(kinds(f.day(14))).toContain('reply-overdue');
    await exec(engine, f.answerDifficulty(3, f.day(9, 1)));
    const answered = await rebuild(supervisionProjection, engine.readAll());
    expect(
      warnings(answered, f.day(14), DEFAULT_SCORING_POLICY.accountability, ctx).map((w) => w.kind),
    ).not.toContain('difficulty-unanswered');
  });

  it('the board shows a work plan’s milestones; a major project’s staged 通报 ranks lead units by stage and milestones met', async () => {
    const engine = fresh();
    const a = taskFixture({ taskId: 'P-1' });
    const b = taskFixture({ taskId: 'P-2' });
    const transport = { id: 'officer-zheng', kind: 'unit' as const, unitId: 'bureau-of-transport' };
    for (const c of [
      a.assign({ project: 'ring-road', coUnits: [] }),
      b.assign({ project: 'ring-road', leadUnit: 'bureau-of-transport', coUnits: [] }),
      a.accept(),
      a.submitPlan({
        milestones: [
          { name: 'Design', due: a.day(5) },
          { name: 'Tender', due: a.day(12) },
        ],
      }),
      a.report({ milestonesMet: ['Design'] }, a.day(4)),
      b.accept(undefined, transport),
    ])
      await exec(engine, c);
    const model = await rebuild(supervisionProjection, engine.readAll());
    expect(taskBoard(model, a.day(6), ctx).find((c) => c.taskId === 'P-1')!.milestones).toEqual([
      { name: 'Design', due: a.day(5), metAt: a.day(4) },
      { name: 'Tender', due: a.day(12) },
    ]);
    const stages = projectStages(model, 'ring-road', a.day(6), ctx);
    expect(stages.map((s) => [s.rank, s.unitId, s.stage, s.milestonesMetOnTime, s.milestonesDue])).toEqual([
      [1, 'bureau-of-commerce', 2, 1, 1],
      [2, 'bureau-of-transport', 1, 0, 0],
    ]);
  });
});
