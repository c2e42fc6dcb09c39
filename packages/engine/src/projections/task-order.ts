import { instantMs, type TaskState } from '@duban/domain';
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
  /** The tasks' times, by the same index: made on the first query that reads them. */
  times?: TaskTimes;
}

/**
 * Every task of the model by id (`tasksById`) with the times every query reads, as milliseconds by the
 * same index (NaN where the task has none): parsed once per model, not once per query and quarter.
 */
export interface TaskTimes {
  readonly states: readonly TaskState[];
  readonly assignedMs: Float64Array;
  readonly closedMs: Float64Array;
  readonly deadlineMs: Float64Array;
  /** The version of each state the times were read at. */
  readonly versions: Float64Array;
}

/** The last order computed for each model's task record (a report asks for it once per quarter and more). */
const orders = new WeakMap<object, Order>();

/**
 * Every task of the model, by task id. Sorting 75k tasks is most of a quarter's scorecard, and a report
 * asks again for every quarter: the order is kept while nothing was folded in (same event count) and
 * every key still holds the same state object; otherwise it is sorted afresh.
 */
export const tasksById = (model: SupervisionModel): TaskState[] => [...order(model).states];

const order = (model: SupervisionModel): Order => {
  const tasks = model.tasks;
  const keys = Object.keys(tasks);
  const kept = orders.get(tasks);
  if (
    kept !== undefined &&
    kept.events === model.events &&
    kept.keys.length === keys.length &&
    kept.keys.every((key, i) => tasks[key] === kept.states[i])
  )
    return kept;
  const sorted = keys.sort((a, b) => compareIds(tasks[a]!.taskId, tasks[b]!.taskId));
  const made: Order = { events: model.events, keys: sorted, states: sorted.map((key) => tasks[key]!) };
  orders.set(tasks, made);
  return made;
};

/** Every task of the model by id, with its times (see `TaskTimes`); shared, not to be written into. */
export const taskTimes = (model: SupervisionModel): TaskTimes => {
  const kept = order(model);
  const { states } = kept;
  const times = (kept.times ??= {
    states,
    assignedMs: new Float64Array(states.length),
    closedMs: new Float64Array(states.length),
    deadlineMs: new Float64Array(states.length),
    versions: new Float64Array(states.length).fill(-1),
  });
  // A state folded into since (its version moved on) is read again: the times follow the state.
  for (let i = 0; i < states.length; i++) {
    const t = states[i]!;
    if (times.versions[i] === t.version) continue;
    times.versions[i] = t.version;
    times.assignedMs[i] = t.assigned ? instantMs(t.assigned.at) : Number.NaN;
    times.closedMs[i] = t.closed ? instantMs(t.closed.at) : Number.NaN;
    times.deadlineMs[i] = instantMs(t.deadline);
  }
  return times;
};
