import type { Grade } from '../../grade';
import type { DomainContext } from '../../policy';
import type { EventRef, TaskEvent } from '../events';
import { applyTask } from '../evolve';
import { suggestGrade, type GradeSuggestion } from '../grading';
import type { TaskState } from '../state';

/**
 * After closure, a new fact may change the grade that counts: emit TaskRegraded when it does. `to` gets
 * the grade that counts and the engine's suggestion with the new fact folded in.
 */
export const regradeAfter = (
  state: TaskState,
  fact: TaskEvent,
  ctx: DomainContext,
  to: (current: Grade, suggestion: GradeSuggestion) => Grade,
): TaskEvent[] => {
  if (state.status !== 'closed' || state.grade === undefined) return [fact];
  const from = state.grade;
  const cause: EventRef = { type: fact.type, revision: state.version };
  const suggestion = suggestGrade(applyTask(structuredClone(state), fact), fact.data.at, ctx);
  const next = to(from, suggestion);
  if (next === from) return [fact];
  const reasons = suggestion.reasons.filter((r) => r.events.some((e) => e.revision === cause.revision));
  return [
    fact,
    {
      type: 'TaskRegraded',
      data: { taskId: state.taskId, at: fact.data.at, from, to: next, cause, reasons },
    },
  ];
};
