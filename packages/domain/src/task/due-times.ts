import type { DomainContext } from '../policy';
import { milestoneDue, monthsLater } from '../time-limits';
import type { Fact, TaskState } from './state';
import type { MilestoneEvidence, TimeLimit } from './vocabulary';

/**
 * A time limit of one task, and what met it, if anything:
 * - `milestone`: a profile milestone set at assignment (13710's deploy, first feedback, resolve);
 * - `plan-milestone`: a dated milestone of the standing work plan (工作矩阵图), met by a report naming it;
 * - `report`: a periodic report owed until closure (跟踪到底), met by the first report after the one before;
 * - `notice-response`: the reply a written notice asked for by a date;
 * - `deadline`: the 办结期限, met by the standing closure request;
 * - `extension-reply`: the section's answer to a pending extension request — the office's duty.
 */
export interface DueTime {
  readonly kind:
    'milestone' | 'plan-milestone' | 'report' | 'notice-response' | 'deadline' | 'extension-reply';
  /** Whose duty it is: the unit's (it counts in grading and lights), or the office's. */
  readonly owner: 'unit' | 'office';
  /** The milestone id, `plan:<name>`, `report-<n>`, `notice:<no>`, `deadline` or `extension-reply`. */
  readonly id: string;
  readonly label: string;
  readonly due: string;
  /** The first fact that met it, on time or late, and the type of the event behind that fact. */
  readonly metBy?: Fact;
  readonly metByType?: string;
}

const evidence = (state: TaskState, kind: MilestoneEvidence): Fact | undefined => {
  switch (kind) {
    case 'accepted':
      return state.accepted;
    case 'progress-reported':
      return state.firstLeadReport;
    case 'closure-requested':
      // A request sent back (不予办结) resolved nothing: only the standing request meets a time limit.
      return state.closureRequest;
    case 'plan-with-milestones':
      return state.planWithMilestones;
  }
};

const EVIDENCE_TYPES: Readonly<Record<MilestoneEvidence, string>> = {
  accepted: 'TaskAccepted',
  'progress-reported': 'ProgressReported',
  'closure-requested': 'ClosureRequested',
  'plan-with-milestones': 'WorkPlanSubmitted',
};

/** The earliest of the facts that meet a limit, with the type of its event. */
const earliest = (
  state: TaskState,
  kinds: readonly MilestoneEvidence[],
): { metBy: Fact; metByType: string } | Record<string, never> => {
  let found: { metBy: Fact; metByType: string } | undefined;
  for (const kind of kinds) {
    const f = evidence(state, kind);
    if (f && (!found || Date.parse(f.at) < Date.parse(found.metBy.at)))
      found = { metBy: f, metByType: EVIDENCE_TYPES[kind] };
  }
  return found ?? {};
};

/**
 * The time limits a task gets at assignment under `ctx` (the profile and calendar in force that day):
 * the profile's milestones that apply to its complexity. A milestone that falls on or after the deadline
 * adds nothing the deadline does not already ask, so it is left out (an ordinary item's 7-day limit when
 * its deadline is 5 days away; a major item's one-month limit when its deadline is three weeks away).
 */
export const timeLimitsAt = (
  assignedAt: string,
  deadline: string,
  complexity: TaskState['complexity'],
  ctx: DomainContext,
): TimeLimit[] => {
  const limits: TimeLimit[] = [];
  for (const rule of ctx.profile.milestones) {
    if (rule.appliesTo !== 'all' && rule.appliesTo !== complexity) continue;
    const due = milestoneDue(rule, assignedAt, ctx.calendar);
    if (Date.parse(due) >= Date.parse(deadline)) continue;
    limits.push({
      id: rule.id,
      label: { en: rule.label.en, zh: rule.label.zh },
      due,
      metBy: [...rule.metBy],
    });
  }
  return limits;
};

/**
 * Every time limit of an assigned task, in this order: the milestones set at its assignment (tasks
 * recorded before Duban kept them get them computed under `ctx`; extensions never bring back a milestone
 * left out), the work plan's milestones, the periodic reports owed until closure, the replies written
 * notices ask for, the current deadline, and the reply a pending extension request awaits.
 */
