import { isLeft } from 'fp-ts/Either';
import type { Command } from '@duban/domain';
import {
  createEngine,
  createInMemoryEventStore,
  rebuild,
  supervisionProjection,
  taskWork,
  type Engine,
} from '@duban/engine';
import { taskFixture } from '@duban/testing';

let n = 0;
const exec = async (engine: Engine, c: Command) => {
  const r = await engine.execute(
    { type: c.type, data: c.data },
    { actor: c.actor, at: c.at, commandId: `work-${++n}` },
  );
  if (isLeft(r)) throw new Error(`${c.type}: ${r.left.message}`);
};

describe('taskWork: the work beside the lifecycle (办理情况)', () => {
  it('names milestones met and missed, co-unit reports, notice replies and answered difficulties', async () => {
    const engine = createEngine({ store: createInMemoryEventStore() });
    const f = taskFixture({ taskId: 'TW-1' });
    for (const c of [
      f.assign(), // rev 0
      f.accept(), // 1
      f.submitPlan({
        milestones: [
          { name: 'Design', due: f.day(5) },
          { name: 'Tender', due: f.day(8) },
          { name: 'Build', due: f.day(15) },
        ],
      }), // 2
      f.report({ summary: 'Funds set aside', percentComplete: 5 }, f.day(3), f.actors.coUnit), // 3
      f.report({ milestonesMet: ['Design'] }, f.day(4)), // 4
      f.reportDifficulty(f.day(6)), // 5
      f.reportDifficulty(f.day(7)), // 6
      f.answerDifficulty(5, f.day(7, 1)), // 7
      {
        type: 'IssueSupervisionNotice',
        actor: f.actors.section,
        at: f.day(7, 2),
        data: { taskId: 'TW-1', noticeNo: 'N-1', requirements: 'Report the tender', respondBy: f.day(9) },
      } as Command, // 8
      f.report({ milestonesMet: ['Tender'] }, f.day(9, 2)), // 9: late
      f.respondToNotice('N-1', f.day(10)), // 10: late
    ])
      await exec(engine, c);
    const model = await rebuild(supervisionProjection, engine.readAll());
    const envelopes = await engine.readStream('task-TW-1');
    const work = taskWork(model.tasks['TW-1']!, envelopes, f.day(12));

    expect(work.milestones.map((m) => [m.name, m.status, m.met?.revision])).toEqual([
      ['Design', 'met-on-time', 4],
      ['Tender', 'met-late', 9],
      ['Build', 'not-yet-due', undefined],
    ]);
    expect(taskWork(model.tasks['TW-1']!, envelopes, f.day(16)).milestones[2]!.status).toBe('missed');
    expect(work.coUnits).toEqual([
      {
        unitId: 'bureau-of-finance',
        duty: 'bureau-of-finance: fees and funding for the reform',
        reports: [{ at: f.day(3), revision: 3, summary: 'Funds set aside' }],
      },
    ]);
    expect(work.notices).toEqual([
      expect.objectContaining({
        noticeNo: 'N-1',
        revision: 8,
        status: 'met-late',
        reply: expect.objectContaining({ revision: 10 }),
      }),
    ]);
    expect(work.difficulties.map((d) => [d.revision, d.answer?.revision])).toEqual([
      [5, 7],
      [6, undefined],
    ]);
    expect(work.difficulties[0]!.difficulties).toBe('No data-sharing agreement with the tax bureau');
    expect(work.difficulties[0]!.answer!.decision).toMatch(/^Finance bureau to release the funds/);
  });
});
