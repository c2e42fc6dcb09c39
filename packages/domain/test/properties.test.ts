import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { isLeft, isRight, type Either } from 'fp-ts/Either';
import { taskFixture } from '@duban/testing';
import {
  ACCEPTED_WHEN_CLOSED,
  GRADES,
  TaskEvents,
  applyTask,
  deadlineDueTime,
  decodeCommand,
  defaultContext,
  dueTimes,
  limitDueTimes,
  decodeEvent,
  fold,
  taskDecider,
  type Actor,
  type DomainError,
  type TaskCommand,
  type TaskCommandOf,
  type TaskCommandType,
  type TaskEvent,
  type TaskState,
} from '@duban/domain';

/**
 * Random command sequences through the task decider: valid and invalid actors, times moving forward
 * with occasional repeats and steps back, ids from small pools. Whatever happens, the invariants of
 * an event-sourced decider hold.
 */

const f = taskFixture();
const ctx = defaultContext();
const BASE = Date.parse(f.assignedAt);
const MINUTE = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

const A = f.actors;
const anyActor: fc.Arbitrary<Actor> = fc.constantFrom(
  ...Object.values(A),
  { id: 'stray-unit', kind: 'unit' } as Actor, // a unit actor who names no unit
);
/** Mostly the actor the rules name, sometimes anyone. */
const actor = (...likely: Actor[]) =>
  fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...likely) }, { weight: 1, arbitrary: anyActor });
/** An offset in minutes from the command time, mostly ahead, sometimes behind. */
const offset = fc.oneof(
  { weight: 5, arbitrary: fc.integer({ min: 1, max: 40 * 24 * 60 }) },
  { weight: 1, arbitrary: fc.integer({ min: -3 * 24 * 60, max: 0 }) },
);
const pool = (...ids: string[]) => fc.constantFrom(...ids);
const grade = fc.constantFrom(...GRADES);

/** Makes the next command(s) at a time; it may read the state so far (e.g. which report to answer). */
type Make = (at: string, ms: number, state: TaskState) => TaskCommand | TaskCommand[];
const cmd = <K extends TaskCommandType>(
  type: K,
  who: Actor,
  at: string,
  data: Omit<TaskCommandOf<K>['data'], 'taskId'>,
): TaskCommand => ({ type, actor: who, at, data: { taskId: f.taskId, ...data } }) as unknown as TaskCommand;

const template = {
  assign: f.assign().data,
  plan: f.submitPlan().data,
};

