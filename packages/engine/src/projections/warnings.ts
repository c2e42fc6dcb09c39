import { dueTimes, lightOf, type DomainContext } from '@duban/domain';
import type { AccountabilityPolicy } from '@duban/domain';
import type { SupervisionModel } from './supervision-model';

/** 苗头性、倾向性问题: what the supervisors should look at today. */
export interface Warning {
  readonly taskId: string;
  readonly leadUnit: string;
  readonly kind: 'overdue' | 'approaching' | 'repeatedly-urged' | 'difficulty-unanswered';
  readonly text: string;
  /** Revisions in the task's stream behind the warning. */
  readonly revisions: readonly number[];
}

export const warnings = (
  model: SupervisionModel,
  now: string,
  policy: AccountabilityPolicy,
  ctx: DomainContext,
): Warning[] => {
  const out: Warning[] = [];
  const nowMs = Date.parse(now);
  for (const t of Object.values(model.tasks).sort((a, b) => a.taskId.localeCompare(b.taskId))) {
    if (t.status === 'none' || t.status === 'closed') continue;
    const base = { taskId: t.taskId, leadUnit: t.leadUnit };
    const light = lightOf(t, now, ctx);
    const passed = dueTimes(t, ctx).filter((d) => !d.metBy && nowMs > Date.parse(d.due));
    if (light === 'red' && passed.length > 0)
      out.push({
        ...base,
        kind: 'overdue',
        text: passed.map((d) => `${d.label} was due ${ctx.calendar.localDateTime(d.due)}`).join('; '),
        revisions: [...t.deadlinesMissed, ...t.milestonesMissed].map((f) => f.revision),
      });
    else if (light === 'yellow')
      out.push({
        ...base,
        kind: 'approaching',
        text: `a time limit falls due within ${ctx.policy.approachingWithinWorkingDays} working days`,
        revisions: [],
      });
    if (t.urges.length >= policy.repeatedUrges)
      out.push({
        ...base,
        kind: 'repeatedly-urged',
        text: `urged ${t.urges.length} times`,
        revisions: t.urges.map((u) => u.revision),
      });
    if (
      t.openDifficulty &&
      ctx.calendar.workingDaysBetween(t.openDifficulty.at, now) >= policy.difficultyFollowUpWorkingDays
    )
      out.push({
        ...base,
        kind: 'difficulty-unanswered',
        text: `difficulty reported on ${ctx.calendar.localDateTime(t.openDifficulty.at)} without an on-track report since`,
        revisions: [t.openDifficulty.revision],
      });
  }
  return out;
};
