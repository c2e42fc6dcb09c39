import * as t from 'io-ts';
import { Id, Instant, NonEmptyString, ShortText, intRange, nonEmptyArray, refine } from '../codec';
import { Grade } from '../grade';

/** Shared value codecs of the task aggregate's commands and events. */

/** The eight task sources of the seed's 主要任务. */
export const TaskSource = t.keyof({
  'central-instructions': null, // 总书记重要讲话重要指示批示精神
  'central-decisions': null, // 党中央、国务院重大决策部署
  'provincial-decisions': null, // 省委、省政府重大决策部署及交办事项
  'municipal-party-decisions': null, // 市委决策由市政府承办事项
  'work-report-targets': null, // 经济工作会议、《政府工作报告》目标任务
  'government-meeting-decisions': null, // 市政府全体/常务/专题会议、市长办公会议决定事项
  'leader-instructions': null, // 市政府领导批示
  other: null, // 其他重要事项
});
export type TaskSource = t.TypeOf<typeof TaskSource>;

/** A leader's approval or consent, by reference to the document that records it. */
export const LeaderApproval = t.strict({ ref: ShortText, by: Id }, 'LeaderApproval');
export type LeaderApproval = t.TypeOf<typeof LeaderApproval>;

/** The leader whose decision the task carries out: decides who supervises it (谁交办谁督办). */
export const Origin = t.strict(
  { kind: t.keyof({ 'main-leader': null, 'deputy-leader': null }), leaderId: Id },
  'Origin',
);
export type Origin = t.TypeOf<typeof Origin>;

export const Supervisor = t.union([
  t.strict({ kind: t.literal('section'), sectionId: Id }),
  t.strict({ kind: t.literal('inspection-office') }),
]);
export type Supervisor = t.TypeOf<typeof Supervisor>;

/** 13710: an ordinary item (一般事项) or a major, complex one (重大、复杂问题). */
export const Complexity = t.keyof({ ordinary: null, major: null });
export type Complexity = t.TypeOf<typeof Complexity>;

/** 四合一清单: task, who is responsible, measures, expected result. */
export const ChecklistItem = t.strict(
  { task: NonEmptyString, responsible: ShortText, measures: NonEmptyString, result: NonEmptyString },
  'ChecklistItem',
);

/** 目标与要求量化: each goal carries a number and its unit. */
export const QuantifiedGoal = t.strict(
  {
    goal: NonEmptyString,
    indicator: ShortText,
    target: refine(t.number, 'FiniteNumber', Number.isFinite, 'must be a finite number'),
    unit: ShortText,
  },
  'QuantifiedGoal',
);

/** 工作矩阵图: goals and requirements, tasks and initiatives, policies and institutions. */
export const WorkMatrix = t.strict(
  {
    goals: nonEmptyArray(QuantifiedGoal, 'Goals'),
    initiatives: nonEmptyArray(NonEmptyString, 'Initiatives'),
    policies: nonEmptyArray(NonEmptyString, 'Policies'),
  },
  'WorkMatrix',
);

/** What meets a time limit, read off the task's own events. */
export const MilestoneEvidence = t.keyof({
  accepted: null, // TaskAccepted, acceptance with its deployment (研究部署)
  'progress-reported': null, // the lead unit's first ProgressReported (反馈)
  'closure-requested': null, // ClosureRequested (办结)
  'plan-with-milestones': null, // WorkPlanSubmitted with dated milestones (阶段性办理方案)
});
export type MilestoneEvidence = t.TypeOf<typeof MilestoneEvidence>;

/**
 * A time limit set at assignment (13710 and the like): computed once, with the profile and calendar in
 * force that day, and kept in the task's own record, so it never moves when the rules change later.
 */
export const TimeLimit = t.strict(
  {
    id: Id,
    label: t.strict({ en: ShortText, zh: ShortText }),
    due: Instant,
    metBy: nonEmptyArray(MilestoneEvidence, 'Evidence', 4),
  },
  'TimeLimit',
);
export type TimeLimit = t.TypeOf<typeof TimeLimit>;

/** 细化各自职责: what one co-unit (协办单位) is to do on a task. */
export const CoUnitDuty = t.strict({ unitId: Id, duty: NonEmptyString }, 'CoUnitDuty');
export type CoUnitDuty = t.TypeOf<typeof CoUnitDuty>;

/** A closure that completes part of the task, for objective reasons explained (基本落实, second limb). */
export const PartialCompletion = t.strict({ explanation: NonEmptyString }, 'PartialCompletion');

/** A co-unit's final grade, when the approver grades it otherwise than suggested (with why). */
export const CoUnitGradeDecision = t.intersection(
  [t.strict({ unitId: Id, grade: Grade }), t.exact(t.partial({ justification: NonEmptyString }))],
  'CoUnitGradeDecision',
);

/** Periodic reports a long task owes until closure (跟踪到底): every so many months or working days. */
export const ReportingCadence = t.strict(
  {
    every: t.union([
      t.strict({ months: intRange(1, 12, 'Months') }),
      t.strict({ workingDays: intRange(1, 250, 'WorkingDays') }),
    ]),
  },
  'ReportingCadence',
);
export type ReportingCadence = t.TypeOf<typeof ReportingCadence>;

/** Categories of suspected offence a judicial referral names (移送司法机关, 涉嫌违法犯罪). */
export const OffenceCategory = t.keyof({
  'dereliction-of-duty': null, // 玩忽职守、失职
  'abuse-of-power': null, // 滥用职权
  'bribery-or-corruption': null, // 贪污贿赂
  falsification: null, // 弄虚作假、虚报瞒报
  other: null,
});

export const PlanMilestone = t.strict({ name: ShortText, due: Instant }, 'PlanMilestone');

export const Percent = refine(
  t.number,
  'Percent',
  (n) => Number.isInteger(n) && n >= 0 && n <= 100,
  'must be a whole number from 0 to 100',
);

export const ProgressStatus = t.keyof({ 'on-track': null, difficulty: null });

export const WarningLevel = t.keyof({ yellow: null, red: null });

export const RectificationSource = t.keyof({ inspection: null, 'self-check': null, supervision: null });

export const LookBackResult = t.keyof({ passed: null, failed: null });

/** Whose praise counts toward 落实好. */
export const RecognitionSource = t.keyof({
  'national-ministry': null, // 国家部委书面表扬
  'provincial-party-leader': null, // 省委主要领导批示肯定
  'provincial-government-leader': null, // 省政府主要领导批示肯定
  'municipal-party-leader': null, // 市委主要领导批示肯定
  'municipal-government-leader': null, // 市政府主要领导批示肯定
});

/** Criticism that makes a task 落实较差. */
export const CriticismSource = t.keyof({
  'national-ministry': null, // 国家部委书面批评
  meeting: null, // 会议点名批评
  'provincial-main-leader': null, // 省主要领导批评
  'municipal-main-leader': null, // 市主要领导批评
});

export const FalsificationConsequence = t.keyof({ serious: null, 'adverse-influence': null });