const single: fc.Arbitrary<Make> = fc.oneof(
  fc
    .record({
      who: actor(A.section, A.deputyLeader, A.mainLeader),
      deadline: offset,
      originKind: fc.constantFrom('deputy-leader' as const, 'main-leader' as const),
      coUnits: fc.shuffledSubarray([
        'bureau-of-finance',
        'bureau-of-transport',
        'bureau-of-commerce',
        'bureau-of-finance',
      ]),
      key: fc.option(fc.boolean(), { nil: undefined }),
      complexity: fc.option(fc.constantFrom('ordinary' as const, 'major' as const), { nil: undefined }),
    })
    .map(
      ({ who, deadline, originKind, coUnits, key, complexity }): Make =>
        (at, ms) =>
          cmd('AssignTask', who, at, {
            ...template.assign,
            coUnits,
            deadline: iso(ms + deadline * MINUTE),
            origin: { kind: originKind, leaderId: originKind === 'main-leader' ? 'mayor' : 'vice-mayor-li' },
            ...(key === undefined ? {} : { key }),
            ...(complexity === undefined ? {} : { complexity }),
          }),
    ),
  actor(A.leadUnit).map(
    (who): Make =>
      (at) =>
        cmd('AcceptTask', who, at, { deployment: 'Task force set up' }),
  ),
  fc.record({ who: actor(A.leadUnit), milestones: fc.array(offset, { maxLength: 2 }) }).map(
    ({ who, milestones }): Make =>
      (at, ms) =>
        cmd('SubmitWorkPlan', who, at, {
          ...template.plan,
          milestones: milestones.map((m, i) => ({ name: `Stage ${i + 1}`, due: iso(ms + m * MINUTE) })),
        }),
  ),
  fc
    .record({
      who: actor(A.leadUnit, A.coUnit),
      status: fc.constantFrom('on-track' as const, 'difficulty' as const),
      percent: fc.integer({ min: 0, max: 100 }),
      details: fc.boolean(),
    })
    .map(
      ({ who, status, percent, details }): Make =>
        (at) =>
          cmd('ReportProgress', who, at, {
            status,
            summary: 'Progress',
            percentComplete: percent,
            ...(details ? { difficulties: 'Blocked', proposals: 'Convene' } : {}),
          }),
    ),
  actor(A.section, A.inspectionOffice).map(
    (who): Make =>
      (at) =>
        cmd('UrgeTask', who, at, { reason: 'Late' }),
  ),
  fc
    .record({
      who: actor(A.section, A.inspectionOffice),
      level: fc.constantFrom('yellow' as const, 'red' as const),
    })
    .map(
      ({ who, level }): Make =>
        (at) =>
          cmd('IssueWarning', who, at, { level, reason: 'Lagging' }),
    ),
  fc
    .record({
      who: actor(A.section, A.inspectionOffice),
      noticeNo: pool('DB-1', 'DB-2'),
      respondBy: fc.option(offset, { nil: undefined }),
    })
    .map(
      ({ who, noticeNo, respondBy }): Make =>
        (at, ms) =>
          cmd('IssueSupervisionNotice', who, at, {
            noticeNo,
            requirements: 'Report',
            ...(respondBy === undefined ? {} : { respondBy: iso(ms + respondBy * MINUTE) }),
          }),
    ),
  fc.record({ who: actor(A.leadUnit, A.coUnit), noticeNo: pool('DB-1', 'DB-2', 'DB-9') }).map(
    ({ who, noticeNo }): Make =>
      (at, _ms, state) =>
        noticeNo === 'DB-9' || state.notices.length > 0
          ? cmd('RespondToNotice', who, at, {
              noticeNo: noticeNo === 'DB-9' ? noticeNo : state.notices.at(-1)!.noticeNo,
              response: 'Done',
            })
          : [
              cmd('IssueSupervisionNotice', A.section, at, { noticeNo, requirements: 'Reply' }),
              cmd('RespondToNotice', who, at, { noticeNo, response: 'Done' }),
            ],
  ),
  fc
    .record({
      who: actor(A.section, A.inspectionOffice, A.deputyLeader),
      revision: fc.integer({ min: 0, max: 12 }),
    })
    .map(
      ({ who, revision }): Make =>
        (at, _ms, state) =>
          cmd('AnswerDifficulty', who, at, {
            // mostly the latest difficulty reported, sometimes any revision at all
            reportRevision: revision % 3 === 0 ? revision : (state.difficulties.at(-1)?.revision ?? revision),
            decision: 'Coordinated',
          }),
    ),
  fc.record({ who: actor(A.section, A.inspectionOffice, A.mainLeader), consent: fc.boolean() }).map(
    ({ who, consent }): Make =>
      (at) =>
        cmd('EscalateTask', who, at, {
          reason: 'No effect',
          ...(consent ? { consent: { ref: 'Memo', by: 'mayor' } } : {}),
        }),
  ),
  fc.record({ who: actor(A.leadUnit), requested: offset }).map(
    ({ who, requested }): Make =>
      (at, ms) =>
        cmd('RequestExtension', who, at, {
          requestedDeadline: iso(ms + requested * MINUTE),
          reason: 'Delay',
        }),
  ),
  fc.record({ who: actor(A.section), newDeadline: fc.option(offset, { nil: undefined }) }).map(
    ({ who, newDeadline }): Make =>
      (at, ms) =>
        cmd('ApproveExtension', who, at, {
          leaderApproval: { ref: 'Approved', by: 'vice-mayor-li' },
          ...(newDeadline === undefined ? {} : { newDeadline: iso(ms + newDeadline * MINUTE) }),
        }),
  ),
  actor(A.section).map(
    (who): Make =>
      (at) =>
        cmd('RejectExtension', who, at, { reason: 'No' }),
  ),
  actor(A.leadUnit).map(
    (who): Make =>
      (at) =>
        cmd('RequestClosure', who, at, { summary: 'Done', results: 'Met' }),
  ),
  fc.record({ who: actor(A.section), g: grade }).map(
    ({ who, g }): Make =>
      (at) =>
        cmd('ReviewClosure', who, at, { proposedGrade: g, opinion: 'OK' }),
  ),
  fc.record({ who: actor(A.deputyLeader, A.mainLeader), g: grade, justify: fc.boolean() }).map(
    ({ who, g, justify }): Make =>
      (at) =>
        cmd('ApproveClosure', who, at, { grade: g, ...(justify ? { justification: 'Because' } : {}) }),
  ),
  actor(A.section, A.deputyLeader, A.mainLeader).map(
    (who): Make =>
      (at) =>
        cmd('RejectClosure', who, at, { reason: 'Not yet' }),
  ),
  fc.record({ who: actor(A.section, A.inspectionOffice), id: pool('R-1', 'R-2'), due: offset }).map(
    ({ who, id, due }): Make =>
      (at, ms) =>
        cmd('OpenRectification', who, at, {
          rectificationId: id,
          problem: 'Queues',
          source: 'inspection',
          dueBy: iso(ms + due * MINUTE),
        }),
  ),
  fc.record({ who: actor(A.leadUnit), id: pool('R-1', 'R-2') }).map(
    ({ who, id }): Make =>
      (at) =>
        cmd('SubmitRectificationPlan', who, at, { rectificationId: id, measures: ['More windows'] }),
  ),
  fc.record({ who: actor(A.leadUnit), id: pool('R-1', 'R-2') }).map(
    ({ who, id }): Make =>
      (at) =>
        cmd('CompleteRectification', who, at, { rectificationId: id, summary: 'Done' }),
  ),
  fc
    .record({
      who: actor(A.section, A.inspectionOffice),
      id: pool('R-1', 'R-2'),
      result: fc.constantFrom('passed' as const, 'failed' as const),
    })
    .map(
      ({ who, id, result }): Make =>
        (at) =>
          cmd('ReviewLookBack', who, at, { rectificationId: id, result, findings: 'Checked' }),
    ),
  fc.record({ who: actor(A.mainLeader, A.inspectionOffice), id: pool('P-1', 'P-2') }).map(
    ({ who, id }): Make =>
      (at) =>
        cmd('RecordRecognition', who, at, {
          recognitionId: id,
          source: 'national-ministry',
          reference: 'Letter',
          summary: 'Praise',
        }),
  ),
  fc.record({ who: actor(A.mainLeader, A.inspectionOffice), id: pool('C-1', 'C-2') }).map(
    ({ who, id }): Make =>
      (at) =>
        cmd('RecordCriticism', who, at, {
          criticismId: id,
          source: 'meeting',
          reference: 'Minutes',
          summary: 'Named',
        }),
  ),
  fc.record({ who: actor(A.inspectionOffice, A.mainLeader), id: pool('F-1', 'F-2') }).map(
    ({ who, id }): Make =>
      (at) =>
        cmd('RecordFalsification', who, at, {
          findingId: id,
          description: 'Inflated',
          consequences: 'serious',
        }),
  ),
);

