import * as t from 'io-ts';
import { eventCodec } from '../message';
import { Count, Id, Instant, NonEmptyString, ShortText, list, text } from '../codec';
import { LIMITS } from '../limits';
import { Grade } from '../grade';
import {
  ChecklistItem,
  Complexity,
  CriticismSource,
  FalsificationConsequence,
  LeaderApproval,
  LookBackResult,
  Origin,
  Percent,
  PlanMilestone,
  ProgressStatus,
  RecognitionSource,
  RectificationSource,
  Supervisor,
  TaskSource,
  TimeLimit,
  CoUnitDuty,
  PartialCompletion,
  ReportingCadence,
  WarningLevel,
  WorkMatrix,
} from './vocabulary';

/**
 * Events of the task aggregate: the versioned storage contract (schema version 1 for every type).
 * Each carries `taskId` and `at`, the business time of the fact, so a fold needs no envelope.
 * Who acted, the command id and the hash chain live in the envelope the engine writes around them.
 */
const event = eventCodec({ taskId: Id });

/** Points at an event of the same stream, so reasons and audits can name it. */
export const EventRef = t.strict({ type: ShortText, revision: Count }, 'EventRef');
export type EventRef = t.TypeOf<typeof EventRef>;

export const GradeReason = t.strict(
  { grade: Grade, rule: ShortText, text: text(), events: list(EventRef, 'EventRefs') },
  'GradeReason',
);
export type GradeReason = t.TypeOf<typeof GradeReason>;

const Unit = { unitId: Id };

/** A co-unit's grade on its own part of a closed task. */
export const CoUnitGrade = t.intersection(
  [
    t.strict({ unitId: Id, grade: Grade, suggestedGrade: Grade, reasons: list(GradeReason, 'Reasons') }),
    t.exact(t.partial({ justification: NonEmptyString })),
  ],
  'CoUnitGrade',
);
export type CoUnitGrade = t.TypeOf<typeof CoUnitGrade>;
const Role = t.keyof({ lead: null, 'co-unit': null });
const Approver = t.strict({ kind: t.keyof({ 'main-leader': null, 'deputy-leader': null }), id: Id });

