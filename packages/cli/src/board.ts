import type { DomainContext, TaskState } from '@duban/domain';
import { readableTask, taskCard, type ReadAs, type SupervisionModel, type TaskCard } from '@duban/engine';

/** The order of ids the engine lists tasks in (task-order.ts: one default collator's compare). */
const compareIds = new Intl.Collator().compare;

/**
 * The task board (台账) of `taskBoard` — the same cards in the same order — made one card at a time as
 * it is read: a province's board (750k tasks) is never held whole beside the model, only the order
 * (one reference a task). Iterate it as often as needed; each pass makes its cards afresh. A test
 * checks it against the engine's `taskBoard`.
 */
export interface LazyBoard extends Iterable<TaskCard> {
  readonly length: number;
}

export const lazyBoard = (
  model: SupervisionModel,
  now: string,
  ctx: DomainContext,
  options: ReadAs = {},
): LazyBoard => {
  const order: TaskState[] = Object.values(model.tasks)
    .filter((t) => t.status !== 'none' && readableTask(options, t))
    // Each deadline parsed once, not in every comparison.
    .map((t) => ({ t, due: Date.parse(t.deadline) }))
    .sort((a, b) => a.due - b.due || compareIds(a.t.taskId, b.t.taskId))
    .map(({ t }) => t);
  return {
    length: order.length,
    *[Symbol.iterator]() {
      for (const t of order) yield taskCard(t, now, ctx);
    },
  };
};
