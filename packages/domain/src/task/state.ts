import { isDraft } from 'immer';
import type { Grade } from '../grade';
import type { Complexity, Origin, ReportingCadence, Supervisor, TaskSource, TimeLimit } from './vocabulary';
import type { CoUnitGrade } from './events';

/**
 * The task as the decider sees it: what the events so far establish. Plain data (arrays, no Maps) so
 * immer, structured clone and JSON all handle it. Every fact keeps the revision of the event behind
 * it, so grades and audits can name their evidence.
 */
export type TaskStatus =
  | 'none' // no TaskAssigned yet
  | 'assigned' // 已交办, not yet accepted
  | 'in-progress' // 已签收, being carried out and supervised
  | 'closure-requested' // 办结申请 awaiting 初审
  | 'closure-reviewed' // 初审 done, awaiting the leader's approval
  | 'closed'; // 已办结

/**
 * Where a fact came from: the event's revision in the task's stream and its business time. A fact is
 * never written into: tasks that recorded the same revision at the same instant share one frozen copy.
 */
export interface Fact {
  readonly revision: number;
  readonly at: string;
}

export interface Rectification {
  readonly id: string;
  status: 'open' | 'planned' | 'completed' | 'passed' | 'failed';
  readonly dueBy: string;
  readonly opened: Fact;
  completed?: Fact;
  lookBacks: Array<Fact & { readonly result: 'passed' | 'failed' }>;
}

export interface TaskState {
  status: TaskStatus;
  /** Number of events folded: the revision the next event will have. */
  version: number;
  taskId: string;
  title: string;
  source: TaskSource;
  key: boolean;
  complexity: Complexity;
  leadUnit: string;
  coUnits: string[];
  taskForceId?: string;
  origin: Origin;
  /** 分管领导: approves closure of a non-key task (with the main leader). Absent: only the main leader. */
  deputyInCharge?: string;
  /** Time limits set at assignment; absent for tasks recorded before they were kept (then computed). */
  timeLimits?: TimeLimit[];
  /** Periodic reports owed until closure, set at assignment. */
  reportingCadence?: ReportingCadence;
  /** Each co-unit's part (细化各自职责). */
  coUnitDuties: Array<{ unitId: string; duty: string }>;
  /** What each co-unit reported on its part: first and last report, and how many. */
  coUnitReports: Array<{ unitId: string; first: Fact; last: Fact; count: number }>;
  /** The major special project (重大专项) the task is a stage of. */
  project?: string;
  sectionId: string;
  supervisor: Supervisor;
  assigned?: Fact;
  /** Current deadline: the original one, moved only by an approved extension. */
  deadline: string;
  originalDeadline: string;
  accepted?: Fact;
  workPlan?: Fact & { version: number; datedMilestones: boolean };
  /** The standing work plan's dated milestones, each met by a report that says so. */
  planMilestones: Array<{ name: string; due: string; met?: Fact }>;
  /** First work plan with dated milestones: meets the 13710 one-month milestone for a major item. */
  planWithMilestones?: Fact;
  firstLeadReport?: Fact;
  lastLeadReport?: Fact & { status: 'on-track' | 'difficulty' };
  leadReports: number;
  /** Every report of the lead unit, in order: what periodic reporting is checked against. */
  leadReportTimes: Fact[];
  contributions: number;
  percentComplete: number;
  /** A difficulty reported by the lead unit and not yet followed by an on-track report. */
  openDifficulty?: Fact;
  /** Every difficulty reported (by revision of its report) and the office's answer, once given. */
  difficulties: Array<Fact & { answered?: Fact }>;
  urges: Fact[];
  warnings: Array<Fact & { level: 'yellow' | 'red' }>;
  notices: Array<Fact & { noticeNo: string; respondBy?: string; responded?: Fact }>;
  escalation?: Fact;
  pendingExtension?: Fact & { requestedDeadline: string; currentDeadline: string };
  extensions: Array<Fact & { outcome: 'approved' | 'rejected' }>;
  /** The closure request that stands: pending, under review or approved; a sent-back one is removed. */
  closureRequest?: Fact;
  /** The standing closure request completes only part of the task, for reasons explained. */
  partialClosure?: boolean;
  /** The first closure request ever made, even if sent back (kept for audit and scoring). */
  firstClosureRequest?: Fact;
  closureReview?: Fact & { proposedGrade: Grade };
  closureRejections: Fact[];
  /** The closure: the engine's suggestion and the approver's grade (before any TaskRegraded). */
  closed?: Fact & { suggestedGrade: Grade; grade: Grade; coUnitGrades?: CoUnitGrade[] };
  /** The grade that counts: the approver's, changed afterwards only by TaskRegraded. */
  grade?: Grade;
  /** Every change of the grade after closure, in order (a published 通报 books each as a correction). */
  regrades: Array<Fact & { from: Grade; to: Grade }>;
  /** Due times already turned into events, so CheckDeadlines emits each exactly once. */
  signalled: {
    approaching: string[];
    missed: string[];
    milestones: string[];
    /** Extension requests (by revision) whose overdue reply was signalled. */
    replies: number[];
    /** Notices whose missed response was signalled. */
    noticeResponses: string[];
  };
  deadlinesMissed: Array<Fact & { deadline: string }>;
  milestonesMissed: Array<Fact & { milestone: string }>;
  rectifications: Rectification[];
  recognitions: Array<Fact & { id: string }>;
  criticisms: Array<Fact & { id: string }>;
  falsifications: Array<Fact & { id: string }>;
  lookBacksFailed: Fact[];
}

