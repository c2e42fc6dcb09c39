import type { DomainContext } from '@duban/domain';
import { boardOrder, taskCard, type ReadAs, type SupervisionModel, type TaskCard } from '@duban/engine';

/**
 * The task board (台账) of `taskBoard` — the same cards in the same order (the engine's `boardOrder`) —
 * made one card at a time as it is read: a province's board (750k tasks) is never held whole beside the
 * model, only the order (one reference a task). Iterate it as often as needed; each pass makes its cards
 * afresh.
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
  const order = boardOrder(model, options);
  return {
    length: order.length,
    *[Symbol.iterator]() {
      for (const t of order) yield taskCard(t, now, ctx);
    },
  };
};
