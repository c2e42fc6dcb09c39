import { isLeft } from 'fp-ts/Either';
import type { Actor, TaskCommand } from '@duban/domain';
import type { Committed, Engine } from '@duban/engine';
import { taskFixture } from './task-fixture';

/**
 * Scenarios that run through any engine (any store), so every adapter is checked on the same history:
 * the seed's whole workflow on one key task, and a small quarter with three units whose ranking is
 * computed by hand in the engine's scorecard test.
 */
export const scenarioUnits = {
  commerce: { id: 'director-zhou', kind: 'unit', unitId: 'bureau-of-commerce' } as Actor,
  finance: { id: 'officer-wu', kind: 'unit', unitId: 'bureau-of-finance' } as Actor,
  transport: { id: 'officer-zheng', kind: 'unit', unitId: 'bureau-of-transport' } as Actor,
};

/**
 * Executes a command made by a builder (`taskFixture()`'s `f.assign()`, `f.accept()`…, which carry
 * their actor and instant) on an engine, under `commandId` as its idempotency key, and returns what was
 * committed. For tests and scenarios only: a rejection (any `EngineError`) throws an `Error` naming the
 * command type and the error, since a scenario that breaks is a broken test. Application code calls
 * `engine.execute` and handles the `Either`.
 *
 * @example
 * const f = taskFixture({ taskId: 'T-1' });
 * await executeOrThrow(engine, f.assign(), 'assign-T-1');
 * const { events } = await executeOrThrow(engine, f.accept(), 'accept-T-1'); // [TaskAccepted]
 */
export const executeOrThrow = async (
  engine: Engine,
  command: TaskCommand,
  commandId: string,
): Promise<Committed> => {
  const result = await engine.execute(
    { type: command.type, data: command.data },
    { actor: command.actor, at: command.at, commandId },
  );
  if (isLeft(result)) throw new Error(`${command.type} was rejected: ${JSON.stringify(result.left)}`);
  return result.right;
};

const runAll = async (engine: Engine, prefix: string, commands: TaskCommand[]): Promise<string[]> => {
  const types: string[] = [];
  for (const [i, c] of commands.entries())
    types.push(...(await executeOrThrow(engine, c, `${prefix}-${i}`)).events.map((e) => e.type));
  return types;
};

/** 2022Q1: T1 (commerce, good), T2 (finance, key, basic after urging and a notice), T3 (transport, late → poor). */
export const runQuarterScenario = async (engine: Engine) => {
  const t1 = taskFixture({ taskId: 'T1' });
  const t2 = taskFixture({ taskId: 'T2', key: true });
  const t3 = taskFixture({ taskId: 'T3', deadlineInWorkingDays: 5 });
  const f = scenarioUnits.finance;
  const tr = scenarioUnits.transport;
  await runAll(engine, 'q-T1', [
    t1.assign(),
    t1.accept(),
    t1.submitPlan(),
    t1.report(),
    t1.requestClosure(),
    t1.reviewClosure('good'),
    t1.approveClosure('good'),
  ]);
  await runAll(engine, 'q-T2', [
    t2.assign({ leadUnit: 'bureau-of-finance', coUnits: [] }),
    t2.accept(undefined, f),
    t2.report({}, t2.day(2), f),
    t2.urge(),
    t2.notice(),
    t2.requestClosure(t2.day(12), f),
    t2.reviewClosure('basic'),
    t2.approveClosure('basic'),
  ]);
  await runAll(engine, 'q-T3', [
    t3.assign({ leadUnit: 'bureau-of-transport', coUnits: ['bureau-of-commerce'] }),
    t3.accept(undefined, tr),
    t3.report({}, t3.day(2), tr),
    t3.checkDeadlines(t3.day(6)),
    t3.requestClosure(t3.day(8), tr),
    t3.reviewClosure('poor', t3.day(9)),
    t3.approveClosure('poor', t3.day(10)),
  ]);
  return { t1, t2, t3 };
};

/** The seed's whole workflow on one key task; returns the event types it committed, in order. */
export const runSeedWorkflow = async (engine: Engine, taskId = 'E2E') => {
  const f = taskFixture({ taskId, key: true, deadlineInWorkingDays: 15 });
  const types = await runAll(engine, `wf-${taskId}`, [
    f.assign(),
    f.accept(),
    f.submitPlan({ milestones: [{ name: 'Pilot in two districts', due: f.day(6) }] }),
    f.report({}, f.day(2)),
    f.reportDifficulty(f.day(4)),
    f.urge(f.day(5)),
    f.warn('yellow', f.day(6)),
    f.notice('DB-1', f.day(7)),
    f.escalate(f.day(8)), // section → inspection office, with the mayor's consent
    f.urge(f.day(9), f.actors.inspectionOffice),
    f.requestExtension(f.day(25, 8), f.day(10)),
    f.rejectExtension(f.day(11)),
    f.requestExtension(f.day(22, 8), f.day(11, 2)),
    f.approveExtension(f.day(12)),
    f.openRectification('R-1', f.day(12, 1), f.actors.inspectionOffice, f.day(18)),
    f.planRectification('R-1', f.day(13)),
    f.completeRectification('R-1', f.day(14)),
    f.lookBack('passed', 'R-1', f.day(15), f.actors.inspectionOffice),
    f.requestClosure(f.day(16)),
    f.rejectClosure(f.day(17)),
    f.requestClosure(f.day(18)),
    f.reviewClosure('basic', f.day(19)),
    f.approveClosure('good', f.day(20), f.actors.mainLeader, 'Pilot praised by the province'),
    f.recognise('P-1', f.day(25)),
  ]);
  return { f, types };
};

export const SEED_WORKFLOW_EVENTS = [
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
] as const;
