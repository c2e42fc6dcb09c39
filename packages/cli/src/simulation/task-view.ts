import { dueTimes, type Actor, type DomainContext, type DueTime, type TaskState } from '@duban/domain';
import { INSPECTION_OFFICE, MAYOR, portfolioOf, type Portfolio } from './office';
import type { TaskPlan } from './plans';

/**
 * A task as the simulated office follows it: its plan, the deputy mayor in charge of its lead unit (分管,
 * from the office's portfolios), and what the simulation remembers of its story so far. What the task's
 * state is always comes from the history read back, never from here.
 */
export interface Plan extends TaskPlan {
  readonly portfolio: Portfolio;
  difficultyReported: boolean;
  contributed: Set<string>;
  retryClosureDay?: number;
  closedDay?: number;
  rectificationOpened: boolean;
  lookBackFailed: boolean;
  recognised: boolean;
  criticised: boolean;
}

export const followPlan = (plan: TaskPlan): Plan => ({
  ...plan,
  portfolio: portfolioOf(plan.lead),
  difficultyReported: false,
  contributed: new Set(),
  rectificationOpened: false,
  lookBackFailed: false,
  recognised: false,
  criticised: false,
});

/** Who supervises: the section for a deputy leader's task, the inspection office for the main leader's. */
export const supervisorOf = (s: TaskState, p: Plan): Actor =>
  s.supervisor.kind === 'inspection-office' ? INSPECTION_OFFICE : p.portfolio.section;

/** 审定: the mayor for a key task (重点事项), otherwise the deputy mayor in charge (分管领导). */
export const approverOf = (p: Plan): Actor => (p.key ? MAYOR : p.portfolio.deputy);

/** When the task was last urged, warned, given a notice or escalated. */
export const lastSupervision = (s: TaskState): string | undefined =>
  [...s.urges, ...s.warnings, ...s.notices, ...(s.escalation ? [s.escalation] : [])]
    .map((f) => f.at)
    .sort()
    .at(-1);

/** The office writes in Chinese: each time limit by its Chinese name, not the engine's English label. */
export const zhLabel = (d: DueTime, ctx: DomainContext): string => {
  switch (d.kind) {
    case 'deadline':
      return '办结期限';
    case 'plan-milestone':
      return `工作方案节点“${d.id.slice('plan:'.length)}”`;
    case 'report':
      return `第${d.id.slice('report-'.length)}次定期报告`;
    case 'notice-response':
      return `督办通知书${d.id.slice('notice:'.length)}回复`;
    case 'extension-reply':
      return '延期批复';
    case 'milestone':
      return ctx.profile.milestones.find((m) => m.id === d.id)?.label.zh ?? d.id;
  }
};

/** The unit's own time limits standing missed at `now` (the office's own, like an extension reply, are not urged). */
export const outstanding = (s: TaskState, now: string, ctx: DomainContext): DueTime[] =>
  dueTimes(s, ctx).filter((d) => d.owner === 'unit' && !d.metBy && Date.parse(now) > Date.parse(d.due));
