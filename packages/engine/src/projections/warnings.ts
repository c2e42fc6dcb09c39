import { dueTimes, lightOf, type DomainContext } from '@duban/domain';
import type { AccountabilityPolicy } from '@duban/domain';
import { tasksById } from './task-order';
import { readableTask, type ReadAs } from './read-as';
import type { SupervisionModel } from './supervision-model';

/** 苗头性、倾向性问题: what the supervisors should look at today. */
export interface Warning {
  readonly taskId: string;
  readonly leadUnit: string;
  readonly kind:
    | 'overdue'
    | 'approaching'
    | 'repeatedly-urged'
    | 'difficulty-unanswered' // the office has not answered a difficulty reported (困难和问题)
    | 'reply-overdue'; // the section's answer to an extension request is late: the office's own delay
  readonly text: string;
  /** Revisions in the task's stream behind the warning. */
  readonly revisions: readonly number[];
}

export const warnings = (
  model: SupervisionModel,
  now: string,
  policy: AccountabilityPolicy,
  ctx: DomainContext,
  /** With `as`: warnings about the tasks the reader may read (a unit: those it leads or co-operates on). */
  options: ReadAs = {},
): Warning[] => {
  const out: Warning[] = [];
  const nowMs = Date.parse(now);
  for (const t of tasksById(model)) {
    if (t.status === 'none' || t.status === 'closed' || !readableTask(options, t)) continue;
    const base = { taskId: t.taskId, leadUnit: t.leadUnit };
    const times = dueTimes(t, ctx);
    const light = lightOf(t, now, ctx, times);
    const passed = times.filter((d) => d.owner === 'unit' && !d.metBy && nowMs > Date.parse(d.due));
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
    // A difficulty the office has not answered (nor the unit reported back on track since) after the
    // policy's working days: the office owes the unit a decision (帮助基层解决困难和问题).
    const unanswered = t.difficulties.filter(
      (d) =>
        !d.answered &&
        !(
          t.lastLeadReport &&
          t.lastLeadReport.revision > d.revision &&
          t.lastLeadReport.status === 'on-track'
        ) &&
        ctx.calendar.workingDaysBetween(d.at, now) >= policy.difficultyFollowUpWorkingDays,
    );
    if (unanswered.length > 0)
      out.push({
        ...base,
        kind: 'difficulty-unanswered',
        text: `difficulty reported on ${unanswered.map((d) => ctx.calendar.localDateTime(d.at)).join(', ')} has had no answer from the office for ${policy.difficultyFollowUpWorkingDays} working days or more`,
        revisions: unanswered.map((d) => d.revision),
      });
    const reply = times.find((d) => d.kind === 'extension-reply' && nowMs > Date.parse(d.due));
    if (reply && t.pendingExtension)
      out.push({
        ...base,
        kind: 'reply-overdue',
        text: `${reply.label} was due ${ctx.calendar.localDateTime(reply.due)}`,
        revisions: [t.pendingExtension.revision],
      });
  }
  return out;
};
