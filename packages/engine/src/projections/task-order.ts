import type { TaskState } from '@duban/domain';
import type { SupervisionModel } from './supervision-model';

/**
 * The order of ids every view lists tasks and units in: `a.localeCompare(b)`'s, from one collator made
 * once (ECMA-402 defines `localeCompare` without arguments as a new default `Intl.Collator`'s compare;
 * making it on each call cost more than the queries themselves on a large board).
 */
export const compareIds: (a: string, b: string) => number = new Intl.Collator().compare;

/** Every task of the model, by task id. */
export const tasksById = (model: SupervisionModel): TaskState[] =>
  Object.values(model.tasks).sort((a, b) => compareIds(a.taskId, b.taskId));
