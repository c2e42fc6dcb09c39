/**
 * Domain errors: every rejection names the rule it enforces, in English with the seed's term, and a
 * message a clerk can act on. `code` is stable: embedding systems and tests match on it.
 */
export const RULES = {
  NotAuthorized: { en: 'Only the actor the rules name may issue this command', zh: '职责分工' },
  AuditorsCannotAct: { en: 'Auditors read and replay history; they issue no command', zh: '审计只读' },
  TaskNotFound: { en: 'The task must have been assigned first', zh: '先立项交办' },
  TaskAlreadyAssigned: { en: 'A task is assigned once; its registration cannot be changed', zh: '立项' },
  DeadlineNotInFuture: { en: 'The deadline must lie after the time of assignment', zh: '办结期限' },
  CoUnitIsLeadUnit: { en: 'Co-units are distinct from the lead unit', zh: '牵头单位和协办单位' },
  DuplicateCoUnit: { en: 'Each co-unit is named once', zh: '协办单位' },
  TaskClosed: {
    en: 'A closed task accepts only recognition, criticism, falsification and rectification look-backs',
    zh: '已办结',
  },
  TaskNotAccepted: { en: 'The lead unit must accept the task first', zh: '签收' },
  TaskNotInProgress: { en: 'This step needs the task in progress, not awaiting closure', zh: '办理中' },
  PlanMilestoneOutOfRange: {
    en: "A work plan's dated milestones lie between its submission and the deadline",
    zh: '工作矩阵图',
  },
  DifficultyNeedsDetails: {
    en: 'A report of difficulty states the difficulties and the proposed next steps',
    zh: '报告存在困难和问题以及下一步工作意见建议',
  },
  EscalationNeedsConsent: { en: "Escalation needs the main leader's consent", zh: '经市政府主要领导同意' },
  EscalationPremature: {
    en: 'Escalation follows supervision that failed: urge, warn or send a notice first, or wait for a missed time limit',
    zh: '督办未果、完成不力',
  },
  ExtensionAfterDeadline: {
    en: 'An extension must be requested before the current deadline',
    zh: '须在规定时限内提出延期申请',
  },
  ExtensionAlreadyPending: { en: 'Only one extension request may be pending', zh: '延期申请' },
  ExtensionNotLater: { en: 'An extension moves the deadline later', zh: '重新明确办理时限' },
  NoPendingExtension: { en: 'There is no pending extension request to decide', zh: '延期批复' },
  ClosureNotRequested: { en: 'The lead unit must apply for closure first', zh: '办结申请' },
  ClosureNotReviewed: { en: 'The section reviews a closure before a leader approves it', zh: '初审' },
  ClosureAlreadyReviewed: { en: 'A closure request is reviewed once', zh: '初审' },
  RectificationOutstanding: {
    en: 'A task with an unfinished rectification cannot be closed',
    zh: '整改到位后办结',
  },
  JustificationRequired: {
    en: "A final grade other than the engine's suggestion needs a written justification",
    zh: '评估考核',
  },
  RectificationNotFound: { en: 'The rectification must have been opened on this task', zh: '问题整改' },
  RectificationOutOfOrder: {
    en: 'A rectification goes open → plan → completed → look-back',
    zh: '整改方案、限期整改、回头看',
  },
  DueDateNotInFuture: { en: 'A due date must lie after the time it is set', zh: '限期' },
  DueDateTooFar: {
    en: 'A due date lies within five years of the time it is set',
    zh: '办结期限',
  },
  InspectionCapReached: {
    en: 'Inspections per unit and period are capped to lighten the burden on the grassroots',
    zh: '严格控制督查规模、范围、频次和时限，切实减轻基层负担',
  },
  InterviewNotScheduled: { en: 'An interview is recorded after it was scheduled', zh: '约谈' },
  InterviewNotYetHeld: {
    en: 'An interview is recorded once held: not before the date it was scheduled for',
    zh: '约谈',
  },
  CoUnitDutyMissing: {
    en: "Each co-unit's part is stated at assignment, once, and only for a co-unit",
    zh: '明确牵头单位和配合单位，细化各自职责',
  },
  PlanMilestoneUnknown: {
    en: 'A report meets milestones of the standing work plan, by name',
    zh: '工作矩阵图',
  },
  NoticeNotFound: { en: 'A reply answers a written notice issued on this task', zh: '书面督办通知书' },
  DifficultyNotFound: {
    en: 'An answer answers a difficulty the lead unit reported on this task',
    zh: '困难和问题、意见建议',
  },
  ReferralNeedsGrounds: {
    en: 'A referral is approved by the main leader and names its evidence; a judicial one names the suspected offence',
    zh: '视情节移交纪检监察机关问责，涉嫌违法犯罪的移送司法机关',
  },
  OfficeNotEstablished: {
    en: "The office's record begins with its establishment, naming its main leader",
    zh: '市政府办公室',
  },
  OfficeAlreadyEstablished: { en: 'An office is established once', zh: '市政府办公室' },
  OfficeMismatch: { en: 'A history keeps the record of one office', zh: '市政府办公室' },
  RecordOutOfOrder: {
    en: "The office's record is kept in time order: nothing is recorded before its latest entry",
    zh: '按时序记录',
  },
  RetroactiveChange: {
    en: 'An organisation or rule change takes effect on or after the day it is recorded, never before',
    zh: '不溯及既往',
  },
  NotOnRecord: {
    en: 'Units, sections, leaders and staff are on the office record on the day they act or are named',
    zh: '组织机构',
  },
  WrongApprover: {
    en: 'An approval or consent names the leader the rules require, as on record on that day',
    zh: '经市政府主要领导批准 / 分管领导',
  },
  NoPublishedSchedule: {
    en: "Duban ships the State Council's schedules for 2021 to 2026; adopt other years as a calendar of your own",
    zh: '国务院办公厅关于部分节假日安排的通知',
  },
  QuarterNotEnded: { en: 'A quarter is ranked once it has ended', zh: '按季度通报' },
  AlreadyPublished: { en: 'A published 通报 is a fact: it is never published again otherwise', zh: '已通报' },
  RankingNotComputed: {
    en: 'A ranking is published as the engine computes it from the history, never as a caller hands it in',
    zh: '按季度通报',
  },
  YearNotEnded: { en: 'A year is evaluated once it has ended', zh: '年度评价' },
  QuartersNotPublished: {
    en: 'The annual evaluation rests on the quarters published that year',
    zh: '年度评价',
  },
  KeyInUse: { en: 'A signing key belongs to one person', zh: '电子签名' },
  SealBeforePeriodEnd: {
    en: 'A 通报 computed from a seal needs a seal made after the period ended, covering all of it',
    zh: '按季度通报',
  },
  EvaluationNotPublished: {
    en: 'Results are sent once the annual evaluation is published',
    zh: '向组织人事部门通报年度评价结果',
  },
} as const;

export type DomainErrorCode = keyof typeof RULES;

export interface DomainError<C extends DomainErrorCode = DomainErrorCode> {
  readonly kind: 'DomainError';
  readonly code: C;
  /** The rule broken, in English. */
  readonly rule: string;
  /** The seed's term for it. */
  readonly term: string;
  /** What happened, for a clerk. */
  readonly message: string;
  /** The input field at fault, when one is. */
  readonly field?: string;
}

export const domainError = <C extends DomainErrorCode>(
  code: C,
  message: string,
  field?: string,
): DomainError<C> => ({
  kind: 'DomainError',
  code,
  rule: RULES[code].en,
  term: RULES[code].zh,
  message,
  ...(field === undefined ? {} : { field }),
});