/**
 * Every list of a new task starts as a frozen empty list shared by all new tasks: a model of 75k tasks
 * holds some twenty lists each, most of them empty for ever. Each field has an empty list of its own
 * (a structured clone of a state, which keeps shared identities, must not make two fields one list).
 * The recipes append with `appended`, which gives a task a list of its own on its first entry; whoever
 * writes into a task's lists otherwise must do the same.
 */
const none = <T>(): T[] => Object.freeze([]) as never as T[];

/**
 * `list` with `item` appended. A draft (a fold through immer) takes it in place; otherwise the list is
 * replaced by one exactly one longer: a pushed list grows by half and sixteen free slots, which a model
 * of 75k tasks would keep for ever (most lists stay short, so the copies are few and small).
 */
export const appended = <T>(list: T[], item: T): T[] => {
  if (isDraft(list)) {
    list.push(item);
    return list;
  }
  return list.length === 0 ? [item] : list.concat([item]);
};

/**
 * `list` with its `index`th item replaced by `item`: in place in a draft, otherwise in a copy, so a
 * list shared with other tasks (frozen) is never written into.
 */
export const replacedAt = <T>(list: T[], index: number, item: T): T[] => {
  if (isDraft(list)) {
    list[index] = item;
    return list;
  }
  const copy = list.slice();
  copy[index] = item;
  return copy;
};

/** A plan with no dated milestones: the list a new task starts with (shared, frozen). */
export const noMilestones = (): TaskState['planMilestones'] => EMPTY.planMilestones;

/** What no deadline check has signalled yet: shared (frozen) until the first signal. */
export const NOTHING_SIGNALLED: TaskState['signalled'] = Object.freeze({
  approaching: none<string>(),
  missed: none<string>(),
  milestones: none<string>(),
  replies: none<number>(),
  noticeResponses: none<string>(),
});

const EMPTY = {
  coUnits: none<string>(),
  coUnitDuties: none<TaskState['coUnitDuties'][number]>(),
  coUnitReports: none<TaskState['coUnitReports'][number]>(),
  planMilestones: none<TaskState['planMilestones'][number]>(),
  leadReportTimes: none<Fact>(),
  difficulties: none<TaskState['difficulties'][number]>(),
  urges: none<Fact>(),
  warnings: none<TaskState['warnings'][number]>(),
  notices: none<TaskState['notices'][number]>(),
  extensions: none<TaskState['extensions'][number]>(),
  closureRejections: none<Fact>(),
  deadlinesMissed: none<TaskState['deadlinesMissed'][number]>(),
  milestonesMissed: none<TaskState['milestonesMissed'][number]>(),
  rectifications: none<Rectification>(),
  recognitions: none<TaskState['recognitions'][number]>(),
  criticisms: none<TaskState['criticisms'][number]>(),
  falsifications: none<TaskState['falsifications'][number]>(),
  lookBacksFailed: none<Fact>(),
  regrades: none<TaskState['regrades'][number]>(),
} as const;

const NO_ORIGIN: Origin = Object.freeze({ kind: 'main-leader', leaderId: '' });
const INSPECTION_OFFICE: Supervisor = Object.freeze({ kind: 'inspection-office' });

// Every optional field is present from the start (undefined) and cleared by assigning undefined, never
// `delete`: a deleted property turns the object into a slow dictionary, and replay folds millions of them.
// Lists and small records start shared and frozen (see `appended`); the recipes replace, never write into, them.
export const initialTaskState = (): TaskState => ({
  taskForceId: undefined,
  deputyInCharge: undefined,
  timeLimits: undefined,
  reportingCadence: undefined,
  project: undefined,
  partialClosure: undefined,
  assigned: undefined,
  accepted: undefined,
  workPlan: undefined,
  planWithMilestones: undefined,
  firstLeadReport: undefined,
  lastLeadReport: undefined,
  openDifficulty: undefined,
  escalation: undefined,
  pendingExtension: undefined,
  closureRequest: undefined,
  firstClosureRequest: undefined,
  closureReview: undefined,
  closed: undefined,
  grade: undefined,
  status: 'none',
  version: 0,
  taskId: '',
  title: '',
  source: 'other',
  key: false,
  complexity: 'ordinary',
  leadUnit: '',
  coUnits: EMPTY.coUnits,
  coUnitDuties: EMPTY.coUnitDuties,
  coUnitReports: EMPTY.coUnitReports,
  planMilestones: EMPTY.planMilestones,
  leadReportTimes: EMPTY.leadReportTimes,
  difficulties: EMPTY.difficulties,
  origin: NO_ORIGIN,
  sectionId: '',
  supervisor: INSPECTION_OFFICE,
  deadline: '',
  originalDeadline: '',
  leadReports: 0,
  contributions: 0,
  percentComplete: 0,
  urges: EMPTY.urges,
  warnings: EMPTY.warnings,
  notices: EMPTY.notices,
  extensions: EMPTY.extensions,
  closureRejections: EMPTY.closureRejections,
  signalled: NOTHING_SIGNALLED,
  deadlinesMissed: EMPTY.deadlinesMissed,
  milestonesMissed: EMPTY.milestonesMissed,
  rectifications: EMPTY.rectifications,
  recognitions: EMPTY.recognitions,
  criticisms: EMPTY.criticisms,
  falsifications: EMPTY.falsifications,
  lookBacksFailed: EMPTY.lookBacksFailed,
  regrades: EMPTY.regrades,
});

/** Once closed, a task takes only the facts that can still change its rating. */
export const isTerminal = (state: TaskState): boolean => state.status === 'closed';
