import { isLeft } from 'fp-ts/Either';
import {
  createCalendar,
  taskDecider,
  type Actor,
  type TaskCommand,
  type TaskCommandOf,
  type TaskCommandType,
  type TaskDecider,
  type TaskEvent,
} from '@duban/domain';

/**
 * Builders for valid task commands, so a test states only what matters to it. Times are given as
 * working-day offsets from the assignment (`f.day(3)` = three working days later, same time of day).
 * `f.history(...)` runs commands through the decider and returns the events: a given-history that is
 * valid by construction.
 */
export interface TaskFixtureOptions {
  readonly taskId?: string;
  /** Assignment instant; default Tuesday 1 March 2022, 09:00 in Changzhi. */
  readonly assignedAt?: string;
  /** Deadline in working days after assignment; default 20 (a major item under 13710). */
  readonly deadlineInWorkingDays?: number;
  readonly origin?: 'main-leader' | 'deputy-leader';
  readonly key?: boolean;
  readonly decider?: TaskDecider;
}

type DataOf<K extends TaskCommandType> = Omit<TaskCommandOf<K>['data'], 'taskId'>;

/**
 * Builders of valid commands for one task: `f.assign()`, `f.accept()`, `f.submitPlan()`, `f.report()`,
 * `f.urge()`, `f.requestClosure()`, `f.reviewClosure(grade)`, `f.approveClosure(grade)` and the rest of
 * the workflow, each a `TaskCommand` with its actor (who may do it on this task) and instant (a working
 * day after the assignment). Arguments override what matters to a test: the data (`f.assign({ coUnits:
 * [] })`), the instant (`f.day(3)`, `f.day(3, 2)` = two hours later) and the actor (`f.actors.coUnit`).
 * `f.history(...commands)` runs them through the decider and returns the events they decide: a
 * given-history valid by construction. Run the commands on an engine with `executeOrThrow`.
 */
