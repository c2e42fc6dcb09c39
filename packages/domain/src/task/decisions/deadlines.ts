import type { TaskEvent } from '../events';
import { dueTimes } from '../due-times';
import { nothing, later, denied, type Handlers } from './shared';
import { right } from 'fp-ts/Either';

/** Time limits turned into events, each exactly once. */
export const deadlines: Handlers<'CheckDeadlines'> = {
  CheckDeadlines({ actor, at }, s, ctx) {
    if (!(actor.kind === 'system' || actor.kind === 'section' || actor.kind === 'inspection-office'))
      return denied(actor, 'run the deadline check');
    if (s.status === 'closed') return nothing;
    const events: TaskEvent[] = [];
    for (const d of dueTimes(s, ctx)) {
      const missed = d.metBy ? later(d.metBy.at, d.due) : later(at, d.due);
      if (d.kind === 'milestone') {
        if (missed && later(at, d.due) && !s.signalled.milestones.includes(d.id))
          events.push({
            type: 'MilestoneMissed',
            data: { taskId: s.taskId, at, milestone: d.id, due: d.due },
          });
        continue;
      }
      if (missed && later(at, d.due)) {
        if (!s.signalled.missed.includes(d.due))
          events.push({ type: 'DeadlineMissed', data: { taskId: s.taskId, at, deadline: d.due } });
      } else if (!d.metBy && !s.signalled.approaching.includes(d.due)) {
        const left = ctx.calendar.workingDaysBetween(at, d.due);
        if (left <= ctx.policy.approachingWithinWorkingDays)
          events.push({
            type: 'DeadlineApproaching',
            data: { taskId: s.taskId, at, deadline: d.due, workingDaysLeft: left },
          });
      }
    }
    return right(events);
  },
};
