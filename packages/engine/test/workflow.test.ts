import { isLeft } from 'fp-ts/Either';
import { defaultContext, taskStreamId } from '@duban/domain';
import { taskFixture } from '@duban/testing';
import {
  createEngine,
  createInMemoryEventStore,
  DEFAULT_SCORING_POLICY,
  rebuild,
  supervisionProjection,
  taskBoard,
  unitScorecard,
  verifyAll,
} from '@duban/engine';
import { exec } from './scenario';

describe('the whole seed workflow through the engine (工作流程 end to end)', () => {
  it('runs a key task from registration to regrading, and the read models follow', async () => {
    const engine = createEngine({ store: createInMemoryEventStore() });
    const f = taskFixture({ taskId: 'E2E', key: true, deadlineInWorkingDays: 15 });
    const events: string[] = [];
    const step = async (...commands: Parameters<typeof exec>[1][]) => {
      for (const c of commands) events.push(...(await exec(engine, c)).events.map((e) => e.type));
    };

    await step(
      f.assign(),
      f.accept(),
      f.submitPlan({ milestones: [{ name: 'Pilot in two districts', due: f.day(6) }] }),
    );
    await step(f.report({}, f.day(2)), f.reportDifficulty(f.day(4)));
    await step(f.urge(f.day(5)), f.warn('yellow', f.day(6)), f.notice('DB-1', f.day(7)));
    await step(f.escalate(f.day(8))); // section → inspection office, with the mayor's consent
    // After escalation the inspection office supervises; the section may no longer urge.
    const denied = await engine.execute(
      { type: 'UrgeTask', data: { taskId: 'E2E', reason: 'again' } },
      { actor: f.actors.section, at: f.day(8, 2), commandId: 'urge-after-escalation' },
    );
    expect(isLeft(denied) && denied.left.code).toBe('NotAuthorized');
    await step(f.urge(f.day(9), f.actors.inspectionOffice));
    await step(f.requestExtension(f.day(25, 8), f.day(10)), f.rejectExtension(f.day(11)));
    await step(f.requestExtension(f.day(22, 8), f.day(11, 2)), f.approveExtension(f.day(12)));
    await step(f.openRectification('R-1', f.day(12, 1), f.actors.inspectionOffice, f.day(18)));
    await step(f.planRectification('R-1', f.day(13)), f.completeRectification('R-1', f.day(14)));
    await step(f.lookBack('passed', 'R-1', f.day(15), f.actors.inspectionOffice));
    await step(f.requestClosure(f.day(16)), f.rejectClosure(f.day(17)));
    await step(f.requestClosure(f.day(18)), f.reviewClosure('basic', f.day(19)));
    await step(f.approveClosure('good', f.day(20), f.actors.mainLeader, 'Pilot praised by the province'));
    await step(f.recognise('P-1', f.day(25)));

    expect(events).toEqual([
      'TaskAssigned',
      'TaskAccepted',
      'WorkPlanSubmitted',
      'ProgressReported',
      'ProgressReported',
      'TaskUrged',
      'WarningIssued',
      'SupervisionNoticeIssued',
      'TaskEscalated',
      'TaskUrged',
      'ExtensionRequested',
      'ExtensionRejected',
      'ExtensionRequested',
      'ExtensionApproved',
      'RectificationOpened',
      'RectificationPlanSubmitted',
      'RectificationCompleted',
      'LookBackReviewed',
      'ClosureRequested',
      'ClosureRejected',
      'ClosureRequested',
      'ClosureReviewed',
      'TaskClosed',
      'RecognitionRecorded',
      'TaskRegraded',
    ]);

    const stream = await engine.readStream(taskStreamId('E2E'));
    const closed = stream.find((e) => e.type === 'TaskClosed')!;
    expect(closed.data).toMatchObject({
      grade: 'good',
      suggestedGrade: 'basic',
      proposedGrade: 'basic',
      justification: 'Pilot praised by the province',
      approvedBy: { kind: 'main-leader' },
    });
    expect(stream.at(-1)!.data).toMatchObject({
      from: 'good',
      to: 'excellent',
      cause: { type: 'RecognitionRecorded', revision: 23 },
    });
    expect((await verifyAll(engine.readAll())).ok).toBe(true);

    const ctx = defaultContext();
    const model = await rebuild(supervisionProjection, engine.readAll());
    expect(taskBoard(model, f.day(26), ctx)[0]).toMatchObject({
      status: 'closed',
      supervisor: 'inspection-office',
      deadline: f.day(22, 8),
      extended: true,
      finalGrade: 'excellent',
      suggestedGrade: 'basic',
      urges: 2,
      openRectifications: [],
    });
    const [co, lead] = unitScorecard(model, '2022Q1', DEFAULT_SCORING_POLICY, ctx);
    // Key task, excellent: 100 × 2; sent back once (−1), one written notice (−2).
    expect(co).toMatchObject({
      rank: 1,
      unitId: 'bureau-of-finance',
      average: 100,
      deductions: 1.5,
      score: 98.5,
    });
    expect(lead).toMatchObject({
      rank: 2,
      unitId: 'bureau-of-commerce',
      average: 100,
      deductions: 3,
      score: 97,
    });
  });
});