export const TaskEvents = {
  TaskAssigned: event(
    'TaskAssigned',
    {
      title: ShortText,
      source: TaskSource,
      key: t.boolean,
      complexity: Complexity,
      leadUnit: Id,
      coUnits: list(Id, 'CoUnits', LIMITS.coUnits),
      deadline: Instant,
      approval: LeaderApproval,
      origin: Origin,
      sectionId: Id,
      supervisor: Supervisor,
    },
    {
      requirements: text(),
      taskForceId: Id,
      /** The deputy leader in charge (分管领导) who approves its closure; absent: only the main leader. */
      deputyInCharge: Id,
      /** The time limits set at assignment, besides the deadline (absent in histories before they were kept). */
      timeLimits: list(TimeLimit, 'TimeLimits', 20),
      /** Periodic reports owed until closure, as the profile set them at assignment. */
      reportingCadence: ReportingCadence,
      coUnitDuties: list(CoUnitDuty, 'CoUnitDuties', LIMITS.coUnits),
      project: Id,
    },
  ),
  TaskAccepted: event('TaskAccepted', Unit, { deployment: text() }),
  WorkPlanSubmitted: event('WorkPlanSubmitted', {
    version: Count,
    checklist: list(ChecklistItem, 'Checklist'),
    matrix: WorkMatrix,
    milestones: list(PlanMilestone, 'Milestones'),
  }),
  ProgressReported: event(
    'ProgressReported',
    { unitId: Id, role: Role, status: ProgressStatus, summary: NonEmptyString, percentComplete: Percent },
    { difficulties: text(), proposals: text(), milestonesMet: list(ShortText, 'MilestonesMet') },
  ),
  TaskUrged: event('TaskUrged', { reason: NonEmptyString, count: Count }),
  WarningIssued: event('WarningIssued', { level: WarningLevel, reason: NonEmptyString }),
  SupervisionNoticeIssued: event(
    'SupervisionNoticeIssued',
    { noticeNo: ShortText, requirements: NonEmptyString },
    { respondBy: Instant },
  ),
  NoticeResponded: event('NoticeResponded', { noticeNo: ShortText, response: NonEmptyString }),
  NoticeResponseMissed: event('NoticeResponseMissed', { noticeNo: ShortText, respondBy: Instant }),
  DifficultyAnswered: event('DifficultyAnswered', { reportRevision: Count, decision: NonEmptyString }),
  /** The section's reply to an extension request is overdue (及时反馈批复意见): the office's duty, not the unit's. */
  ExtensionReplyOverdue: event('ExtensionReplyOverdue', { requestedAt: Instant, due: Instant }),
  TaskEscalated: event('TaskEscalated', {
    reason: NonEmptyString,
    consent: LeaderApproval,
    from: Supervisor,
    to: Supervisor,
  }),
  ExtensionRequested: event('ExtensionRequested', {
    requestedDeadline: Instant,
    currentDeadline: Instant,
    reason: NonEmptyString,
  }),
  ExtensionApproved: event('ExtensionApproved', {
    previousDeadline: Instant,
    newDeadline: Instant,
    leaderApproval: LeaderApproval,
  }),
  ExtensionRejected: event('ExtensionRejected', { deadline: Instant, reason: NonEmptyString }),
  ClosureRequested: event(
    'ClosureRequested',
    { summary: NonEmptyString, results: NonEmptyString },
    { evidence: list(NonEmptyString, 'Evidence'), partial: PartialCompletion },
  ),
  ClosureReviewed: event('ClosureReviewed', { proposedGrade: Grade, opinion: NonEmptyString }),
  TaskClosed: event(
    'TaskClosed',
    {
      grade: Grade,
      suggestedGrade: Grade,
      proposedGrade: Grade,
      reasons: list(GradeReason, 'Reasons'),
      approvedBy: Approver,
    },
    {
      justification: NonEmptyString,
      /** Each co-unit graded on its own part, with the engine's suggestion and its reasons. */
      coUnitGrades: list(CoUnitGrade, 'CoUnitGrades', LIMITS.coUnits),
    },
  ),
  ClosureRejected: event('ClosureRejected', {
    stage: t.keyof({ review: null, approval: null }),
    reason: NonEmptyString,
  }),
  DeadlineApproaching: event('DeadlineApproaching', { deadline: Instant, workingDaysLeft: Count }),
  DeadlineMissed: event('DeadlineMissed', { deadline: Instant }),
  MilestoneMissed: event('MilestoneMissed', { milestone: ShortText, due: Instant }),
  RectificationOpened: event('RectificationOpened', {
    rectificationId: Id,
    problem: NonEmptyString,
    source: RectificationSource,
    dueBy: Instant,
  }),
  RectificationPlanSubmitted: event('RectificationPlanSubmitted', {
    rectificationId: Id,
    measures: list(NonEmptyString, 'Measures'),
  }),
  RectificationCompleted: event('RectificationCompleted', { rectificationId: Id, summary: NonEmptyString }),
  LookBackReviewed: event('LookBackReviewed', {
    rectificationId: Id,
    result: LookBackResult,
    findings: NonEmptyString,
  }),
  RecognitionRecorded: event('RecognitionRecorded', {
    recognitionId: Id,
    source: RecognitionSource,
    reference: ShortText,
    summary: NonEmptyString,
  }),
  CriticismRecorded: event('CriticismRecorded', {
    criticismId: Id,
    source: CriticismSource,
    reference: ShortText,
    summary: NonEmptyString,
  }),
  FalsificationFound: event('FalsificationFound', {
    findingId: Id,
    description: NonEmptyString,
    consequences: FalsificationConsequence,
  }),
  TaskRegraded: event('TaskRegraded', {
    from: Grade,
    to: Grade,
    cause: EventRef,
    reasons: list(GradeReason, 'Reasons'),
  }),
};

export type TaskEventType = keyof typeof TaskEvents;
export type TaskEventOf<K extends TaskEventType> = t.TypeOf<(typeof TaskEvents)[K]>;
export type TaskEvent = { [K in TaskEventType]: TaskEventOf<K> }[TaskEventType];