export const taskFixture = (options: TaskFixtureOptions = {}) => {
  const calendar = createCalendar();
  const taskId = options.taskId ?? 'T-2022-001';
  const assignedAt = options.assignedAt ?? '2022-03-01T09:00:00.000+08:00';
  const decider = options.decider ?? taskDecider;
  const day = (workingDays: number, hours = 0): string => {
    const base = calendar.addWorkingDays(assignedAt, workingDays);
    return hours === 0 ? base : new Date(Date.parse(base) + hours * 3_600_000).toISOString();
  };
  const deadline = day(options.deadlineInWorkingDays ?? 20, 8); // 17:00 local on the last day

  const actors = {
    mainLeader: { id: 'mayor', kind: 'main-leader' } as Actor,
    deputyLeader: { id: 'vice-mayor-li', kind: 'deputy-leader' } as Actor,
    otherDeputyLeader: { id: 'vice-mayor-wang', kind: 'deputy-leader' } as Actor,
    section: { id: 'clerk-zhao', kind: 'section', unitId: 'section-2' } as Actor,
    otherSection: { id: 'clerk-qian', kind: 'section', unitId: 'section-5' } as Actor,
    inspectionOffice: { id: 'inspector-sun', kind: 'inspection-office' } as Actor,
    leadUnit: { id: 'director-zhou', kind: 'unit', unitId: 'bureau-of-commerce' } as Actor,
    coUnit: { id: 'officer-wu', kind: 'unit', unitId: 'bureau-of-finance' } as Actor,
    otherUnit: { id: 'officer-zheng', kind: 'unit', unitId: 'bureau-of-transport' } as Actor,
    auditor: { id: 'auditor-feng', kind: 'auditor' } as Actor,
    system: { id: '13710-system', kind: 'system' } as Actor,
  };
  const origin = options.origin ?? 'deputy-leader';
  const originLeader = origin === 'main-leader' ? actors.mainLeader : actors.deputyLeader;
  /** Who approves closure and extensions for this task by default. */
  const approver = options.key ? actors.mainLeader : actors.deputyLeader;
  const supervisor = origin === 'main-leader' ? actors.inspectionOffice : actors.section;

  const command = <K extends TaskCommandType>(
    type: K,
    actor: Actor,
    at: string,
    data: DataOf<K>,
  ): TaskCommandOf<K> => ({ type, actor, at, data: { taskId, ...data } }) as unknown as TaskCommandOf<K>;

  const defaults = {
    /** Every co-unit gets a duty (细化各自职责) unless `coUnitDuties` is given (to test the rule itself). */
    assign: (over: Partial<DataOf<'AssignTask'>> = {}, actor: Actor = actors.section, at = assignedAt) => {
      const coUnits = over.coUnits ?? ['bureau-of-finance'];
      return command('AssignTask', actor, at, {
        title: 'Cut business registration time to 3 working days',
        source: 'government-meeting-decisions',
        leadUnit: 'bureau-of-commerce',
        coUnits,
        deadline,
        approval: { ref: 'CZ-GOV-2022-017', by: 'mayor' },
        origin: { kind: origin, leaderId: originLeader.id },
        sectionId: 'section-2',
        ...(options.key ? { key: true } : {}),
        ...(coUnits.length > 0
          ? {
              coUnitDuties: coUnits.map((unitId) => ({
                unitId,
                duty: `${unitId}: fees and funding for the reform`,
              })),
            }
          : {}),
        ...over,
      });
    },
    accept: (at = day(0, 2), actor: Actor = actors.leadUnit) =>
      command('AcceptTask', actor, at, { deployment: 'Party group meeting assigned a task force' }),
    submitPlan: (over: Partial<DataOf<'SubmitWorkPlan'>> = {}, at = day(1), actor: Actor = actors.leadUnit) =>
      command('SubmitWorkPlan', actor, at, {
        checklist: [
          {
            task: 'Merge registration windows',
            responsible: 'Deputy director Chen',
            measures: 'One-window service',
            result: 'One visit',
          },
        ],
        matrix: {
          goals: [
            {
              goal: 'Faster registration',
              indicator: 'working days to register',
              target: 3,
              unit: 'working days',
            },
          ],
          initiatives: ['Online pre-check of documents'],
          policies: ['Notice on one-window registration'],
        },
        ...over,
      }),
    report: (over: Partial<DataOf<'ReportProgress'>> = {}, at = day(2), actor: Actor = actors.leadUnit) =>
      command('ReportProgress', actor, at, {
        status: 'on-track',
        summary: 'Windows merged in two districts',
        percentComplete: 40,
        ...over,
      }),
    reportDifficulty: (at = day(4), actor: Actor = actors.leadUnit) =>
      command('ReportProgress', actor, at, {
        status: 'difficulty',
        summary: 'Data sharing with the tax bureau is blocked',
        percentComplete: 50,
        difficulties: 'No data-sharing agreement with the tax bureau',
        proposals: 'Ask the deputy mayor to convene the two bureaux',
      }),
    urge: (at = day(5), actor: Actor = supervisor) =>
      command('UrgeTask', actor, at, { reason: 'No feedback this week' }),
    warn: (level: 'yellow' | 'red' = 'yellow', at = day(6), actor: Actor = supervisor) =>
      command('IssueWarning', actor, at, { level, reason: 'Progress lags the plan' }),
    notice: (noticeNo = 'DB-2022-09', at = day(7), actor: Actor = supervisor) =>
      command('IssueSupervisionNotice', actor, at, {
        noticeNo,
        requirements: 'Report the rectification within 3 days',
      }),
    /** Pass `null` as `consent` for an escalation without the main leader's consent on record. */
    respondToNotice: (noticeNo = 'DB-2022-09', at = day(8), actor: Actor = actors.leadUnit) =>
      command('RespondToNotice', actor, at, {
        noticeNo,
        response: 'Task force met the same week; fees cut from 1 April',
      }),
    answerDifficulty: (reportRevision: number, at = day(5), actor: Actor = supervisor) =>
      command('AnswerDifficulty', actor, at, {
        reportRevision,
        decision: 'Finance bureau to release the funds this week; coordination meeting on Friday',
      }),
    escalate: (
      at = day(8),
      actor: Actor = actors.section,
      consent: { ref: string; by: string } | null | undefined = { ref: 'Mayor agreed, memo 12', by: 'mayor' },
    ) =>
      command('EscalateTask', actor, at, { reason: 'Urging had no effect', ...(consent ? { consent } : {}) }),
    requestExtension: (requestedDeadline = day(30, 8), at = day(10), actor: Actor = actors.leadUnit) =>
      command('RequestExtension', actor, at, {
        requestedDeadline,
        reason: 'Provincial system upgrade delayed',
      }),
    approveExtension: (at = day(11), actor: Actor = actors.section, newDeadline?: string) =>
      command('ApproveExtension', actor, at, {
        leaderApproval: { ref: 'Vice mayor Li approved', by: 'vice-mayor-li' },
        ...(newDeadline ? { newDeadline } : {}),
      }),
    rejectExtension: (at = day(11), actor: Actor = actors.section) =>
      command('RejectExtension', actor, at, { reason: 'Finish by the original deadline' }),
    requestClosure: (at = day(12), actor: Actor = actors.leadUnit) =>
      command('RequestClosure', actor, at, {
        summary: 'Registration takes 3 working days',
        results: 'Citywide since May',
      }),
    reviewClosure: (
      proposedGrade: TaskCommandOf<'ReviewClosure'>['data']['proposedGrade'] = 'good',
      at = day(13),
      actor: Actor = actors.section,
    ) => command('ReviewClosure', actor, at, { proposedGrade, opinion: 'Targets met' }),
    approveClosure: (
      grade: TaskCommandOf<'ApproveClosure'>['data']['grade'],
      at = day(14),
      actor: Actor = approver,
      justification?: string,
    ) => command('ApproveClosure', actor, at, { grade, ...(justification ? { justification } : {}) }),
    rejectClosure: (at = day(13), actor: Actor = actors.section) =>
      command('RejectClosure', actor, at, { reason: 'Two counties not covered yet' }),
    checkDeadlines: (at: string, actor: Actor = actors.system) => command('CheckDeadlines', actor, at, {}),
    openRectification: (rectificationId = 'R-1', at = day(9), actor: Actor = supervisor, dueBy = day(15)) =>
      command('OpenRectification', actor, at, {
        rectificationId,
        problem: 'Queues at the county window',
        source: 'inspection',
        dueBy,
      }),
    planRectification: (rectificationId = 'R-1', at = day(10), actor: Actor = actors.leadUnit) =>
      command('SubmitRectificationPlan', actor, at, { rectificationId, measures: ['Add two windows'] }),
    completeRectification: (rectificationId = 'R-1', at = day(11), actor: Actor = actors.leadUnit) =>
      command('CompleteRectification', actor, at, { rectificationId, summary: 'Windows added' }),
    lookBack: (
      result: 'passed' | 'failed',
      rectificationId = 'R-1',
      at = day(12),
      actor: Actor = supervisor,
    ) =>
      command('ReviewLookBack', actor, at, {
        rectificationId,
        result,
        findings: result === 'passed' ? 'No queues' : 'Queues again',
      }),
    recognise: (recognitionId = 'P-1', at = day(16), actor: Actor = actors.mainLeader) =>
      command('RecordRecognition', actor, at, {
        recognitionId,
        source: 'national-ministry',
        reference: 'Ministry of Commerce letter 2022-45',
        summary: 'Model practice',
      }),
    criticise: (criticismId = 'C-1', at = day(16), actor: Actor = actors.mainLeader) =>
      command('RecordCriticism', actor, at, {
        criticismId,
        source: 'meeting',
        reference: 'Executive meeting 2022-7',
        summary: 'Named for delays',
      }),
    falsification: (findingId = 'F-1', at = day(16), actor: Actor = actors.inspectionOffice) =>
      command('RecordFalsification', actor, at, {
        findingId,
        description: 'Reported figures inflated',
        consequences: 'serious',
      }),
  };

  /** Runs commands through the decider from an empty state; throws if any is rejected (a broken fixture). */
  const history = (...commands: TaskCommand[]): TaskEvent[] => {
    let state = decider.initialState();
    const events: TaskEvent[] = [];
    for (const c of commands) {
      const result = decider.decide(c, state);
      if (isLeft(result)) throw new Error(`fixture command ${c.type} was rejected: ${result.left.message}`);
      for (const e of result.right) {
        state = decider.evolve(state, e);
        events.push(e);
      }
    }
    return events;
  };

  return {
    taskId,
    assignedAt,
    deadline,
    day,
    actors,
    supervisor,
    approver,
    calendar,
    decider,
    history,
    ...defaults,
  };
};

export type TaskFixture = ReturnType<typeof taskFixture>;
