import * as t from 'io-ts';
import { commandCodec } from '../message';
import { Count, Id, Instant, NonEmptyString, ShortText, list, nonEmptyArray, text } from '../codec';
import { LIMITS } from '../limits';
import { Grade } from '../grade';
import {
  ChecklistItem,
  CoUnitDuty,
  CoUnitGradeDecision,
  Complexity,
  CriticismSource,
  FalsificationConsequence,
  LeaderApproval,
  LookBackResult,
  Origin,
  PartialCompletion,
  Percent,
  PlanMilestone,
  ProgressStatus,
  RecognitionSource,
  RectificationSource,
  TaskSource,
  WarningLevel,
  WorkMatrix,
} from './vocabulary';

/**
 * Commands on a task (stream `task-<taskId>`). Each is plain data: `type`, the `actor` who issues it,
 * `at` from the caller's clock, and `data`. The codecs are the contract; the types derive from them.
 */
const command = commandCodec({ taskId: Id });

export const TaskCommands = {
  /** 立项/交办 */
  AssignTask: command(
    'AssignTask',
    {
      title: ShortText,
      source: TaskSource,
      leadUnit: Id,
      coUnits: list(Id, 'CoUnits', LIMITS.coUnits),
      deadline: Instant,
      approval: LeaderApproval, // 经市政府主要领导批准
      origin: Origin,
      sectionId: Id,
    },
    {
      requirements: text(),
      key: t.boolean,
      complexity: Complexity,
      taskForceId: Id,
      /** 分管领导, named by the main leader; otherwise taken from the portfolios on record. */
      deputyInCharge: Id,
      /** Each co-unit's part (细化各自职责): one duty per co-unit. */
      coUnitDuties: list(CoUnitDuty, 'CoUnitDuties', LIMITS.coUnits),
      /** The major special project (重大专项) the task is a stage of, for staged 通报. */
      project: Id,
    },
  ),
  /** 签收, with its deployment (研究部署) */
  AcceptTask: command('AcceptTask', {}, { deployment: text() }),
  /** 四合一清单 + 工作矩阵图 */
  SubmitWorkPlan: command(
    'SubmitWorkPlan',
    { checklist: nonEmptyArray(ChecklistItem, 'Checklist'), matrix: WorkMatrix },
    { milestones: list(PlanMilestone, 'Milestones') },
  ),
  /** 反馈 */
  ReportProgress: command(
    'ReportProgress',
    { status: ProgressStatus, summary: NonEmptyString, percentComplete: Percent },
    { difficulties: text(), proposals: text(), milestonesMet: list(ShortText, 'MilestonesMet') },
  ),
  /** 催办 */
  UrgeTask: command('UrgeTask', { reason: NonEmptyString }),
  /** 预警 */
  IssueWarning: command('IssueWarning', { level: WarningLevel, reason: NonEmptyString }),
  /** 书面督办通知书 */
  IssueSupervisionNotice: command(
    'IssueSupervisionNotice',
    { noticeNo: ShortText, requirements: NonEmptyString },
    { respondBy: Instant },
  ),
  /** The lead unit's reply to a written notice (书面督办通知书), by its respond-by date. */
  RespondToNotice: command('RespondToNotice', { noticeNo: ShortText, response: NonEmptyString }),
  /** The office's answer to a difficulty a unit reported (困难和问题、意见建议): who, when, what was decided. */
  AnswerDifficulty: command('AnswerDifficulty', { reportRevision: Count, decision: NonEmptyString }),
  /** 督查室立项督办, with the main leader's consent */
  EscalateTask: command('EscalateTask', { reason: NonEmptyString }, { consent: LeaderApproval }),
  /** 延期申请 */
  RequestExtension: command('RequestExtension', { requestedDeadline: Instant, reason: NonEmptyString }),
  ApproveExtension: command('ApproveExtension', { leaderApproval: LeaderApproval }, { newDeadline: Instant }),
  RejectExtension: command('RejectExtension', { reason: NonEmptyString }),
  /** 办结申请 */
  RequestClosure: command(
    'RequestClosure',
    { summary: NonEmptyString, results: NonEmptyString },
    { evidence: list(NonEmptyString, 'Evidence'), partial: PartialCompletion },
  ),
  /** 初审, proposing one of the five grades */
  ReviewClosure: command('ReviewClosure', { proposedGrade: Grade, opinion: NonEmptyString }),
  /** 审定办结 */
  ApproveClosure: command(
    'ApproveClosure',
    { grade: Grade },
    {
      justification: NonEmptyString,
      coUnitGrades: list(CoUnitGradeDecision, 'CoUnitGrades', LIMITS.coUnits),
    },
  ),
  /** 不予办结: supervision goes on */
  RejectClosure: command('RejectClosure', { reason: NonEmptyString }),
  /** Turns due times into events; `at` is "now". */
  CheckDeadlines: command('CheckDeadlines', {}),
  /** 问题整改 */
  OpenRectification: command('OpenRectification', {
    rectificationId: Id,
    problem: NonEmptyString,
    source: RectificationSource,
    dueBy: Instant,
  }),
  SubmitRectificationPlan: command('SubmitRectificationPlan', {
    rectificationId: Id,
    measures: nonEmptyArray(NonEmptyString, 'Measures'),
  }),
  CompleteRectification: command('CompleteRectification', { rectificationId: Id, summary: NonEmptyString }),
  /** 回头看 / 再检查 */
  ReviewLookBack: command('ReviewLookBack', {
    rectificationId: Id,
    result: LookBackResult,
    findings: NonEmptyString,
  }),
  RecordRecognition: command('RecordRecognition', {
    recognitionId: Id,
    source: RecognitionSource,
    reference: ShortText,
    summary: NonEmptyString,
  }),
  RecordCriticism: command('RecordCriticism', {
    criticismId: Id,
    source: CriticismSource,
    reference: ShortText,
    summary: NonEmptyString,
  }),
  RecordFalsification: command('RecordFalsification', {
    findingId: Id,
    description: NonEmptyString,
    consequences: FalsificationConsequence,
  }),
};

export type TaskCommandType = keyof typeof TaskCommands;
export type TaskCommandOf<K extends TaskCommandType> = t.TypeOf<(typeof TaskCommands)[K]>;
export type TaskCommand = { [K in TaskCommandType]: TaskCommandOf<K> }[TaskCommandType];