export const dueTimes = (state: TaskState, ctx: DomainContext): DueTime[] => {
  if (!state.assigned) return [];
  const times = limitDueTimes(state, ctx);
  for (const m of state.planMilestones)
    times.push({
      kind: 'plan-milestone',
      owner: 'unit',
      id: `plan:${m.name}`,
      label: `work plan milestone "${m.name}" (工作矩阵图节点)`,
      due: m.due,
      ...(m.met ? { metBy: m.met, metByType: 'ProgressReported' } : {}),
    });
  times.push(...periodicReports(state, ctx));
  for (const n of state.notices)
    if (n.respondBy !== undefined)
      times.push({
        kind: 'notice-response',
        owner: 'unit',
        id: `notice:${n.noticeNo}`,
        label: `reply to written notice ${n.noticeNo} (书面督办通知书回复)`,
        due: n.respondBy,
        ...(n.responded ? { metBy: n.responded, metByType: 'NoticeResponded' } : {}),
      });
  times.push(deadlineDueTime(state));
  // A closure request makes a pending extension request lapse: no reply is owed while it stands.
  const pending = state.closureRequest ? undefined : state.pendingExtension;
  if (pending && ctx.profile.extensionReplyWorkingDays !== undefined)
    times.push({
      kind: 'extension-reply',
      owner: 'office',
      id: 'extension-reply',
      label: `the section's reply to the extension request of ${ctx.calendar.localDateTime(pending.at)} (及时反馈批复意见)`,
      due: ctx.calendar.addWorkingDays(pending.at, ctx.profile.extensionReplyWorkingDays),
    });
  return times;
};

/**
 * The first entries of `dueTimes`: the milestones set at assignment (tasks recorded before Duban kept
 * them get them computed under `ctx`), in order. What scoring a closed task asks of its limits (first
 * feedback), without working out the periodic reports.
 */
export const limitDueTimes = (state: TaskState, ctx: DomainContext): DueTime[] => {
  if (!state.assigned) return [];
  const limits =
    state.timeLimits ?? timeLimitsAt(state.assigned.at, state.originalDeadline, state.complexity, ctx);
  const times: DueTime[] = [];
  for (const limit of limits) {
    times.push({
      kind: 'milestone',
      owner: 'unit',
      id: limit.id,
      label: `${limit.label.en} (${limit.label.zh})`,
      due: limit.due,
      ...earliest(state, limit.metBy as MilestoneEvidence[]),
    });
  }
  return times;
};

/** The `deadline` entry of `dueTimes`: the 办结期限, met by the standing closure request. */
export const deadlineDueTime = (state: TaskState): DueTime => ({
  kind: 'deadline',
  owner: 'unit',
  id: 'deadline',
  label: 'closure applied for by the deadline (办结期限)',
  due: state.deadline,
  ...(state.closureRequest ? { metBy: state.closureRequest, metByType: 'ClosureRequested' } : {}),
});

/**
 * The periodic reports a task owes until closure: one every period after assignment, while the due
 * time lies before the deadline and before the standing closure request (which is the last report).
 * Report n is met by the first report of the lead unit made after report n-1 fell due.
 */
const periodicReports = (state: TaskState, ctx: DomainContext): DueTime[] => {
  const cadence = state.reportingCadence;
  if (!cadence || !state.assigned) return [];
  const out: DueTime[] = [];
  const request = state.closureRequest;
  const requestMs = request ? Date.parse(request.at) : Number.POSITIVE_INFINITY;
  const end = Math.min(Date.parse(state.deadline), requestMs);
  // Each instant parsed once, not once per report owed.
  const reports = state.leadReportTimes;
  const reportMs = reports.map((r) => Date.parse(r.at));
  const every = cadence.every;
  const period =
    'months' in every
      ? `every ${every.months} month${every.months === 1 ? '' : 's'}`
      : `every ${every.workingDays} working days`;
  let previous = Date.parse(state.assigned.at);
  for (let n = 1; n <= 400; n++) {
    const due =
      'months' in every
        ? monthsLater(ctx.calendar, state.assigned.at, n * every.months)
        : ctx.calendar.addWorkingDays(state.assigned.at, n * every.workingDays);
    const dueMs = Date.parse(due);
    if (dueMs >= end) break;
    // The first report (in the order made) after the previous one fell due.
    let i = 0;
    while (i < reportMs.length && !(reportMs[i]! > previous)) i++;
    const report = reports[i];
    const requestSince = request !== undefined && requestMs > previous;
    const time: DueTime = {
      kind: 'report',
      owner: 'unit',
      id: `report-${n}`,
      label: `periodic report ${n} (${period}, 跟踪到底)`,
      due,
      ...(report && (!requestSince || reportMs[i]! <= requestMs)
        ? { metBy: report, metByType: 'ProgressReported' }
        : requestSince
          ? { metBy: request, metByType: 'ClosureRequested' }
          : {}),
    };
    out.push(time);
    previous = dueMs;
  }
  return out;
};