/** Runs of commands that move the story on, so that random sequences reach closure and beyond. */
const story: fc.Arbitrary<Make> = fc.oneof(
  fc.constant<Make>((at) => [
    cmd('AcceptTask', A.leadUnit, at, {}),
    cmd('ReportProgress', A.leadUnit, at, { status: 'on-track', summary: 'Going', percentComplete: 30 }),
  ]),
  fc
    .record({
      g: grade,
      approver: fc.constantFrom(A.mainLeader, A.deputyLeader),
      after: fc.subarray(['RecordCriticism', 'RecordRecognition', 'RecordFalsification'] as const),
    })
    .map(({ g, approver, after }): Make => (at) => [
      cmd('AcceptTask', A.leadUnit, at, {}),
      cmd('RequestClosure', A.leadUnit, at, { summary: 'Done', results: 'Met' }),
      cmd('ReviewClosure', A.section, at, { proposedGrade: g, opinion: 'OK' }),
      cmd('ApproveClosure', approver, at, { grade: g, justification: 'Weighed the facts' }),
      ...after.map((type) =>
        type === 'RecordCriticism'
          ? cmd(type, A.mainLeader, at, {
              criticismId: 'C-9',
              source: 'meeting',
              reference: 'M',
              summary: 'S',
            })
          : type === 'RecordRecognition'
            ? cmd(type, A.mainLeader, at, {
                recognitionId: 'P-9',
                source: 'national-ministry',
                reference: 'L',
                summary: 'S',
              })
            : cmd(type, A.inspectionOffice, at, {
                findingId: 'F-9',
                description: 'D',
                consequences: 'serious',
              }),
      ),
    ]),
);

