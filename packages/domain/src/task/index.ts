import type { Either } from 'fp-ts/Either';
import { decodeTagged, type ValidationError } from '../codec';
import type { Decider } from '../decider';
import { defaultContext, type DomainContext } from '../policy';
import { TaskCommands, type TaskCommand } from './commands';
import { decideTask } from './decide';
import { TaskEvents, type TaskEvent } from './events';
import { applyTask, evolveTask } from './evolve';
import { initialTaskState, isTerminal, type TaskState } from './state';

export * from './commands';
export * from './events';
// The state's shape and its start; how the recipes edit shared lists (appended, replacedAt…) stays inside.
export {
  initialTaskState,
  isTerminal,
  type Fact,
  type Rectification,
  type TaskState,
  type TaskStatus,
} from './state';
export * from './vocabulary';
export { taskRecipes, applyTask, evolveTask } from './evolve';
export { decideTask, ACCEPTED_WHEN_CLOSED, type Decision } from './decide';
export { suggestGrade, suggestCoUnitGrade, type GradeSuggestion } from './grading';
export {
  deadlineDueTime,
  dueSignals,
  dueTimes,
  lightOf,
  limitDueTimes,
  metOnTime,
  type DueSignal,
  type DueTime,
  type Light,
} from './due-times';

export type TaskDecider = Decider<TaskCommand, TaskEvent, TaskState>;

/** The task decider for a deployment's calendar, time-limit profile and policy. */
export const createTaskDecider = (ctx: DomainContext = defaultContext()): TaskDecider => ({
  initialState: initialTaskState,
  decide: (command, state) => decideTask(command, state, ctx),
  evolve: evolveTask,
  apply: applyTask,
  isTerminal,
});

/** The task decider with the defaults: Monday–Friday in UTC+8, the 13710 profile, the default policy. */
export const taskDecider: TaskDecider = createTaskDecider();

export const taskStreamId = (taskId: string): string => `task-${taskId}`;

export const decodeTaskCommand = (input: unknown): Either<ValidationError, TaskCommand> =>
  decodeTagged(TaskCommands, input, 'task command');

export const decodeTaskEvent = (input: unknown): Either<ValidationError, TaskEvent> =>
  decodeTagged(TaskEvents, input, 'task event');
