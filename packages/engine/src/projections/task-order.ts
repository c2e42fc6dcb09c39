import type { TaskState } from '@duban/domain';
import type { SupervisionModel } from './supervision-model';

/**
 * The order of ids every view lists tasks and units in: `a.localeCompare(b)`'s, from one collator made
 * once (ECMA-402 defines `localeCompare` without arguments as a new default `Intl.Collator`'s compare;
 * making it on each call cost more than the queries themselves on a large board).
 */
export const compareIds: (a: string, b: string) => number = new Intl.Collator().compare;

interface Order {
  readonly events: number;
  readonly keys: readonly string[];
  readonly states: readonly TaskState[];
}

/** The last order computed for each model's task record (a report asks for it once per quarter and more). */
const orders = new WeakMap<object, Order>();

/**
 * Every task of the model, by task id. Sorting 75k tasks is most of a quarter's scorecard, and a report
 * asks again for every quarter: the order is kept while nothing was folded in (same event count) and
 * every key still holds the same state object; otherwise it is sorted afresh.
 */
export const tasksById = (model: SupervisionModel): TaskState[] => {
  const tasks = model.tasks;
  const keys = Object.keys(tasks);
  const kept = orders.get(tasks);
  if (
    kept !== undefined &&
    kept.events === model.events &&
    kept.keys.length === keys.length &&
    kept.keys.every((key, i) => tasks[key] === kept.states[i])
  )
    return [...kept.states];
  const sorted = keys.sort((a, b) => compareIds(tasks[a]!.taskId, tasks[b]!.taskId));
  const states = sorted.map((key) => tasks[key]!);
  orders.set(tasks, { events: model.events, keys: sorted, states });
  return [...states];
};