/** A rectification cycle (open → plan → complete → look-back) and a closure sent back at review. */
const cycles: fc.Arbitrary<Make> = fc.oneof(
  fc
    .record({ id: pool('R-1', 'R-2'), result: fc.constantFrom('passed' as const, 'failed' as const) })
    .map(({ id, result }): Make => (at, ms) => [
      cmd('OpenRectification', A.section, at, {
        rectificationId: id,
        problem: 'Queues',
        source: 'self-check',
        dueBy: iso(ms + 5 * 24 * 60 * MINUTE),
      }),
      cmd('SubmitRectificationPlan', A.leadUnit, at, { rectificationId: id, measures: ['More windows'] }),
      cmd('CompleteRectification', A.leadUnit, at, { rectificationId: id, summary: 'Done' }),
      cmd('ReviewLookBack', A.section, at, { rectificationId: id, result, findings: 'Checked' }),
    ]),
  fc.constant<Make>((at) => [
    cmd('AcceptTask', A.leadUnit, at, {}),
    cmd('RequestClosure', A.leadUnit, at, { summary: 'Done', results: 'Met' }),
    cmd('RejectClosure', A.section, at, { reason: 'Not yet' }),
  ]),
  fc.boolean().map((approve): Make => (at, ms) => [
    cmd('AcceptTask', A.leadUnit, at, {}),
    cmd('RequestExtension', A.leadUnit, at, {
      requestedDeadline: iso(ms + 60 * 24 * 60 * MINUTE),
      reason: 'Delay',
    }),
    approve
      ? cmd('ApproveExtension', A.section, at, { leaderApproval: { ref: 'Approved', by: 'vice-mayor-li' } })
      : cmd('RejectExtension', A.section, at, { reason: 'No' }),
  ]),
);

/** The deadline check, from the clock sweep mostly. */
const check = actor(A.system, A.section, A.inspectionOffice).map(
  (who): Make =>
    (at) =>
      cmd('CheckDeadlines', who, at, {}),
);

const commands: fc.Arbitrary<Make> = fc.oneof(
  { weight: 3, arbitrary: check },
  { weight: 1, arbitrary: cycles },
  { weight: 12, arbitrary: single },
  { weight: 1, arbitrary: story },
);

/** Time steps in minutes: mostly forward, sometimes the same instant, sometimes back. */
const step = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 1, max: 5 * 24 * 60 }) },
  { weight: 1, arbitrary: fc.constant(0) },
  { weight: 1, arbitrary: fc.integer({ min: -2 * 24 * 60, max: -1 }) },
);

/** Usually the story starts with a valid registration. */
const scenario = fc.record({
  registered: fc.integer({ min: 0, max: 9 }).map((n) => n > 0),
  steps: fc.array(fc.tuple(step, commands), { minLength: 10, maxLength: 30, size: 'max' }),
});

const deepFreeze = <T>(value: T): T => {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
};

const CLOSED_FACTS = new Set([
  'RecognitionRecorded',
  'CriticismRecorded',
  'FalsificationFound',
  'LookBackReviewed',
  'TaskRegraded',
]);

/** Deep equality, cheap when it holds; jest's diff when it does not. */
const same = (actual: unknown, expected: unknown) => {
  if (!isDeepStrictEqual(actual, expected)) expect(actual).toEqual(expected);
};

