import type { DomainContext } from '../policy';
import { milestoneDue, type MilestoneEvidence, type MilestoneRule } from '../time-limits';
import type { Fact, TaskState } from './state';

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

const applies = (rule: MilestoneRule, state: TaskState): boolean =>
  rule.appliesTo === 'all' || rule.appliesTo === state.complexity;

/** Every time limit of an assigned task: the profile's milestones, then the current deadline. */
export const dueTimes = (state: TaskState, ctx: DomainContext): DueTime[] => {
  if (!state.assigned) return [];
  const assignedAt = state.assigned.at;
  const times: DueTime[] = ctx.profile.milestones
    .filter((rule) => applies(rule, state))
    .map((rule) => {
      const metBy = earliest(rule.metBy.map((kind) => evidence(state, kind)));
      return {
        kind: 'milestone',
        id: rule.id,
        label: `${rule.label.en} (${rule.label.zh})`,
        due: milestoneDue(rule, assignedAt, state.originalDeadline, ctx.calendar),
        ...(metBy ? { metBy } : {}),
      };
    });
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
 * 亮灯: red when a time limit passed unmet (or was met late and the task is still open), yellow when one
 * falls due within the policy's window, green otherwise; `none` before assignment and after closure.
 */
export const lightOf = (state: TaskState, now: string, ctx: DomainContext): Light => {
  if (state.status === 'none' || state.status === 'closed') return 'none';
  const nowMs = Date.parse(now);
  let light: Light = 'green';
  for (const d of dueTimes(state, ctx)) {
    const dueMs = Date.parse(d.due);
    if (d.metBy ? !metOnTime(d) : nowMs > dueMs) return 'red';
    if (!d.metBy && ctx.calendar.workingDaysBetween(now, d.due) <= ctx.policy.approachingWithinWorkingDays) {
      light = 'yellow';
    }
  }
  return light;
};