/** Met on time: the evidence came no later than the due time. */
export const metOnTime = (d: DueTime): boolean =>
  d.metBy !== undefined && Date.parse(d.metBy.at) <= Date.parse(d.due);

export type Light = 'green' | 'yellow' | 'red' | 'none';

/**
 * 亮灯: red while a time limit has passed unmet, yellow when an unmet one falls due within the policy's
 * window, green otherwise; `none` before assignment and after closure. A limit met late no longer lights
 * red (the task is back on track); it stays in the record and counts in grading and scoring.
 */
export const lightOf = (
  state: TaskState,
  now: string,
  ctx: DomainContext,
  /** The task's `dueTimes(state, ctx)`, when the caller has them already (a board reads them twice). */
  times?: readonly DueTime[],
): Light => {
  if (state.status === 'none' || state.status === 'closed') return 'none';
  const nowMs = Date.parse(now);
  let light: Light = 'green';
  for (const d of times ?? dueTimes(state, ctx)) {
    if (d.owner !== 'unit') continue; // the office's own delay does not light the unit's task
    if (!d.metBy && nowMs > Date.parse(d.due)) return 'red';
    if (!d.metBy && ctx.calendar.workingDaysBetween(now, d.due) <= ctx.policy.approachingWithinWorkingDays) {
      light = 'yellow';
    }
  }
  return light;
};

/** A time limit that a deadline check at `now` would turn into an event. */
export interface DueSignal {
  readonly type:
    | 'MilestoneMissed'
    | 'DeadlineMissed'
    | 'DeadlineApproaching'
    | 'NoticeResponseMissed'
    | 'ExtensionReplyOverdue';
  readonly due: DueTime;
  /** For DeadlineApproaching: working days left until the deadline. */
  readonly workingDaysLeft: number;
}

/**
 * What CheckDeadlines at `now` signals: each limit passed unmet (or met late) and not yet signalled, and
 * the deadline when it is near and unmet. One rule for the decider and for any sweeper deciding whether a
 * check is due.
 */
export const dueSignals = (state: TaskState, now: string, ctx: DomainContext): DueSignal[] => {
  if (state.status === 'none' || state.status === 'closed') return [];
  const nowMs = Date.parse(now);
  const signals: DueSignal[] = [];
  for (const d of dueTimes(state, ctx)) {
    const dueMs = Date.parse(d.due);
    const passed = nowMs > dueMs && !(d.metBy && Date.parse(d.metBy.at) <= dueMs);
    switch (d.kind) {
      case 'milestone':
      case 'plan-milestone':
      case 'report':
        if (passed && !state.signalled.milestones.includes(d.id))
          signals.push({ type: 'MilestoneMissed', due: d, workingDaysLeft: 0 });
        break;
      case 'notice-response':
        if (passed && !state.signalled.noticeResponses.includes(d.id.slice('notice:'.length)))
          signals.push({ type: 'NoticeResponseMissed', due: d, workingDaysLeft: 0 });
        break;
      case 'extension-reply':
        if (
          passed &&
          state.pendingExtension &&
          !state.signalled.replies.includes(state.pendingExtension.revision)
        )
          signals.push({ type: 'ExtensionReplyOverdue', due: d, workingDaysLeft: 0 });
        break;
      case 'deadline':
        if (passed) {
          if (!state.signalled.missed.includes(d.due))
            signals.push({ type: 'DeadlineMissed', due: d, workingDaysLeft: 0 });
        } else if (!d.metBy && !state.signalled.approaching.includes(d.due)) {
          const left = ctx.calendar.workingDaysBetween(now, d.due);
          if (left <= ctx.policy.approachingWithinWorkingDays)
            signals.push({ type: 'DeadlineApproaching', due: d, workingDaysLeft: left });
        }
        break;
    }
  }
  return signals;
};
