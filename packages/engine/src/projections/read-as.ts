import { canRead, type Actor, type ReadSubject, type TaskParties } from '@duban/domain';

/**
 * The option every read model takes to answer as one reader (在一定范围内): without `as`, everything
 * (the office's own view, as an auditor reads it); with it, only what the domain's `canRead` lets that
 * actor read. The projections compute on the whole history first and narrow what they return, so a
 * unit's score is the same number whoever reads it.
 */
export interface ReadAs {
  readonly as?: Actor;
}

/** May the reader of `options` read `subject`? Everything, when no reader is named. */
export const readable = (options: ReadAs, subject: ReadSubject): boolean =>
  options.as === undefined || canRead(options.as, subject);

/** May the reader of `options` read this task (its state, card, timeline, warnings)? */
export const readableTask = (options: ReadAs, task: TaskParties): boolean =>
  readable(options, { kind: 'task', task });
