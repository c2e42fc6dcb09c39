import type { DomainContext } from '../policy';
import { milestoneDue, type MilestoneEvidence } from '../time-limits';
import type { Fact, TaskState } from './state';
import type { TimeLimit } from './vocabulary';

/** A time limit of one task: a profile milestone or the deadline itself, and what met it, if anything. */
export interface DueTime {
  readonly kind: 'milestone' | 'deadline';
  /** The milestone id, or `deadline`. */
  readonly id: string;
  readonly label: string;
  readonly due: string;
  /** The first fact that met it, on time or late. */
  readonly metBy?: Fact;
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

const earliest = (facts: ReadonlyArray<Fact | undefined>): Fact | undefined =>
  facts.reduce<Fact | undefined>(
    (a, f) => (f && (!a || Date.parse(f.at) < Date.parse(a.at)) ? f : a),
    undefined,
  );

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
 * Every time limit of an assigned task: the milestones set at its assignment, then the current deadline.
 * Tasks recorded before Duban kept their limits get them computed under `ctx` (extensions never bring
 * back a milestone left out).
 */
export const dueTimes = (state: TaskState, ctx: DomainContext): DueTime[] => {
  if (!state.assigned) return [];
  const limits =
    state.timeLimits ?? timeLimitsAt(state.assigned.at, state.originalDeadline, state.complexity, ctx);
  const times: DueTime[] = [];
  for (const limit of limits) {
    const metBy = earliest(limit.metBy.map((kind) => evidence(state, kind)));
    times.push({
      kind: 'milestone',
      id: limit.id,
      label: `${limit.label.en} (${limit.label.zh})`,
      due: limit.due,
      ...(metBy ? { metBy } : {}),
    });
  }
  times.push({
    kind: 'deadline',
    id: 'deadline',
    label: 'closure applied for by the deadline (办结期限)',
    due: state.deadline,
    ...(state.closureRequest ? { metBy: state.closureRequest } : {}),
  });
  return times;
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
export const lightOf = (state: TaskState, now: string, ctx: DomainContext): Light => {
  if (state.status === 'none' || state.status === 'closed') return 'none';
  const nowMs = Date.parse(now);
  let light: Light = 'green';
  for (const d of dueTimes(state, ctx)) {
    if (!d.metBy && nowMs > Date.parse(d.due)) return 'red';
    if (!d.metBy && ctx.calendar.workingDaysBetween(now, d.due) <= ctx.policy.approachingWithinWorkingDays) {
      light = 'yellow';
    }
  }
  return light;
};

/** A time limit that a deadline check at `now` would turn into an event. */
export interface DueSignal {
  readonly type: 'MilestoneMissed' | 'DeadlineMissed' | 'DeadlineApproaching';
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
    if (d.kind === 'milestone') {
      if (passed && !state.signalled.milestones.includes(d.id))
        signals.push({ type: 'MilestoneMissed', due: d, workingDaysLeft: 0 });
    } else if (passed) {
      if (!state.signalled.missed.includes(d.due))
        signals.push({ type: 'DeadlineMissed', due: d, workingDaysLeft: 0 });
    } else if (!d.metBy && !state.signalled.approaching.includes(d.due)) {
      const left = ctx.calendar.workingDaysBetween(now, d.due);
      if (left <= ctx.policy.approachingWithinWorkingDays)
        signals.push({ type: 'DeadlineApproaching', due: d, workingDaysLeft: left });
    }
  }
  return signals;
};