const run = (registered: boolean, steps: Array<[number, Make]>) => {
  let ms = BASE;
  let immutable = taskDecider.initialState();
  const inPlace = taskDecider.initialState();
  const history: TaskEvent[] = [];
  // Each step's commands are made when the step comes, from the state reached by then.
  const script = function* (): Generator<TaskCommand> {
    if (registered) yield f.assign();
    for (const [dt, make] of steps) {
      ms += dt * MINUTE;
      yield* [make(iso(ms), ms, structuredClone(immutable))].flat();
    }
  };

  for (const command of script()) {
    // every generated command is valid input: the decider sees what the codec lets through
    const decoded = decodeCommand(command);
    if (isLeft(decoded)) throw new Error(`generator made invalid input: ${decoded.left.message}`);

    const before = structuredClone(inPlace);
    let result: Either<DomainError, TaskEvent[]>;
    let again: Either<DomainError, TaskEvent[]>;
    try {
      result = taskDecider.decide(command, immutable);
      again = taskDecider.decide(command, inPlace);
    } catch (error) {
      throw new Error(`decide threw on ${JSON.stringify(command)}: ${String(error)}`);
    }
    // decide is a function of (command, state): the same answer on either copy, and neither copy changes
    same(again, result);
    same(inPlace, before);

    const wasClosed = immutable.status === 'closed';
    if (isLeft(result)) {
      expect(result.left).toMatchObject({
        kind: 'DomainError',
        code: expect.any(String),
        message: expect.any(String),
      });
      if (wasClosed && !ACCEPTED_WHEN_CLOSED.has(command.type))
        expect(['TaskClosed', 'AuditorsCannotAct', 'NotAuthorized']).toContain(result.left.code);
      continue;
    }

    const events = deepFreeze(result.right);
    if (wasClosed) {
      expect(ACCEPTED_WHEN_CLOSED.has(command.type)).toBe(true);
      for (const e of events) expect(CLOSED_FACTS.has(e.type)).toBe(true);
    }
    for (const event of events) {
      same(decodeEvent(event), { _tag: 'Right', right: event });
      immutable = taskDecider.evolve(immutable, event);
      applyTask(inPlace, event); // throws if a recipe writes into the frozen event
      history.push(event);
      if (event.type === 'TaskRegraded' || event.type === 'TaskClosed')
        for (const reason of event.data.reasons)
          for (const ref of reason.events) expect(history[ref.revision]?.type).toBe(ref.type);
      if (event.type === 'TaskRegraded')
        expect(history[event.data.cause.revision]?.type).toBe(event.data.cause.type);
    }
    if (wasClosed) expect(immutable.status).toBe('closed');
    // Scoring a closed task reads its limits and deadline alone: the same entries dueTimes lists.
    same(
      immutable.assigned ? [...limitDueTimes(immutable, ctx), deadlineDueTime(immutable)] : [],
      dueTimes(immutable, ctx).filter((d) => d.kind === 'milestone' || d.kind === 'deadline'),
    );

    if (command.type === 'CheckDeadlines') {
      const second = taskDecider.decide(command, immutable);
      expect(isRight(second) && second.right).toEqual([]);
    }
  }

  expect(immutable.version).toBe(history.length);
  same(inPlace, immutable);
  // replay from the stored events alone reproduces the state
  const replayed: TaskState = fold(taskDecider, history);
  same(replayed, immutable);
  return history;
};

describe('the task decider under random command sequences', () => {
  it('keeps its invariants: replay, purity, closed tasks, codecs, exactly-once deadline signals', () => {
    fc.assert(
      fc.property(scenario, ({ registered, steps }) => {
        run(registered, steps);
      }),
      { numRuns: 100, interruptAfterTimeLimit: 10_000 },
    );
  });

  it('exercises the whole lifecycle: the generator reaches every kind of event', () => {
    const seen = new Map<string, number>();
    fc.assert(
      fc.property(scenario, ({ registered, steps }) => {
        for (const type of new Set(run(registered, steps).map((e) => e.type)))
          seen.set(type, (seen.get(type) ?? 0) + 1);
      }),
      { numRuns: 60, seed: 20220129, interruptAfterTimeLimit: 10_000 },
    );
    expect(Object.keys(TaskEvents).filter((type) => !seen.has(type))).toEqual([]);
  });
});
